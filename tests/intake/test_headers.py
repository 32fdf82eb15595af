"""Header matching and table recognition, driven by the contract."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from jiandu.analytics.contract import load_contract
from jiandu.analytics.intake import CellValueError, DeliveryError, normalise_value, read_file, recognise_table
from jiandu.analytics.intake.expressions import normalise_column
from jiandu.analytics.intake.headers import header_form, match_headers, table_from_hint
from tests.intake.helpers import VALID_USCC, write_csv


def test_no_header_names_two_columns_of_one_table():
    for table in load_contract().values():
        seen: dict[str, str] = {}
        for column in table.columns:
            for header in column.headers:
                form = header_form(header)
                assert seen.setdefault(form, column.key) == column.key, (table.name, header)


@pytest.mark.parametrize("table", list(load_contract()))
def test_every_table_is_recognised_from_its_own_headers_in_any_form(table):
    spec = load_contract()[table]
    zh = [c.zh for c in spec.columns]
    keys = [c.key for c in reversed(spec.columns)]
    assert recognise_table(zh) == table  # headers alone suffice, even with only the required columns
    assert recognise_table([c.zh for c in spec.columns if c.required]) == table
    assert recognise_table(zh, spec.zh) == table
    assert recognise_table(keys, f"{table}.jsonl") == table
    assert recognise_table([f" {h}* " for h in zh], f"{spec.zh}.csv") == table


def test_recognition_from_headers_alone_prefers_the_fuller_match():
    headers = ["身份证号", "姓名", "单位代码", "职务", "是否一把手", "是否班子成员", "任职时间"]
    assert recognise_table(headers) == "positions"  # officials fits too (身份证号, 姓名) but matches less
    assert recognise_table(["身份证号", "姓名", "性别"]) == "officials"


def test_hints_name_tables_in_chinese_or_english():
    assert table_from_hint("2024年 国库集中支付（第3批）.csv") == "payments"
    assert table_from_hint("bank_transactions_2024.xlsx") == "bank_transactions"
    assert table_from_hint("家庭成员.xlsx") == "family_members"
    assert table_from_hint("汇总.xlsx") is None


def test_ambiguous_and_unknown_headers():
    both = ["问题编号", "问题描述", "问题类别", "发现日期", "审计项目编号", "审计类型", "被审计单位代码", "巡察轮次",
            "被巡察单位代码", "涉及人员身份证号"]  # fmt: skip
    with pytest.raises(DeliveryError, match="无法确定"):
        recognise_table(both)
    assert recognise_table(both, "巡察发现问题.xlsx") == "inspection_findings"
    with pytest.raises(DeliveryError, match="无法识别"):
        recognise_table(["甲", "乙"], "x.csv")


def test_match_reports_unknown_and_repeated_headers():
    match = match_headers(["身份证号", "证件号码", "姓名", "备注", ""], load_contract()["officials"])
    assert match.header_map == {"身份证号": "id_number", "姓名": "name"}
    assert match.unknown == ["备注"]
    assert match.repeated == [("身份证号", "证件号码")]


def test_wan_header_scales_plain_numbers(tmp_path):
    rows = [
        ["项目编号", "项目名称", "招标人代码", "采购方式", "项目类别", "预算金额（万元）"],
        ["T1", "道路工程", VALID_USCC, "公开招标", "工程", "12.5"],
        ["T2", "设备", VALID_USCC, "询价", "货物", "800元"],
    ]
    (sheet,) = read_file(write_csv(tmp_path / "tenders.csv", rows))
    assert sheet.valid["budget"].to_list() == [Decimal("125000.00"), Decimal("800.00")]
    assert any("万元" in n for n in sheet.notices)
    budget = load_contract()["tenders"].column("budget")
    vectorised = normalise_column(pl.Series(["12.5", "1万", "3元"]), budget, in_wan=True)["typed"].to_list()
    assert vectorised == [normalise_value(budget, v, in_wan=True) for v in ["12.5", "1万", "3元"]]
    with pytest.raises(CellValueError):
        normalise_value(budget, "abc", in_wan=True)


def test_wan_note_on_a_non_money_column_is_not_matched():
    match = match_headers(["项目编号（万元）", "项目名称"], load_contract()["tenders"])
    assert match.unknown == ["项目编号（万元）"]
