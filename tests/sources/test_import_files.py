"""End to end through the reader: a tiny valid file per contract table, the CLI, blank templates."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jiandu.analytics.contract import load_contract
from jiandu.registry.models import REGISTRY
from jiandu.sources.blank import blank_template
from jiandu.sources.commands import import_command
from jiandu.sources.services import delivery_import, folder_import
from tests.sources.samples import sample_csv, sample_rows

pytestmark = pytest.mark.django_db
CONTRACT = load_contract()


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_each_table_file_imports(tmp_path, table):
    rows = sample_rows(CONTRACT[table], 3)
    path = sample_csv(tmp_path / f"{CONTRACT[table].zh}.csv", table, rows)
    [delivery] = delivery_import(path=path, table=table)
    assert delivery.message == "" and delivery.status == "done"
    assert (delivery.accepted, delivery.rejected, delivery.total_rows) == (3, 0, 3)
    assert REGISTRY[table].objects.count() == 3
    [again] = delivery_import(path=path)  # recognised from its headers / name this time
    assert (again.table_name, again.accepted, again.updated, again.unchanged) == (table, 0, 0, 3)


def test_bad_rows_rejected_with_column_and_reason_valid_rows_land(tmp_path):
    path = tmp_path / "国库集中支付.csv"
    rows = sample_rows(CONTRACT["payments"], 2)
    sample_csv(path, "payments", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"P-BAD,{rows[0]['payer_code']},某公司,,十二元,2025-02-30,,\n")
    [delivery] = delivery_import(path=path)
    assert (delivery.accepted, delivery.rejected) == (2, 1)
    from jiandu.sources.reports import report_path

    lines = report_path(delivery, "csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("支付流水号,付款单位代码,收款方名称")
    assert lines[1].startswith(f"P-BAD,{rows[0]['payer_code']},某公司,,十二元,2025-02-30,,,4,")
    assert "金额" in lines[1] and "支付日期" in lines[1]


def test_cli_imports_a_folder_prints_summary_and_fails_on_unreadable_file(tmp_path):
    folder = tmp_path / "deliveries"
    (folder / "sub").mkdir(parents=True)
    sample_csv(folder / "单位名录.csv", "units", sample_rows(CONTRACT["units"], 2))
    sample_csv(folder / "sub" / "国库集中支付.csv", "payments", sample_rows(CONTRACT["payments"], 3))
    result = CliRunner().invoke(import_command, [str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "单位名录.csv" in result.output and "国库集中支付.csv" in result.output
    assert result.output.splitlines()[-1].split()[1:] == ["5", "0", "0", "0"]
    assert "错误报告" not in result.output
    (folder / "乱码.csv").write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(import_command, [str(folder), "--quiet"])
    assert result.exit_code == 1
    assert "失败" in result.output
    assert result.output.splitlines()[-1].split()[1:] == ["0", "0", "5", "0"]


def test_folder_import_reports_progress(tmp_path):
    sample_csv(tmp_path / "单位名录.csv", "units", sample_rows(CONTRACT["units"], 4))
    seen: list[tuple[str, int, int]] = []
    deliveries = folder_import(tmp_path, progress=lambda f, done, total: seen.append((f.name, done, total)))
    assert [d.accepted for d in deliveries] == [4]
    assert seen[-1] == ("单位名录.csv", 4, 4)


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_blank_template_explains_columns_and_imports_when_filled(tmp_path, table):
    contract = CONTRACT[table]
    book = load_workbook(io.BytesIO(blank_template(contract)))
    data, guide = book.worksheets
    assert [c.value for c in data[1]] == [c.zh for c in contract.columns]
    assert guide.title == "填写说明"
    explained = {row[0].value: row for row in guide.iter_rows(min_row=2) if row[0].value}
    for column in contract.columns:
        row = explained[f"「{column.zh}」"]
        assert row[3].value == ("是" if column.required else "否")
        assert (row[6].value or "") == "、".join(column.values)
    for row in sample_rows(contract, 2):
        data.append([_cell(row[c.key]) for c in contract.columns])
    path = tmp_path / f"{contract.zh}_报送模板.xlsx"
    book.save(path)
    deliveries = delivery_import(path=path)
    assert [(d.table_name, d.accepted, d.status) for d in deliveries] == [(table, 2, "done")]


def _cell(value):  # type: ignore[no-untyped-def]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_fixed_error_report_can_be_delivered_back(tmp_path, kind):
    from openpyxl import load_workbook

    from jiandu.sources.reports import report_path

    path = tmp_path / "国库集中支付.csv"
    rows = sample_rows(CONTRACT["payments"], 2)
    sample_csv(path, "payments", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"P-BAD,{rows[0]['payer_code']},某公司,,十二元,2025-02-03,,\n")
    [first] = delivery_import(path=path)
    report = report_path(first, kind)
    fixed = tmp_path / f"国库集中支付_改正.{kind}"
    if kind == "csv":
        fixed.write_text(
            report.read_text(encoding="utf-8-sig").replace("十二元", "12.00"), encoding="utf-8-sig"
        )
    else:
        book = load_workbook(report)
        book.active["E2"] = "12.00"
        book.save(fixed)
    [again] = delivery_import(path=fixed)
    assert (again.table_name, again.accepted, again.rejected, again.status) == ("payments", 1, 0, "done")
    assert "原行号" in again.message  # the reader says which extra columns it ignored


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_report_cells_kept_by_the_reader_equal_the_file_read_again(tmp_path, encoding):
    """The report takes a CSV's rejected cells from the reader's grid instead of reading the file again."""
    from jiandu.analytics.intake import read_file
    from jiandu.sources.reports import _raw_csv, raw_rows

    rows = sample_rows(CONTRACT["payments"], 2)
    payer = rows[0]["payer_code"]
    path = tmp_path / "国库集中支付.csv"
    path.write_text(
        "2025年国库集中支付明细（单位：元）\n"
        "支付流水号,付款单位代码,收款方名称,收款方证件号,金额,支付日期,用途,合同编号\n"
        f"P1,{payer},甲公司,,12.00,2025-01-01,办公,\n"
        f'P2,{payer},"乙公司,分公司",,十二元,2025-02-30,"带""引号""的用途",HT1\n'
        f"P3,{payer},丙公司,, 5 ,2025-13-01,,\n",
        encoding=encoding,
    )
    [sheet] = read_file(path)
    wanted = {e.row for e in sheet.errors}
    assert wanted == {4, 5} and sheet.rejected_cells is not None
    kept = raw_rows(path, sheet, wanted)
    again = _raw_csv(path, sheet.encoding, set(sheet.header_map), wanted)
    assert kept == again
    assert kept[1][4][2:6] == ["乙公司,分公司", "", "十二元", "2025-02-30"]
