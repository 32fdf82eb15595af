"""Hypothesis: the vectorised normaliser equals the scalar reference on generated values, type by type."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiandu.analytics.contract import Column
from jiandu.analytics.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char
from tests.intake.helpers import scalar, vectorised

NOISE = " \u00a0\u3000\t'"
CHARS = "0123456789０１２９Xx-/.年月日万元¥￥,，;；、:−ABCDEFGHIJKLMNOPQRSTUVWXYZ甲乙是否yYnNtrueflsT" + NOISE
DIGITS = "0123456789"

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def padded(core: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.text(NOISE, max_size=2), core, st.text(NOISE, max_size=2)).map("".join)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.text(DIGITS, min_size=6, max_size=6))
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)))
    first17 = region + born.strftime("%Y%m%d") + draw(st.text(DIGITS, min_size=3, max_size=3))
    value = first17 + id_check_char(first17)
    mutation = draw(st.sampled_from(["none", "lower", "legacy", "digit", "date", "cut"]))
    if mutation == "lower":
        value = value.lower()
    elif mutation == "legacy":
        value = value[:6] + value[8:17]
    elif mutation == "digit":
        i = draw(st.integers(0, 17))
        value = value[:i] + draw(st.sampled_from(DIGITS + "X")) + value[i + 1 :]
    elif mutation == "date":
        value = value[:10] + draw(st.text(DIGITS, min_size=4, max_size=4)) + value[14:]
    elif mutation == "cut":
        value = value[: draw(st.integers(0, 17))]
    return value


@st.composite
def usccs(draw: st.DrawFn) -> str:
    first17 = draw(st.text(USCC_ALPHABET, min_size=17, max_size=17))
    value = first17 + uscc_check_char(first17)
    if draw(st.booleans()):
        i = draw(st.integers(0, 17))
        value = value[:i] + draw(st.sampled_from(USCC_ALPHABET + "IOZSV")) + value[i + 1 :]
    return value


@st.composite
def dates(draw: st.DrawFn) -> str:
    y, m, d = draw(st.integers(0, 9999)), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    form = draw(st.sampled_from(["{y:04d}-{m:02d}-{d:02d}", "{y:04d}/{m}/{d}", "{y:04d}{m:02d}{d:02d}",
                                 "{y:04d}年{m}月{d}日", "{y:04d}.{m:02d}.{d:02d}", "{y:04d}-{m}/{d}",
                                 "{y:04d}-{m:02d}-{d:02d} 08:30:00"]))  # fmt: skip
    serial = str(draw(st.integers(0, 3_000_000)))
    return draw(st.sampled_from([form.format(y=y, m=m, d=d), serial, serial + ".5"]))


@st.composite
def amounts(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 10**17))
    text = f"{whole:,}" if draw(st.booleans()) else str(whole)
    if draw(st.booleans()):
        text += "." + draw(st.text(DIGITS, max_size=8))
    sign = draw(st.sampled_from(["", "-", "−"]))
    return (
        sign + draw(st.sampled_from(["", "¥", "￥"])) + text + draw(st.sampled_from(["", "元", "万", "万元"]))
    )


def check(
    kind: str, values: list[str], required: bool = False, allowed: tuple[str, ...] = (), in_wan: bool = False
) -> None:
    column = Column(key="x", zh="测试", type=kind, required=required, values=allowed)
    assert vectorised(column, values, in_wan=in_wan) == [scalar(column, v, in_wan=in_wan) for v in values]


@SETTINGS
@given(st.lists(st.one_of(padded(id_numbers()), st.text(CHARS, max_size=20)), max_size=40))
def test_id_number(values):
    check("id_number", values)


@SETTINGS
@given(st.lists(st.one_of(padded(usccs()), st.text(CHARS, max_size=20)), max_size=40))
def test_uscc(values):
    check("uscc", values, required=True)


@SETTINGS
@given(st.lists(st.one_of(padded(dates()), st.text(CHARS, max_size=12)), max_size=40))
def test_date(values):
    check("date", values)


@SETTINGS
@given(st.lists(st.one_of(padded(amounts()), st.text(CHARS, max_size=12)), max_size=40))
def test_money(values):
    check("money", values)
    check("money", values, in_wan=True)


@SETTINGS
@given(st.lists(st.text(CHARS, max_size=25), max_size=40))
def test_other_types(values):
    for kind in ("region", "int", "bool", "text", "list"):
        check(kind, values)
    check("enum", values, allowed=("是", "否", "甲"))
