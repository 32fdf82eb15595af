from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiandu.accounts.models import Organisation
from jiandu.alerts.models import Alert
from jiandu.alerts.workflow import STEPS


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(k, s.label) for k, s in STEPS.items()])
    office = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False, label=_("承办单位"))
    deadline = forms.DateField(
        required=False, label=_("期限"), widget=forms.DateInput(attrs={"type": "date"})
    )
    finding = forms.ChoiceField(
        choices=[("", "—"), *Alert.Finding.choices], required=False, label=_("核查结论")
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("说明"))
    attachment = forms.FileField(required=False, label=_("附件"))

    def __init__(self, *args: Any, offices: QuerySet[Organisation], **kwargs: Any) -> None:
        """`offices`: the supervision offices inside the acting user's jurisdiction."""
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
