from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.analytics.contract import load_contract


def _table_choices() -> list[tuple[str, Any]]:
    return [("", _("自动识别（按表头或文件名）"))] + [
        (n, f"{t.zh}（{n}）") for n, t in load_contract().items()
    ]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("报送文件（CSV、XLSX 或 JSON Lines）"))
    table = forms.ChoiceField(label=_("数据表"), required=False, choices=_table_choices)
