"""Vectorised normalisation: for each contract column, a polars expression for the typed value and one
for the reason it is rejected (null when the cell is fine).

Both take the delivered column as strings. The rules are those of the scalar reference (`scalar.py`),
written as column expressions so a million rows are checked in one pass over each column; the check digits
are weighted sums over `str.slice` positions. Patterns and reasons come from `forms.py`.
"""

from __future__ import annotations

import polars as pl

from jiandu.analytics.contract import Column
from jiandu.analytics.identifiers import USCC_ALPHABET
from jiandu.analytics.intake import forms

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_INDEX = {c: i for i, c in enumerate(USCC_ALPHABET)}

MONEY_DTYPE = pl.Decimal(18, 2)


def _null_str() -> pl.Expr:
    return pl.lit(None, dtype=pl.String)


def clean_text(raw: pl.Expr) -> pl.Expr:
    folded = raw.str.replace_all(forms.SPACE_LIKE, " ").str.replace_all(forms.ZERO_WIDTH, "")
    stripped = folded.str.strip_chars(forms.STRIP_CHARS)
    return pl.when(stripped.str.len_bytes() > 0).then(stripped).otherwise(_null_str())


def clean_code(raw: pl.Expr) -> pl.Expr:
    value = clean_text(raw.str.normalize("NFKC"))
    return pl.when(value.str.to_lowercase().is_in(forms.EMPTY_MARKERS)).then(_null_str()).otherwise(value)


def clean_identifier(raw: pl.Expr) -> pl.Expr:
    value = clean_code(raw).str.strip_prefix("'").str.to_uppercase()
    return pl.when(value.str.len_bytes() > 0).then(value).otherwise(_null_str())


def clean(column: Column, raw: pl.Expr) -> pl.Expr:
    """Stage one: the delivered string made comparable (see scalar.clean_* for the rules)."""
    if column.type == "text":
        return clean_text(raw)
    if column.type in ("id_number", "uscc", "region"):
        return clean_identifier(raw)
    return clean_code(raw)


def _digit(value: pl.Expr, position: int) -> pl.Expr:
    return value.str.slice(position, 1).cast(pl.Int32, strict=False)


def id_check_char(first17: pl.Expr) -> pl.Expr:
    total = pl.sum_horizontal(_digit(first17, i) * w for i, w in enumerate(_ID_WEIGHTS))
    return pl.lit(_ID_CHECK).str.slice(total % 11, 1)


def uscc_check_char(first17: pl.Expr) -> pl.Expr:
    total = pl.sum_horizontal(
        first17.str.slice(i, 1).replace_strict(_USCC_INDEX, default=0, return_dtype=pl.Int32) * w
        for i, w in enumerate(_USCC_WEIGHTS)
    )
    return pl.lit(USCC_ALPHABET).str.slice((31 - total % 31) % 31, 1)


def _valid_date(iso: pl.Expr) -> pl.Expr:
    """The date for a zero-padded YYYY-MM-DD string; null when the day does not exist (or year 0)."""
    parsed = iso.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(iso.str.starts_with("0000")).then(None).otherwise(parsed)


