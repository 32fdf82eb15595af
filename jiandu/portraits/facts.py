"""A fact on a portrait: a value with the record it came from.

Every fact shown on a portrait carries its provenance (department, delivery, file, sheet, row) so a supervisor
can hover or click to see where it came from, and a link to the registry record itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from jiandu.analytics.contract import load_contract


@dataclass
class Fact:
    table: str
    record: Any
    when: dt.date | None = None
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return reverse("registry_detail", args=[self.table, self.record.pk])

    @property
    def provenance(self) -> str:
        table = load_contract()[self.table]
        r = self.record
        sheet = f" 工作表“{r.source_sheet}”" if r.source_sheet else ""
        return f"{table.source} · {table.zh} · 报送#{r.delivery_id} {r.source_file}{sheet} 第{r.source_row}行"

    def get(self, key: str) -> Any:
        return getattr(self.record, key)


def facts(table: str, rows: Any, when: str | None = None) -> list[Fact]:
    return [Fact(table=table, record=r, when=getattr(r, when) if when else None) for r in rows]
