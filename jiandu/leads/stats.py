"""Lead statistics: counts by source, way of disposal and form per region or month, disposal time, overdue.

The same table feeds the page and the Excel export, which follows the layout of a statistical report (报表):
title, reporting unit and period, a two-level header with merged group cells (来源 / 处置方式 / 形态), one row
per region or month, and a totals row.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jiandu.accounts.models import Organisation
from jiandu.leads.models import Lead
from jiandu.leads.procedures import WAYS
from jiandu.leads.selectors import lead_overdue
from jiandu.security.spreadsheet import text_kept

UNDECIDED = "undecided"


@dataclass
class Group:
    label: str
    columns: list[tuple[str, str]]  # (key, label)


@dataclass
class Report:
    groups: list[Group]
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)

    def keys(self) -> list[str]:
        return [k for g in self.groups for k, _ in g.columns]


def _groups() -> list[Group]:
    return [
        Group("来源", [(f"src:{v}", str(label)) for v, label in Lead.Source.choices]),
        Group(
            "处置方式",
            [(f"way:{k}", w.label) for k, w in WAYS.items()] + [(f"way:{UNDECIDED}", "未确定")],
        ),
        Group("形态", [(f"form:{v}", str(label)) for v, label in Lead.Form.choices]),
        Group(
            "办理情况",
            [("total", "合计"), ("closed", "已办结"), ("avg_days", "平均办理天数"), ("overdue", "逾期")],
        ),
    ]


def _region_names() -> dict[str, str]:
    return dict(
        Organisation.objects.filter(kind__in=Organisation.COMMISSION_KINDS).values_list("region_code", "name")
    )


def _tally(leads: list[Lead], keys: list[str], today: dt.date) -> dict[str, Any]:
    counts: dict[str, Any] = dict.fromkeys(keys, 0)
    days: list[int] = []
    for lead in leads:
        counts[f"src:{lead.source}"] += 1
        counts[f"way:{lead.way or UNDECIDED}"] += 1
        if lead.form:
            counts[f"form:{lead.form}"] += 1
        counts["total"] += 1
        if lead.closed:
            counts["closed"] += 1
            days.append((lead.closed - lead.received).days)
        if lead_overdue(lead, today):
            counts["overdue"] += 1
    counts["avg_days"] = round(sum(days) / len(days), 1) if days else None
    return counts


def lead_statistics(
    leads: QuerySet[Lead], *, by: str, today: dt.date, date_from: dt.date | None, date_to: dt.date | None
) -> Report:
    """Counts of the given leads, received in [date_from, date_to], one row per region (county) or month."""
    if date_from:
        leads = leads.filter(received__gte=date_from)
    if date_to:
        leads = leads.filter(received__lte=date_to)
    report = Report(groups=_groups())
    keys = report.keys()
    buckets: dict[str, list[Lead]] = {}
    rows = list(leads.order_by("received", "id").prefetch_related("steps"))
    for lead in rows:
        key = lead.received.strftime("%Y-%m") if by == "month" else lead.scope_region
        buckets.setdefault(key, []).append(lead)
    names = _region_names() if by != "month" else {}
    for key in sorted(buckets):
        label = key if by == "month" else f"{names.get(key, '')} {key}".strip()
        report.rows.append((label, _tally(buckets[key], keys, today)))
    report.totals = _tally(rows, keys, today)
    return report


def statistics_xlsx(report: Report, *, unit: str, period: str, by: str) -> bytes:
    """The report as an .xlsx in the layout of a statistical report form."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "问题线索统计"
    keys = report.keys()
    width = 1 + len(keys)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.cell(row=1, column=1, value="问题线索处置情况统计表").font = Font(bold=True, size=16)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = centre
    sheet.cell(row=2, column=1, value=f"填报单位：{unit}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width // 2)
    sheet.cell(row=2, column=width // 2 + 1, value=f"统计期间：{period}")
    sheet.merge_cells(start_row=2, start_column=width // 2 + 1, end_row=2, end_column=width)
    sheet.cell(row=3, column=1, value="月份" if by == "month" else "地区")
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    col = 2
    for group in report.groups:
        sheet.cell(row=3, column=col, value=group.label)
        sheet.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(group.columns) - 1)
        for i, (_, label) in enumerate(group.columns):
            sheet.cell(row=4, column=col + i, value=label)
        col += len(group.columns)
    data = [*report.rows, ("合计", report.totals)]
    for r, (label, values) in enumerate(data, start=5):
        text_kept(sheet.cell(row=r, column=1, value=label))  # a region's name comes from a delivery
        for c, key in enumerate(keys, start=2):
            sheet.cell(row=r, column=c, value=values.get(key))
    last_row = 4 + len(data)
    for row in sheet.iter_rows(min_row=3, max_row=last_row, max_col=width):
        for cell in row:
            cell.border = border
            if cell.row <= 4:
                cell.alignment = centre
                cell.font = Font(bold=True)
    for c in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 18 if c == 1 else 9
    sheet.freeze_panes = "B5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