def id_number(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    length = value.str.len_chars()
    is15 = value.str.contains(forms.ID_15)
    full = pl.when(is15).then(value.str.slice(0, 6) + "19" + value.str.slice(6, 9)).otherwise(value)
    first17 = full.str.slice(0, 17)
    check = id_check_char(first17)
    full = pl.when(is15).then(first17 + check).otherwise(full)
    birth = _valid_date(
        full.str.slice(6, 4) + "-" + full.str.slice(10, 2) + "-" + full.str.slice(12, 2)
    )
    reason = (
        pl.when(value.str.contains(forms.SCIENTIFIC))
        .then(pl.lit(forms.ID_SCIENTIFIC))
        .when(~length.is_in([15, 18]))
        .then(pl.format("身份证号应为18位（或15位旧号），实际为{}位", length))
        .when(~full.str.contains(forms.ID_18))
        .then(pl.lit(forms.ID_CHARS))
        .when(birth.is_null())
        .then(pl.lit(forms.ID_BIRTH))
        .when(full.str.slice(17, 1) != check)
        .then(pl.lit(forms.ID_CHECK))
    )
    return full, reason


def uscc(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    length = value.str.len_chars()
    reason = (
        pl.when(value.str.contains(forms.SCIENTIFIC))
        .then(pl.lit(forms.USCC_SCIENTIFIC))
        .when(length != 18)
        .then(pl.format("统一社会信用代码应为18位，实际为{}位", length))
        .when(~value.str.contains(forms.USCC_18))
        .then(pl.lit(forms.USCC_CHARS))
        .when(value.str.slice(17, 1) != uscc_check_char(value.str.slice(0, 17)))
        .then(pl.lit(forms.USCC_CHECK))
    )
    return value, reason


def region(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return value, pl.when(~value.str.contains(forms.REGION)).then(pl.lit(forms.REGION_FORM))


def date(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    sep = value.str.extract_groups(forms.DATE_SEPARATED)
    sep1, sep2 = sep.struct.field("2"), sep.struct.field("4")
    western = (sep1 == sep2) & sep1.is_in(["-", "/", "."]) & (sep.struct.field("6") == "")
    chinese = (sep1 == "年") & (sep2 == "月")
    separated = sep.struct.field("1").is_not_null()
    compact = value.str.extract_groups(forms.DATE_COMPACT)
    is_compact = compact.struct.field("1").is_not_null()
    year = pl.coalesce(sep.struct.field("1"), compact.struct.field("1"))
    month = pl.coalesce(sep.struct.field("3"), compact.struct.field("2"))
    day = pl.coalesce(sep.struct.field("5"), compact.struct.field("3"))
    calendar = _valid_date(year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2))
    serial = value.str.extract(forms.DATE_SERIAL, 1).cast(pl.Int64, strict=False)
    shift = pl.when(serial < forms.SERIAL_PHANTOM).then(1).otherwise(0)
    from_serial = (serial + shift + forms.EXCEL_EPOCH_DAYS).cast(pl.Int32).cast(pl.Date)
    serial_ok = serial.is_between(forms.SERIAL_MIN, forms.SERIAL_MAX) & (serial != forms.SERIAL_PHANTOM)
    yearlike = serial.is_between(*forms.SERIAL_YEARLIKE)
    typed = (
        pl.when(separated & (western | chinese))
        .then(calendar)
        .when(is_compact)
        .then(calendar)
        .when(serial.is_not_null() & serial_ok & ~yearlike)
        .then(from_serial)
    )
    reason = (
        pl.when(separated & ~(western | chinese))
        .then(pl.lit(forms.DATE_FORM))
        .when(separated | is_compact)
        .then(pl.when(calendar.is_null()).then(pl.lit(forms.DATE_MISSING)))
        .when(yearlike)
        .then(pl.lit(forms.DATE_YEARLIKE))
        .when(serial.is_not_null() & ~serial.is_between(forms.SERIAL_MIN, forms.SERIAL_MAX))
        .then(pl.lit(forms.DATE_SERIAL_RANGE))
        .when(serial == forms.SERIAL_PHANTOM)
        .then(pl.lit(forms.DATE_SERIAL_PHANTOM))
        .when(serial.is_null())
        .then(pl.lit(forms.DATE_FORM))
    )
    return typed, reason


def money(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    parts = value.str.extract_groups(forms.MONEY)
    matched = parts.struct.field("2").is_not_null()
    integer = parts.struct.field("2").str.replace_all(",", "").str.strip_chars_start("0")
    scale = pl.when(parts.struct.field("4").is_in(["万", "万元"])).then(4).otherwise(0)
    too_long = integer.str.len_chars() + scale > forms.MONEY_MAX_INTEGER_DIGITS
    # fen = integer · 10^(2+scale) + the fraction's first 2+scale digits, rounded half-up on the next one
    fraction = parts.struct.field("3").fill_null("")
    digits = fraction.str.pad_end(7, "0")
    head = pl.when(scale == 4).then(digits.str.slice(0, 7)).otherwise(digits.str.slice(0, 3))
    rounded = (head.cast(pl.Int64) + 5) // 10
    multiplier = pl.when(scale == 4).then(1_000_000).otherwise(100)
    whole = pl.when(integer == "").then(0).otherwise(integer.cast(pl.Int64, strict=False))
    fen = pl.when(matched & ~too_long).then(whole * multiplier + rounded)
    fen = pl.when(parts.struct.field("1") != "").then(-fen).otherwise(fen)
    out_of_range = too_long | (fen.abs() >= 10 ** (forms.MONEY_MAX_INTEGER_DIGITS + 2))
    typed = pl.when(matched & ~out_of_range).then(fen.cast(pl.Decimal(38, 2)) / 100).cast(MONEY_DTYPE)
    reason = (
        pl.when(~matched)
        .then(pl.lit(forms.MONEY_FORM))
        .when(out_of_range)
        .then(pl.lit(forms.MONEY_RANGE))
    )
    return typed, reason


def integer(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    parts = value.str.extract_groups(forms.INT)
    matched = parts.struct.field("2").is_not_null()
    digits = parts.struct.field("2").str.replace_all(",", "")
    signed = pl.when(parts.struct.field("1") != "").then("-" + digits).otherwise(digits)
    typed = signed.cast(pl.Int64, strict=False)
    reason = (
        pl.when(~matched).then(pl.lit(forms.INT_FORM)).when(typed.is_null()).then(pl.lit(forms.INT_RANGE))
    )
    return typed, reason


def boolean(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    folded = value.str.to_lowercase()
    typed = pl.when(folded.is_in(forms.BOOL_TRUE)).then(True).when(folded.is_in(forms.BOOL_FALSE)).then(False)
    return typed, pl.when(typed.is_null()).then(pl.lit(forms.BOOL_FORM))


def enum(value: pl.Expr, values: tuple[str, ...]) -> tuple[pl.Expr, pl.Expr]:
    return value, pl.when(~value.is_in(values)).then(pl.lit(forms.enum_reason(values)))


def items(value: pl.Expr) -> pl.Expr:
    """A list cell split into cleaned items; null when no item is left."""
    parts = value.str.replace_all(forms.LIST_SEPARATORS, "\x1f").str.split("\x1f")
    cleaned = parts.list.eval(
        clean_text(pl.element()).str.replace(forms.ID_LOWER_X, "${1}X")
    ).list.drop_nulls()
    return pl.when(cleaned.list.len() > 0).then(cleaned)


def typed_and_reason(column: Column, value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Stage two, on the cleaned string: (typed value, reason or null). Empty cells are null, not errors,
    unless the column is required."""
    kind = column.type
    if kind == "text":
        typed, reason = value, _null_str()
    elif kind == "id_number":
        typed, reason = id_number(value)
    elif kind == "uscc":
        typed, reason = uscc(value)
    elif kind == "region":
        typed, reason = region(value)
    elif kind == "date":
        typed, reason = date(value)
    elif kind == "money":
        typed, reason = money(value)
    elif kind == "int":
        typed, reason = integer(value)
    elif kind == "bool":
        typed, reason = boolean(value)
    elif kind == "enum":
        typed, reason = enum(value, column.values)
    elif kind == "list":
        typed = items(value)
        reason = _null_str()
        if column.required:
            reason = pl.when(typed.is_null()).then(pl.lit(forms.REQUIRED))
    else:
        raise ValueError(f"unknown contract type {kind!r}")
    empty = value.is_null()
    reason = pl.when(empty).then(pl.lit(forms.REQUIRED) if column.required else _null_str()).otherwise(reason)
    typed = pl.when(empty | reason.is_not_null()).then(None).otherwise(typed)
    return typed, reason.cast(pl.String)
