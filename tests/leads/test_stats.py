"""Statistics page and its Excel export in the statistical-report layout; the outcomes export for 案管室."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jiandu.audit.models import AccessEvent
from jiandu.leads.commands import leads as leads_cli
from tests import builders
from tests.builders import step_up
from tests.leads.helpers import client_for, conclude, days, registered, step, way

pytestmark = pytest.mark.django_db


def plant(people):  # type: ignore[no-untyped-def]
    """County A: a closed lead (10 days, form 1), a transfer-in lead under 谈话函询; county B: one new lead."""
    owner, outsider = client_for(people["owner"]), client_for(people["outsider"])
    closed = registered(owner, received=days(-10))
    way(owner, closed, "close", on=days(-10))
    step(owner, closed, "approved", approved_on=days(-5), approver="王书记", reason="轻微")
    conclude(
        owner,
        closed,
        verdict="true",
        conclusion="属实",
        form="第一种形态",
        measure="批评教育",
        closed_on=days(0),
    )
    inquiry = registered(
        owner,
        source="transfer",
        source_agency="审计",
        category="工作纪律",
        subject_id_1=builders.make_id(seq=71),
    )
    way(owner, inquiry, "talk_inquiry")
    county_b = registered(
        outsider,
        scope_region=builders.COUNTY_B,
        received=days(-40),
        subject_id_1=builders.make_id(region=builders.COUNTY_B),
    )
    return closed, inquiry, county_b


def test_statistics_page_by_region_and_scope(people):
    plant(people)
    city = client_for(people["city"]).get(reverse("lead_stats")).content.decode()
    assert "来源" in city and "处置方式" in city and "形态" in city
    assert builders.COUNTY_A in city and builders.COUNTY_B in city
    county = client_for(people["owner"]).get(reverse("lead_stats")).content.decode()
    assert builders.COUNTY_A in county and builders.COUNTY_B not in county
    assert client_for(people["clerk"]).get(reverse("lead_stats")).status_code == 404
    # a partner agency has no jurisdiction over leads: its statistics are empty
    partner = client_for(people["partner"]).get(reverse("lead_stats")).content.decode()
    assert builders.COUNTY_A not in partner


def _total(response):  # type: ignore[no-untyped-def]
    sheet = load_workbook(io.BytesIO(response.content)).active
    totals = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "合计")
    total_col = next(c for c in range(2, sheet.max_column + 1) if sheet.cell(row=4, column=c).value == "合计")
    return sheet.cell(row=totals, column=total_col).value


def test_excel_export_in_report_layout(people):
    _, inquiry, _ = plant(people)
    city = client_for(people["city"])
    url = reverse("lead_stats") + "?export=xlsx"
    assert city.get(url)["Location"].startswith(reverse("step_up"))  # an export needs a fresh step-up
    step_up(city)
    # the lead under 谈话函询 is county A's to know: the city's report counts it only once it is added
    assert _total(city.get(url)) == 2
    added = client_for(people["colleague"]).post(
        reverse("lead_need_to_know", args=[inquiry.pk]),
        {"action": "grant", "user": people["city"].pk, "reason": "汇总统计"},
    )
    assert added.status_code == 302
    response = city.get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert AccessEvent.objects.filter(
        action="export", object_type="leads.lead", actor=people["city"]
    ).exists()
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "问题线索处置情况统计表"
    assert sheet["A2"].value.startswith("填报单位：") and "统计期间" in str(
        sheet.cell(row=2, column=sheet.max_column // 2 + 1).value
    )
    header = {
        sheet.cell(row=3, column=c).value: c
        for c in range(1, sheet.max_column + 1)
        if sheet.cell(row=3, column=c).value
    }
    assert set(header) == {"地区", "来源", "处置方式", "形态", "办理情况"}
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"A1:{get_column_letter(sheet.max_column)}1" in merged
    assert "A3:A4" in merged
    labels = {sheet.cell(row=4, column=c).value: c for c in range(2, sheet.max_column + 1)}
    rows = {sheet.cell(row=r, column=1).value: r for r in range(5, sheet.max_row + 1)}
    totals = rows["合计"]
    value = lambda label, r=totals: sheet.cell(row=r, column=labels[label]).value  # noqa: E731
    assert value("合计") == 3 and value("已办结") == 1 and value("平均办理天数") == 10
    assert value("外单位移送") == 1 and value("其他（手工登记）") == 2
    assert value("予以了结") == 1 and value("谈话函询") == 1 and value("未确定") == 1
    assert value("第一种形态") == 1 and value("第二种形态") == 0
    assert value("逾期") == 1  # county B's lead has waited 40 days for its way
    county_a = next(r for label, r in rows.items() if label and builders.COUNTY_A in label)
    assert value("合计", county_a) == 2


def test_by_month_and_period_filter(people):
    plant(people)
    city = client_for(people["city"])
    step_up(city)
    response = city.get(reverse("lead_stats") + f"?by=month&from={days(-20)}&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == "月份"
    # county B's lead was received 40 days ago; the lead under 谈话函询 is county A's to know
    assert _total(response) == 1
    owner = client_for(people["owner"])
    step_up(owner)
    assert _total(owner.get(reverse("lead_stats") + f"?by=month&from={days(-20)}&export=xlsx")) == 2


def test_outcomes_export_in_discipline_records_columns(people, tmp_path):
    closed, _, _ = plant(people)
    out = tmp_path / "outcomes.csv"
    result = CliRunner().invoke(leads_cli, ["outcomes-export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["记录编号", "身份证号", "处理日期", "形态", "处理方式", "事由"]
    assert rows[1][1:5] == [builders.make_id(seq=11), days(0), "第一种形态", "批评教育"]
    assert rows[1][0].startswith(closed.lead_no)
