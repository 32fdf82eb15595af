"""The scalar reference normaliser: one value at a time, written for clarity, not speed.

The importer itself uses the vectorised expressions in `expressions.py`; this module states the same
rules in plain Python so tests can check the fast path against it on many generated values.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from jiandu.analytics import identifiers
from jiandu.analytics.contract import Column
from jiandu.analytics.intake import forms


class CellValueError(ValueError):
    """A cell's value is not acceptable; `reason` is the Chinese explanation for the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_SPACE_LIKE = re.compile(forms.SPACE_LIKE)
_ZERO_WIDTH = re.compile(forms.ZERO_WIDTH)
_EXCEL_EPOCH = dt.date(1970, 1, 1) + dt.timedelta(days=forms.EXCEL_EPOCH_DAYS)


def clean_text(raw: str | None) -> str | None:
    """Text keeps its characters (Chinese punctuation included); only odd spaces are folded and trimmed."""
    if raw is None:
        return None
    value = _ZERO_WIDTH.sub("", _SPACE_LIKE.sub(" ", raw)).strip(forms.STRIP_CHARS)
    return value or None


def clean_code(raw: str | None) -> str | None:
    """Identifiers, numbers, dates, enum values: NFKC (full-width → half-width), spaces folded, trimmed."""
    if raw is None:
        return None
    value = clean_text(unicodedata.normalize("NFKC", raw))
    if value is None or value.lower() in forms.EMPTY_MARKERS:
        return None
    return value


def _identifier(raw: str | None) -> str | None:
    value = clean_code(raw)
    if value is None:
        return None
    return value.removeprefix("'").upper() or None


def _id_number(value: str) -> str:
    if re.match(forms.SCIENTIFIC, value):
        raise CellValueError(forms.ID_SCIENTIFIC)
    if len(value) not in (15, 18):
        raise CellValueError(forms.id_length_reason(len(value)))
    if len(value) == 15:
        if not re.match(forms.ID_15, value):
            raise CellValueError(forms.ID_CHARS)
        value = identifiers.id_upgrade_15(value)
    if not re.match(forms.ID_18, value):
        raise CellValueError(forms.ID_CHARS)
    if identifiers.id_birth_date(value) is None:
        raise CellValueError(forms.ID_BIRTH)
    if identifiers.id_check_char(value[:17]) != value[17]:
        raise CellValueError(forms.ID_CHECK)
    return value


def _uscc(value: str) -> str:
    if re.match(forms.SCIENTIFIC, value):
        raise CellValueError(forms.USCC_SCIENTIFIC)
    if len(value) != 18:
        raise CellValueError(forms.uscc_length_reason(len(value)))
    if not re.match(forms.USCC_18, value):
        raise CellValueError(forms.USCC_CHARS)
    if identifiers.uscc_check_char(value[:17]) != value[17]:
        raise CellValueError(forms.USCC_CHECK)
    return value


def _calendar_date(year: str, month: str, day: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellValueError(forms.DATE_MISSING) from None


def _date(value: str) -> dt.date:
    m = re.match(forms.DATE_SEPARATED, value)
    if m:
        year, sep1, month, sep2, day, ri = m.groups()
        western = sep1 == sep2 and sep1 in "-/." and ri == ""
        chinese = sep1 == "年" and sep2 == "月"
        if western or chinese:
            return _calendar_date(year, month, day)
        raise CellValueError(forms.DATE_FORM)
    m = re.match(forms.DATE_COMPACT, value)
    if m:
        return _calendar_date(*m.groups())
    m = re.match(forms.DATE_SERIAL, value)
    if m:
        serial = int(m.group(1))
        if forms.SERIAL_YEARLIKE[0] <= serial <= forms.SERIAL_YEARLIKE[1]:
            raise CellValueError(forms.DATE_YEARLIKE)
        if not forms.SERIAL_MIN <= serial <= forms.SERIAL_MAX:
            raise CellValueError(forms.DATE_SERIAL_RANGE)
        if serial == forms.SERIAL_PHANTOM:
            raise CellValueError(forms.DATE_SERIAL_PHANTOM)
        return _EXCEL_EPOCH + dt.timedelta(days=serial + (1 if serial < forms.SERIAL_PHANTOM else 0))
    raise CellValueError(forms.DATE_FORM)


def _money(value: str, in_wan: bool) -> Decimal:
    m = re.match(forms.MONEY, value)
    if not m:
        raise CellValueError(forms.MONEY_FORM)
    sign, integer, fraction, unit = m.groups()
    integer = integer.replace(",", "")
    scale = 4 if unit in ("万", "万元") or (unit is None and in_wan) else 0
    if len(integer.lstrip("0")) + scale > forms.MONEY_MAX_INTEGER_DIGITS:
        raise CellValueError(forms.MONEY_RANGE)
    amount = (Decimal(f"{integer}.{fraction or '0'}") * 10**scale).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if amount >= Decimal(10) ** forms.MONEY_MAX_INTEGER_DIGITS:
        raise CellValueError(forms.MONEY_RANGE)
    return -amount if sign and amount else amount


def _int(value: str) -> int:
    m = re.match(forms.INT, value)
    if not m:
        raise CellValueError(forms.INT_FORM)
    number = int(m.group(2).replace(",", ""))
    number = -number if m.group(1) else number
    if not -(2**63) <= number < 2**63:
        raise CellValueError(forms.INT_RANGE)
    return number


def _bool(value: str) -> bool:
    folded = value.lower()
    if folded in forms.BOOL_TRUE:
        return True
    if folded in forms.BOOL_FALSE:
        return False
    raise CellValueError(forms.BOOL_FORM)


def _list(value: str) -> list[str] | None:
    items = []
    for part in re.split(forms.LIST_SEPARATORS, value):
        item = clean_text(part)
        if item:
            items.append(re.sub(forms.ID_LOWER_X, r"\1X", item))
    return items or None


def normalise_value(column: Column, raw: str | None, *, in_wan: bool = False) -> object:
    """The typed value of one delivered cell, or None when empty; raises CellValueError(reason).

    `in_wan`: a money column whose header says 万元 (e.g. "预算金额（万元）"): plain numbers are in 万."""
    kind = column.type
    if kind == "text":
        value: str | None = clean_text(raw)
    elif kind in ("id_number", "uscc", "region"):
        value = _identifier(raw)
    else:
        value = clean_code(raw)
    if value is None:
        if column.required:
            raise CellValueError(forms.REQUIRED)
        return None
    if kind == "text":
        return value
    if kind == "id_number":
        return _id_number(value)
    if kind == "uscc":
        return _uscc(value)
    if kind == "region":
        if not re.match(forms.REGION, value):
            raise CellValueError(forms.REGION_FORM)
        return value
    if kind == "date":
        return _date(value)
    if kind == "money":
        return _money(value, in_wan)
    if kind == "int":
        return _int(value)
    if kind == "bool":
        return _bool(value)
    if kind == "enum":
        if value not in column.values:
            raise CellValueError(forms.enum_reason(column.values))
        return value
    if kind == "list":
        items = _list(value)
        if items is None and column.required:
            raise CellValueError(forms.REQUIRED)
        return items
    raise ValueError(f"unknown contract type {kind!r}")
