"""Every contract type's accepted and rejected forms, through both normalisers (they must agree)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiandu.analytics.contract import Column, load_contract
from jiandu.analytics.intake import forms
from tests.intake.helpers import VALID_ID, VALID_USCC, both


def col(kind: str, required: bool = False, values: tuple[str, ...] = ()) -> Column:
    return Column(key="x", zh="测试", type=kind, required=required, values=values)


ACCEPTED = [
    # id_number
    ("id_number", VALID_ID, VALID_ID),
    ("id_number", VALID_ID.lower(), VALID_ID),
    ("id_number", f"  {VALID_ID}\t", VALID_ID),
    ("id_number", "１１０１０５１９４９１２３１００２Ｘ", VALID_ID),
    ("id_number", f"\u00a0{VALID_ID}\u3000", VALID_ID),
    ("id_number", f"'{VALID_ID}", VALID_ID),
    ("id_number", "110105491231002", VALID_ID),  # 15-digit legacy ID, converted
    ("id_number", "440304198501011235", "440304198501011235"),
    ("id_number", "", None),
    ("id_number", None, None),
    # uscc
    ("uscc", VALID_USCC, VALID_USCC),
    ("uscc", VALID_USCC.lower(), VALID_USCC),
    ("uscc", "９１３５０１００Ｍ０００１００Ｙ４３", VALID_USCC),
    ("uscc", f" {VALID_USCC} ", VALID_USCC),
    # region
    ("region", "350100", "350100"),
    ("region", "３５０１００", "350100"),
    ("region", "'350100", "350100"),
    # date
    ("date", "2023-07-05", dt.date(2023, 7, 5)),
    ("date", "2023/7/5", dt.date(2023, 7, 5)),
    ("date", "2023/07/05", dt.date(2023, 7, 5)),
    ("date", "20230705", dt.date(2023, 7, 5)),
    ("date", "2023年7月5日", dt.date(2023, 7, 5)),
    ("date", "2023年07月05日", dt.date(2023, 7, 5)),
    ("date", "2023.07.05", dt.date(2023, 7, 5)),
    ("date", "２０２３－０７－０５", dt.date(2023, 7, 5)),
    ("date", "2023-07-05 00:00:00", dt.date(2023, 7, 5)),
    ("date", "2023/7/5 8:30", dt.date(2023, 7, 5)),
    ("date", "45112", dt.date(2023, 7, 5)),  # Excel serial
    ("date", "45112.75", dt.date(2023, 7, 5)),
    ("date", "1", dt.date(1900, 1, 1)),
    ("date", "59", dt.date(1900, 2, 28)),
    ("date", "61", dt.date(1900, 3, 1)),
    ("date", "2958465", dt.date(9999, 12, 31)),
    ("date", "2024-02-29", dt.date(2024, 2, 29)),
    ("date", "至今", None),
    ("date", " - ", None),
    # money
    ("money", "1234.50", Decimal("1234.50")),
    ("money", "1234.5", Decimal("1234.50")),
    ("money", "1,234.50", Decimal("1234.50")),
    ("money", "12,345,678.9", Decimal("12345678.90")),
    ("money", "１２３４.５", Decimal("1234.50")),
    ("money", "12.5万", Decimal("125000.00")),
    ("money", "12.5万元", Decimal("125000.00")),
    ("money", "12.5 万元", Decimal("125000.00")),
    ("money", "¥1,234.5", Decimal("1234.50")),
    ("money", "￥1,234.5元", Decimal("1234.50")),
    ("money", "1234元", Decimal("1234.00")),
    ("money", "-12.345", Decimal("-12.35")),  # half-up, away from zero
    ("money", "−5", Decimal("-5.00")),
    ("money", "0.005", Decimal("0.01")),
    ("money", "0.004", Decimal("0.00")),
    ("money", "-0.004", Decimal("0.00")),
    ("money", "1.2345678万", Decimal("12345.68")),
    ("money", "5.", Decimal("5.00")),
    ("money", "0012", Decimal("12.00")),
    ("money", "9999999999999999.99", Decimal("9999999999999999.99")),
    # int
    ("int", "2023", 2023),
    ("int", "２０２３", 2023),
    ("int", "1,234", 1234),
    ("int", "-3", -3),
    ("int", "12.0", 12),
    ("int", "9223372036854775807", 9223372036854775807),
    # bool
    ("bool", "是", True),
    ("bool", "否", False),
    ("bool", "Y", True),
    ("bool", "n", False),
    ("bool", "Ｙ", True),
    ("bool", "1", True),
    ("bool", "0", False),
    ("bool", "TRUE", True),
    ("bool", "false", False),
    ("bool", "yes", True),
    # list
    ("list", "住建;交通", ["住建", "交通"]),
    ("list", "住建；交通、水利,教育，医疗", ["住建", "交通", "水利", "教育", "医疗"]),
    ("list", "a; ;b", ["a", "b"]),
    ("list", ";", None),
    ("list", "11010519491231002x;其他", [VALID_ID, "其他"]),
    # text
    ("text", " 甲公司\u3000", "甲公司"),
    ("text", "甲（集团）有限公司", "甲（集团）有限公司"),
    ("text", "\u200b甲\u00a0乙", "甲 乙"),
    ("text", "   ", None),
    ("text", "-", "-"),
]


@pytest.mark.parametrize(("kind", "raw", "expected"), ACCEPTED)
def test_accepted_forms(kind, raw, expected):
    assert both(col(kind), raw) == (expected, None)


REJECTED = [
    ("id_number", "11010519491231002Y", forms.ID_CHARS),
    ("id_number", "110105194912310021", forms.ID_CHECK),
    ("id_number", "110105194902301234", forms.ID_BIRTH),
    ("id_number", "110105000001011234", forms.ID_BIRTH),
    ("id_number", "110105491331002", forms.ID_BIRTH),
    ("id_number", "11010549123100X", forms.ID_CHARS),
    ("id_number", "1101051949123100", forms.id_length_reason(16)),
    ("id_number", "1.10105194912E+17", forms.ID_SCIENTIFIC),
    ("uscc", "91350100M000100Y44", forms.USCC_CHECK),
    ("uscc", "91350100M000100I43", forms.USCC_CHARS),
    ("uscc", "9135010", forms.uscc_length_reason(7)),
    ("uscc", "9.13501E+17", forms.USCC_SCIENTIFIC),
    ("region", "35010", forms.REGION_FORM),
    ("region", "35010A", forms.REGION_FORM),
    ("date", "2023-02-30", forms.DATE_MISSING),
    ("date", "2023-02-29", forms.DATE_MISSING),
    ("date", "2023-13-01", forms.DATE_MISSING),
    ("date", "0000-01-01", forms.DATE_MISSING),
    ("date", "20231301", forms.DATE_MISSING),
    ("date", "2023-07/05", forms.DATE_FORM),
    ("date", "2023.7.5日", forms.DATE_FORM),
    ("date", "07/05/2023", forms.DATE_FORM),
    ("date", "July 5", forms.DATE_FORM),
    ("date", "60", forms.DATE_SERIAL_PHANTOM),
    ("date", "0", forms.DATE_SERIAL_RANGE),
    ("date", "2958466", forms.DATE_SERIAL_RANGE),
    ("date", "2023", forms.DATE_YEARLIKE),
    ("money", "abc", forms.MONEY_FORM),
    ("money", "1,23", forms.MONEY_FORM),
    ("money", "1e5", forms.MONEY_FORM),
    ("money", "$5", forms.MONEY_FORM),
    ("money", "12.5亿", forms.MONEY_FORM),
    ("money", ".5", forms.MONEY_FORM),
    ("money", "¥-5", forms.MONEY_FORM),
    ("money", "10000000000000000", forms.MONEY_RANGE),
    ("money", "9999999999999999.995", forms.MONEY_RANGE),
    ("money", "1000000000000万", forms.MONEY_RANGE),
    ("int", "12.5", forms.INT_FORM),
    ("int", "abc", forms.INT_FORM),
    ("int", "9223372036854775808", forms.INT_RANGE),
    ("bool", "对", forms.BOOL_FORM),
    ("bool", "2", forms.BOOL_FORM),
]


@pytest.mark.parametrize(("kind", "raw", "reason"), REJECTED)
def test_rejected_forms(kind, raw, reason):
    assert both(col(kind), raw) == (None, reason)


@pytest.mark.parametrize(
    "kind", ["id_number", "uscc", "region", "date", "money", "int", "bool", "text", "list"]
)
@pytest.mark.parametrize("raw", [None, "", "  ", "\u3000"])
def test_required_column_must_not_be_empty(kind, raw):
    assert both(col(kind, required=True), raw) == (None, forms.REQUIRED)


def test_empty_markers_count_as_empty_in_typed_columns_only():
    assert both(col("date", required=True), "至今") == (None, forms.REQUIRED)
    assert both(col("text", required=True), "无") == ("无", None)


def test_enum_values_after_normalisation():
    gender = col("enum", values=("男", "女"))
    assert both(gender, " 女\u3000") == ("女", None)
    assert both(gender, "m") == (None, forms.enum_reason(("男", "女")))
    assert "男、女" in forms.enum_reason(("男", "女"))


def test_every_contract_enum_value_is_accepted_as_delivered():
    # values are compared after NFKC, so a contract value that NFKC changes could never be matched
    for table in load_contract().values():
        for column in table.columns:
            for value in column.values:
                assert both(column, f" {value}\u3000") == (value, None), (table.name, column.key, value)
