"""XLSX deliveries: one and many sheets, typed cells, Excel serial dates, macro and zip-bomb refusals."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jiandu.analytics.intake import DeliveryError, Limits, forms, read_file
from tests.intake.helpers import VALID_ID, VALID_USCC


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


PAYMENTS = [
    ["支付流水号", "付款单位代码", "收款方名称", "金额", "支付日期"],
    ["ZF1", VALID_USCC, "甲公司", 1234.5, dt.datetime(2023, 7, 5)],
    ["ZF2", VALID_USCC, "乙公司", 0.1 + 0.2, 45112],  # a float sum and a plain serial number
    ["ZF3", VALID_USCC, "丙公司", "12.5万", "45112"],
    ["ZF4", VALID_USCC, "丁公司", 99, 60],
]


def test_one_sheet_with_typed_cells_and_serial_dates(tmp_path):
    (sheet,) = read_file(workbook(tmp_path / "2023年报送.xlsx", {"Sheet1": PAYMENTS}))
    assert (sheet.table, sheet.sheet, sheet.encoding) == ("payments", "Sheet1", "")
    assert sheet.valid["amount"].to_list() == [Decimal("1234.50"), Decimal("0.30"), Decimal("125000.00")]
    assert sheet.valid["paid"].to_list() == [dt.date(2023, 7, 5)] * 3
    assert [(e.row, e.column, e.value) for e in sheet.errors] == [(5, "paid", "60")]


def test_many_sheets_each_recognised_and_instruction_sheets_skipped(tmp_path):
    officials = [
        ["公民身份号码", "姓名", "性别", "出生日期"],
        [VALID_ID, "张三", "男", dt.date(1949, 12, 31)],
    ]
    sheets = {"填表说明": [["请按模板填写"]], "支付": PAYMENTS[:2], "干部": officials, "空表": []}
    result = read_file(workbook(tmp_path / "book.xlsx", sheets))
    assert [(s.sheet, s.table, s.total_rows) for s in result] == [
        ("支付", "payments", 1),
        ("干部", "officials", 1),
    ]
    assert result[1].valid["birth_date"].to_list() == [dt.date(1949, 12, 31)]
    assert all(any("填表说明" in n for n in s.notices) for s in result)


def test_workbook_name_applies_only_to_sheets_it_fits(tmp_path):
    officials = [["身份证号", "姓名"], [VALID_ID, "张三"]]
    result = read_file(workbook(tmp_path / "国库集中支付.xlsx", {"A": PAYMENTS[:2], "B": officials}))
    assert [s.table for s in result] == ["payments", "officials"]


def test_sheet_name_names_the_table(tmp_path):
    rows = [["身份证号", "姓名", "出入境日期", "出入境方向"], [VALID_ID, "张三", "2024-01-02", "出境"]]
    (sheet,) = read_file(workbook(tmp_path / "book.xlsx", {"出入境记录": rows}))
    assert sheet.table == "border_crossings"


def test_unrecognised_sheet_with_contract_headers_is_an_error_naming_it(tmp_path):
    sheets = {"支付": PAYMENTS[:2], "残表": [["支付流水号", "金额"], ["ZF9", 1]]}
    with pytest.raises(DeliveryError, match="残表"):
        read_file(workbook(tmp_path / "book.xlsx", sheets))


def test_workbook_without_any_table(tmp_path):
    with pytest.raises(DeliveryError, match="没有可识别的数据表"):
        read_file(workbook(tmp_path / "book.xlsx", {"说明": [["你好"]]}))


def test_id_number_stored_as_a_number_is_explained(tmp_path):
    # Excel keeps 15 significant digits of a number: an 18-digit ID typed as a number is already lost
    rows = [["身份证号", "姓名"], [110105194912310020, "张三"], [1.10105194912310e17, "李四"]]
    (sheet,) = read_file(workbook(tmp_path / "officials.xlsx", {"Sheet1": rows}))
    assert [(e.row, e.reason) for e in sheet.errors] == [(2, forms.ID_SCIENTIFIC), (3, forms.ID_SCIENTIFIC)]


def test_formulas_are_read_as_their_cached_values_never_as_formulas(tmp_path):
    path = workbook(
        tmp_path / "payments.xlsx", {"Sheet1": [PAYMENTS[0], ["ZF1", VALID_USCC, "甲", "=1+1", 45112]]}
    )
    (sheet,) = read_file(path)  # openpyxl writes no cached value: the cell reads as empty, not "=1+1"
    assert [(e.column, e.value) for e in sheet.errors] == [("amount", "")]


def _add_member(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, data)


def test_macro_enabled_workbooks_are_refused(tmp_path):
    path = workbook(tmp_path / "payments.xlsx", {"Sheet1": PAYMENTS})
    _add_member(path, "xl/vbaProject.bin", b"\x00" * 100)
    with pytest.raises(DeliveryError, match="宏"):
        read_file(path)
    with pytest.raises(DeliveryError, match="宏"):
        read_file(workbook(tmp_path / "payments.xlsm", {"Sheet1": PAYMENTS}))


def test_macro_content_type_is_refused(tmp_path):
    source = workbook(tmp_path / "a.xlsx", {"Sheet1": PAYMENTS})
    target = tmp_path / "b.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
            new.writestr(item, data)
    with pytest.raises(DeliveryError, match="宏"):
        read_file(target)


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = workbook(tmp_path / "payments.xlsx", {"Sheet1": PAYMENTS})
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (8 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    with pytest.raises(DeliveryError, match="压缩比异常"):
        read_file(path)
    with pytest.raises(DeliveryError, match="解压后过大"):
        read_file(path, limits=Limits(max_uncompressed_bytes=1024 * 1024, max_ratio=10**9))


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(DeliveryError, match="加密"):
        read_file(path)
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(DeliveryError, match="不是有效的XLSX"):
        read_file(path)


def test_title_rows_numbers_as_text_and_total_row_in_a_sheet(tmp_path):
    rows = [["2023年国库集中支付明细表"], [None], ["序号", *PAYMENTS[0]], [1, 20230001, VALID_USCC, "甲", 5, 45112],
            ["合计", None, None, None, 5, None]]  # fmt: skip
    (sheet,) = read_file(workbook(tmp_path / "book.xlsx", {"Sheet1": rows}))
    assert sheet.valid["_row"].to_list() == [4]
    assert sheet.valid["payment_no"].to_list() == ["20230001"]
    assert sheet.errors == []
    assert any("表头在第3行" in n for n in sheet.notices) and any("第5行是合计行" in n for n in sheet.notices)


def test_explicit_table_for_every_sheet(tmp_path):
    (sheet,) = read_file(workbook(tmp_path / "book.xlsx", {"Sheet1": PAYMENTS[:2]}), table="payments")
    assert sheet.table == "payments"
    with pytest.raises(DeliveryError, match="必填列"):
        read_file(workbook(tmp_path / "book.xlsx", {"Sheet1": PAYMENTS[:2]}), table="officials")
