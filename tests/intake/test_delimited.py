"""CSV and JSON lines deliveries: encodings, headers, recognition, row numbers, file-level refusals."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from jiandu.analytics.contract import load_contract
from jiandu.analytics.intake import DeliveryError, Limits, read_file
from jiandu.analytics.intake.validate import empty_valid
from tests.intake.helpers import VALID_ID, VALID_USCC, write_csv

PAYMENT_HEADERS = ["支付流水号", "付款单位代码", "收款方名称", "金额", "支付日期"]
PAYMENT_ROW = ["ZF001", VALID_USCC, "某某建设工程有限公司", "1,234.50", "2023-07-05"]


@pytest.mark.parametrize(("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                    ("gbk", "gb18030"), ("gb18030", "gb18030"),
                                                    ("utf-16", "utf-16")])  # fmt: skip
def test_encodings_are_detected(tmp_path, encoding, detected):
    rows = [
        PAYMENT_HEADERS,
        PAYMENT_ROW,
        ["ZF002", VALID_USCC, "甲乙丙丁（集团）公司", "12.5万", "2023年7月6日"],
    ]
    if encoding == "utf-16":  # Excel's "Unicode text" export is tab-separated UTF-16
        path = tmp_path / "国库集中支付.txt"
        path.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))
    else:
        path = write_csv(tmp_path / "国库集中支付.csv", rows, encoding)
    (sheet,) = read_file(path)
    assert sheet.encoding == detected
    assert sheet.table == "payments"
    assert sheet.errors == []
    assert sheet.valid["payee_name"].to_list() == ["某某建设工程有限公司", "甲乙丙丁（集团）公司"]
    assert sheet.valid["amount"].to_list() == [Decimal("1234.50"), Decimal("125000.00")]


def test_undecodable_bytes_are_a_delivery_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x81\x20\xff\xfe\x00" * 10)
    with pytest.raises(DeliveryError, match="字符编码无法识别"):
        read_file(path)


def test_headers_by_alias_or_key_in_any_order(tmp_path):
    rows = [
        ["区划代码", "kind", " 机构名称 ", "单位代码*", "层级", "无关列"],
        ["350100", "党政机关", "某市住建局", VALID_USCC, "市", "x"],
    ]
    (sheet,) = read_file(write_csv(tmp_path / "export.csv", rows))
    assert sheet.table == "units"
    assert sheet.header_map == {
        "区划代码": "region_code", "kind": "kind", " 机构名称 ": "name", "单位代码*": "unit_code", "层级": "level",
    }  # fmt: skip
    assert sheet.valid.row(0, named=True)["unit_code"] == VALID_USCC
    assert any("无关列" in n for n in sheet.notices)
    assert list(sheet.valid.columns) == ["_row", "unit_code", "name", "parent_code", "region_code", "kind",
                                         "level", "sector"]  # fmt: skip


def test_row_numbers_count_like_a_spreadsheet(tmp_path):
    rows = [PAYMENT_HEADERS, PAYMENT_ROW, ["", "", "", "", ""], ["ZF003", "bad", "x", "1", "2023-01-01"]]
    (sheet,) = read_file(write_csv(tmp_path / "payments.csv", rows))
    assert sheet.valid["_row"].to_list() == [2]
    assert [(e.row, e.column, e.header, e.value) for e in sheet.errors] == [
        (4, "payer_code", "付款单位代码", "bad")
    ]
    assert sheet.total_rows == 2  # the blank row is not data


def test_a_bad_row_never_blocks_the_others_and_every_bad_cell_is_reported(tmp_path):
    rows = [PAYMENT_HEADERS, ["ZF1", "x", "", "abc", "2023-02-30"], PAYMENT_ROW]
    (sheet,) = read_file(write_csv(tmp_path / "payments.csv", rows))
    assert sheet.valid["payment_no"].to_list() == ["ZF001"]
    assert [e.column for e in sheet.errors] == ["payer_code", "payee_name", "amount", "paid"]
    assert {e.row for e in sheet.errors} == {2}
    assert all(e.reason for e in sheet.errors)


def test_duplicate_natural_key_in_one_file(tmp_path):
    rows = [PAYMENT_HEADERS, PAYMENT_ROW, ["ZF002", *PAYMENT_ROW[1:]], [" ZF001 ", *PAYMENT_ROW[1:]]]
    (sheet,) = read_file(write_csv(tmp_path / "payments.csv", rows))
    assert sheet.valid["_row"].to_list() == [2, 3]
    (error,) = sheet.errors
    assert (error.row, error.column, error.reason) == (4, None, "主键与第2行重复")
    assert sheet.total_rows == 3


def test_missing_required_column_is_a_delivery_error_naming_it(tmp_path):
    rows = [["支付流水号", "付款单位代码", "收款方名称", "支付日期"], ["ZF1", VALID_USCC, "x", "2023-01-01"]]
    with pytest.raises(DeliveryError, match="缺少必填列：金额"):
        read_file(write_csv(tmp_path / "国库集中支付.csv", rows))
    with pytest.raises(DeliveryError, match="金额"):
        read_file(write_csv(tmp_path / "export.csv", rows), table="payments")


def test_two_headers_for_one_column_are_refused(tmp_path):
    rows = [["身份证号", "公民身份号码", "姓名"], [VALID_ID, VALID_ID, "张三"]]
    with pytest.raises(DeliveryError, match="重复的列"):
        read_file(write_csv(tmp_path / "officials.csv", rows))


def test_table_recognised_from_file_name_when_headers_fit_several(tmp_path):
    rows = [["身份证号", "姓名"], [VALID_ID, "张三"]]
    (sheet,) = read_file(write_csv(tmp_path / "x.csv", rows))
    assert sheet.table == "officials"
    rows = [["身份证号", "姓名", "出入境日期", "出入境方向"], [VALID_ID, "张三", "2024-01-02", "出境"]]
    (sheet,) = read_file(write_csv(tmp_path / "出入境记录2024.csv", rows))
    assert sheet.table == "border_crossings"
    assert sheet.valid["crossed"].to_list() == [dt.date(2024, 1, 2)]


def test_explicit_table_wins(tmp_path):
    rows = [["身份证号", "姓名"], [VALID_ID, "张三"]]
    with pytest.raises(DeliveryError, match="不在数据交换规范中"):
        read_file(write_csv(tmp_path / "x.csv", rows), table="nonsense")
    with pytest.raises(DeliveryError, match="必填列"):
        read_file(write_csv(tmp_path / "x.csv", rows), table="border_crossings")


def test_title_line_above_the_header(tmp_path):
    rows = [["2023年国库集中支付明细"], [], PAYMENT_HEADERS, PAYMENT_ROW]
    (sheet,) = read_file(write_csv(tmp_path / "payments.csv", rows))
    assert sheet.valid["_row"].to_list() == [4]
    assert any("表头在第3行" in n for n in sheet.notices)


def test_total_row_at_the_end_is_skipped_with_a_notice(tmp_path):
    rows = [["序号", *PAYMENT_HEADERS], ["1", *PAYMENT_ROW], ["合 计", "", "", "", "1,234.50", ""]]
    (sheet,) = read_file(write_csv(tmp_path / "payments.csv", rows))
    assert (sheet.valid.height, sheet.errors, sheet.total_rows) == (1, [], 1)
    assert any("第3行是合计行" in n for n in sheet.notices)


def test_unrecognisable_and_empty_files(tmp_path):
    with pytest.raises(DeliveryError, match="无法识别"):
        read_file(write_csv(tmp_path / "x.csv", [["甲", "乙"], ["1", "2"]]))
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(DeliveryError, match="空的"):
        read_file(tmp_path / "empty.csv")


def test_broken_csv_is_refused_without_quoting_its_content(tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text('支付流水号,金额\n"110105194912310021,1\n2,3\n', encoding="utf-8")
    with pytest.raises(DeliveryError, match="不是有效的CSV") as caught:
        read_file(path)
    assert "110105" not in str(caught.value)


def test_limits(tmp_path):
    path = write_csv(tmp_path / "payments.csv", [PAYMENT_HEADERS, PAYMENT_ROW, ["ZF2", *PAYMENT_ROW[1:]]])
    with pytest.raises(DeliveryError, match="过大"):
        read_file(path, limits=Limits(max_bytes=10))
    with pytest.raises(DeliveryError, match="行数超过上限"):
        read_file(path, limits=Limits(max_rows=1))


def test_jsonl_with_english_keys(tmp_path):
    lines = [
        {"payment_no": "ZF1", "payer_code": VALID_USCC, "payee_name": "甲", "amount": 1234.5, "paid": "2023-07-05"},
        "not json",
        {"payment_no": "ZF2", "payer_code": VALID_USCC, "payee_name": "乙", "amount": "12万", "paid": 45112,
         "purpose": None, "extra": 1},
        {"payment_no": "ZF1", "payer_code": VALID_USCC, "payee_name": "丙", "amount": 1, "paid": "2023-07-05"},
    ]  # fmt: skip
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path = tmp_path / "payments.jsonl"
    path.write_text(text + "\n\n", encoding="utf-8")
    (sheet,) = read_file(path)
    assert sheet.table == "payments"
    assert sheet.valid["_row"].to_list() == [1, 3]
    assert sheet.valid["amount"].to_list() == [Decimal("1234.50"), Decimal("120000.00")]
    assert sheet.valid["paid"].to_list() == [dt.date(2023, 7, 5)] * 2
    assert [(e.row, e.reason) for e in sheet.errors] == [
        (2, "该行不是有效的JSON对象"),
        (4, "主键与第1行重复"),
    ]
    assert sheet.total_rows == 4
    assert any("extra" in n for n in sheet.notices)


def test_jsonl_with_chinese_keys_and_an_explicit_table(tmp_path):
    path = tmp_path / "export.jsonl"
    record = {"身份证号": VALID_ID.lower(), "姓名": "张三", "性别": "男"}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (sheet,) = read_file(path, table="officials")
    assert sheet.valid["id_number"].to_list() == [VALID_ID]
    with pytest.raises(DeliveryError, match="必填字段"):
        read_file(path, table="payments")


def test_cell_error_repr_keeps_the_value_out(tmp_path):
    rows = [["身份证号", "姓名"], ["110105194912310021", "张三"]]
    (sheet,) = read_file(write_csv(tmp_path / "officials.csv", rows))
    (error,) = sheet.errors
    assert error.value == "110105194912310021"
    assert "110105194912310021" not in repr(error)


SAMPLE = {"id_number": VALID_ID, "uscc": VALID_USCC, "region": "350100", "date": "2023-01-01", "money": "1",
          "int": "1", "bool": "是", "text": "x", "list": "a;b"}  # fmt: skip


@pytest.mark.parametrize("name", list(load_contract()))
def test_every_table_reads_a_valid_row_with_the_interface_types(tmp_path, name):
    table = load_contract()[name]
    headers = [c.zh for c in table.columns]
    row = [c.values[0] if c.type == "enum" else SAMPLE[c.type] for c in table.columns]
    (sheet,) = read_file(write_csv(tmp_path / f"{name}.csv", [headers, row]))
    assert sheet.errors == []
    assert sheet.valid.schema == empty_valid(table).schema
    assert sheet.valid.height == 1
    required = [(c.zh, row[i]) for i, c in enumerate(table.columns) if c.required]
    (sparse,) = read_file(
        write_csv(tmp_path / f"{name}.csv", [[h for h, _ in required], [v for _, v in required]])
    )
    assert (sparse.valid.schema, sparse.valid.height) == (empty_valid(table).schema, 1)
    (empty,) = read_file(write_csv(tmp_path / f"{name}.csv", [headers]))
    assert (empty.valid.schema, empty.total_rows) == (empty_valid(table).schema, 0)
