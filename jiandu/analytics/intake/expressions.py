"""Vectorised normalisation: for each contract type, polars stages that turn a column of delivered strings
into the typed value and the reason it is rejected (null when the cell is fine).

The rules are those of the scalar reference (`scalar.py`); patterns and reasons come from `forms.py`.
A type is a list of stages (each a list of expressions run by one `with_columns`) over a small frame
whose column `raw` holds the delivered strings; intermediates are materialised between stages so no
sub-expression (a regex, a check-digit sum over 17 `str.slice` positions) is evaluated twice. The last
stage yields `typed` and `reason`.
"""

from __future__ import annotations

import polars as pl

from jiandu.analytics.contract import Column

# The weights and check alphabets are the scalar module's own: one definition of GB 11643 and GB 32100.
from jiandu.analytics.identifiers import _ID_CHECK, _ID_WEIGHTS, _USCC_WEIGHTS, USCC_ALPHABET
from jiandu.analytics.intake import forms

MONEY_DTYPE = pl.Decimal(18, 2)
Stages = list[list[pl.Expr]]

_USCC_INDEX = {c: i for i, c in enumerate(USCC_ALPHABET)}

RAW = pl.col("raw")
V = pl.col("v")  # the cleaned value (null when empty)


def c(name: str) -> pl.Expr:
    return pl.col(name)


def _null_str() -> pl.Expr:
    return pl.lit(None, dtype=pl.String)


# --- stage one: cleaning ----------------------------------------------------------------------------------


def clean_text(raw: pl.Expr, *, spaces: bool = True) -> pl.Expr:
    """Fold odd spaces (skipped when the column has none), trim; empty → null."""
    folded = (
        raw.str.replace_all(forms.SPACE_LIKE, " ").str.replace_all(forms.ZERO_WIDTH, "") if spaces else raw
    )
    stripped = folded.str.strip_chars(forms.STRIP_CHARS)
    return pl.when(stripped.str.len_bytes() > 0).then(stripped).otherwise(_null_str())


def cleaning(column: Column, *, plain: bool, spaces: bool) -> Stages:
    """Stages producing `v`. `plain`: the column is all ASCII, already in NFKC, so NFKC is skipped;
    `spaces`: the column holds space-like or zero-width characters to fold."""
    if column.type == "text":
        return [[clean_text(RAW, spaces=spaces).alias("v")]]
    source = RAW if plain else RAW.str.normalize("NFKC")
    stages = [[clean_text(source, spaces=spaces).alias("v")]]
    empty_marker = V.str.to_lowercase().is_in(forms.EMPTY_MARKERS)
    stages.append([pl.when(empty_marker).then(_null_str()).otherwise(V).alias("v")])
    if column.type in ("id_number", "uscc", "region"):
        code = V.str.strip_prefix("'").str.to_uppercase()
        stages.append([pl.when(code.str.len_bytes() > 0).then(code).otherwise(_null_str()).alias("v")])
    return stages


# --- check digits -------------------------------------------------------------------------------------------


def id_check_char(first17: pl.Expr) -> pl.Expr:
    """GB 11643 check char of a materialised 17-digit column (weighted sum over `str.slice` positions)."""
    digits = (first17.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(_ID_WEIGHTS))
    return pl.lit(_ID_CHECK).str.slice(pl.sum_horizontal(digits) % 11, 1)


def uscc_check_char(first17: pl.Expr) -> pl.Expr:
    """GB 32100 check char of a materialised 17-char column."""
    values = (
        first17.str.slice(i, 1).replace_strict(_USCC_INDEX, default=0, return_dtype=pl.Int32) * w
        for i, w in enumerate(_USCC_WEIGHTS)
    )
    return pl.lit(USCC_ALPHABET).str.slice((31 - pl.sum_horizontal(values) % 31) % 31, 1)


def _valid_date(iso: pl.Expr) -> pl.Expr:
    """The date of a zero-padded YYYY-MM-DD string; null when the day does not exist (or year 0)."""
    return (
        pl.when(iso.str.starts_with("0000")).then(None).otherwise(iso.str.to_date("%Y-%m-%d", strict=False))
    )


# --- stage two: one function per type -----------------------------------------------------------------------


def id_number() -> Stages:
    is15 = c("is15")
    return [
        [V.str.len_chars().alias("len"), V.str.contains(forms.ID_15).alias("is15")],
        [
            pl.when(is15)
            .then(V.str.slice(0, 6) + "19" + V.str.slice(6, 9))
            .otherwise(V.str.slice(0, 17))
            .alias("f17")
        ],
        [id_check_char(c("f17")).alias("check")],
        [pl.when(is15).then(c("f17") + c("check")).otherwise(V).alias("full")],
        [
            _valid_date(
                c("full").str.slice(6, 4)
                + "-"
                + c("full").str.slice(10, 2)
                + "-"
                + c("full").str.slice(12, 2)
            ).alias("birth")
        ],
        [
            c("full").alias("typed"),
            pl.when(V.str.contains(forms.SCIENTIFIC))
            .then(pl.lit(forms.ID_SCIENTIFIC))
            .when(~c("len").is_in([15, 18]))
            .then(pl.format("身份证号应为18位（或15位旧号），实际为{}位", c("len")))
            .when(~c("full").str.contains(forms.ID_18))
            .then(pl.lit(forms.ID_CHARS))
            .when(c("birth").is_null())
            .then(pl.lit(forms.ID_BIRTH))
            .when(c("full").str.slice(17, 1) != c("check"))
            .then(pl.lit(forms.ID_CHECK))
            .alias("reason"),
        ],
    ]


def uscc() -> Stages:
    return [
        [V.str.len_chars().alias("len"), uscc_check_char(V.str.slice(0, 17)).alias("check")],
        [
            V.alias("typed"),
            pl.when(V.str.contains(forms.SCIENTIFIC))
            .then(pl.lit(forms.USCC_SCIENTIFIC))
            .when(c("len") != 18)
            .then(pl.format("统一社会信用代码应为18位，实际为{}位", c("len")))
            .when(~V.str.contains(forms.USCC_18))
            .then(pl.lit(forms.USCC_CHARS))
            .when(V.str.slice(17, 1) != c("check"))
            .then(pl.lit(forms.USCC_CHECK))
            .alias("reason"),
        ],
    ]


def region() -> Stages:
    return [
        [
            V.alias("typed"),
            pl.when(~V.str.contains(forms.REGION)).then(pl.lit(forms.REGION_FORM)).alias("reason"),
        ]
    ]


def date() -> Stages:
    g = c("sep").struct.field
    k = c("compact").struct.field
    serial = c("serial")
    return [
        [
            V.str.extract_groups(forms.DATE_SEPARATED).alias("sep"),
            V.str.extract_groups(forms.DATE_COMPACT).alias("compact"),
            V.str.extract(forms.DATE_SERIAL, 1).cast(pl.Int64, strict=False).alias("serial"),
        ],
        [
            g("1").is_not_null().alias("separated"),
            (
                ((g("2") == g("4")) & g("2").is_in(["-", "/", "."]) & (g("6") == ""))
                | ((g("2") == "年") & (g("4") == "月"))
            ).alias("consistent"),
            k("1").is_not_null().alias("is_compact"),
            (
                pl.coalesce(g("1"), k("1"))
                + "-"
                + pl.coalesce(g("3"), k("2")).str.zfill(2)
                + "-"
                + pl.coalesce(g("5"), k("3")).str.zfill(2)
            ).alias("iso"),
        ],
        [
            _valid_date(c("iso")).alias("calendar"),
            (serial + pl.when(serial < forms.SERIAL_PHANTOM).then(1).otherwise(0) + forms.EXCEL_EPOCH_DAYS)
            .clip(-(2**31), 2**31 - 1)
            .cast(pl.Int32)
            .cast(pl.Date)
            .alias("from_serial"),
            serial.is_between(*forms.SERIAL_YEARLIKE).alias("yearlike"),
            (serial.is_between(forms.SERIAL_MIN, forms.SERIAL_MAX) & (serial != forms.SERIAL_PHANTOM)).alias(
                "serial_ok"
            ),
        ],
        [
            pl.when(c("separated") & c("consistent"))
            .then(c("calendar"))
            .when(c("is_compact"))
            .then(c("calendar"))
            .when(c("serial_ok") & ~c("yearlike"))
            .then(c("from_serial"))
            .alias("typed"),
            pl.when(c("separated") & ~c("consistent"))
            .then(pl.lit(forms.DATE_FORM))
            .when(c("separated") | c("is_compact"))
            .then(pl.when(c("calendar").is_null()).then(pl.lit(forms.DATE_MISSING)))
            .when(c("yearlike"))
            .then(pl.lit(forms.DATE_YEARLIKE))
            .when(serial.is_not_null() & ~serial.is_between(forms.SERIAL_MIN, forms.SERIAL_MAX))
            .then(pl.lit(forms.DATE_SERIAL_RANGE))
            .when(serial == forms.SERIAL_PHANTOM)
            .then(pl.lit(forms.DATE_SERIAL_PHANTOM))
            .when(serial.is_null())
            .then(pl.lit(forms.DATE_FORM))
            .alias("reason"),
        ],
    ]


def money(*, in_wan: bool = False) -> Stages:
    """fen = integer · 10^(2+scale) + the fraction's first 2+scale digits, rounded half-up on the next one
    (scale 4 for 万); exact integer arithmetic, then DECIMAL(18, 2). `in_wan`: the header says the column
    is in 万元, so a number without its own unit is in 万."""
    g = c("parts").struct.field
    wan = c("wan")
    return [
        [V.str.extract_groups(forms.MONEY).alias("parts")],
        [
            g("2").is_not_null().alias("matched"),
            (g("1") != "").alias("negative"),
            g("2").str.replace_all(",", "").str.strip_chars_start("0").alias("integer"),
            g("3").fill_null("").str.pad_end(7, "0").alias("fraction"),
            (g("4").is_in(["万", "万元"]) | (g("4").is_null() & pl.lit(in_wan)))
            .fill_null(False)
            .alias("wan"),
        ],
        [
            (
                c("integer").str.len_chars() + pl.when(wan).then(4).otherwise(0)
                > forms.MONEY_MAX_INTEGER_DIGITS
            )
            .fill_null(False)
            .alias("too_long"),
            pl.when(wan)
            .then(c("fraction").str.slice(0, 7))
            .otherwise(c("fraction").str.slice(0, 3))
            .cast(pl.Int64, strict=False)
            .alias("head"),
            pl.when(c("integer") == "")
            .then(0)
            .otherwise(c("integer").str.slice(0, 18).cast(pl.Int64, strict=False))
            .alias("whole"),
        ],
        [
            pl.when(c("matched") & ~c("too_long"))
            .then(c("whole") * pl.when(wan).then(1_000_000).otherwise(100) + (c("head") + 5) // 10)
            .alias("fen")
        ],
        [
            (c("too_long") | (c("fen") >= 10 ** (forms.MONEY_MAX_INTEGER_DIGITS + 2))).alias("out_of_range"),
            pl.when(c("negative")).then(-c("fen")).otherwise(c("fen")).alias("fen"),
        ],
        [
            pl.when(c("matched") & ~c("out_of_range"))
            .then(c("fen").cast(pl.Decimal(38, 2)) / 100)
            .cast(MONEY_DTYPE)
            .alias("typed"),
            pl.when(~c("matched"))
            .then(pl.lit(forms.MONEY_FORM))
            .when(c("out_of_range"))
            .then(pl.lit(forms.MONEY_RANGE))
            .alias("reason"),
        ],
    ]


def integer() -> Stages:
    g = c("parts").struct.field
    return [
        [V.str.extract_groups(forms.INT).alias("parts")],
        [
            g("2").is_not_null().alias("matched"),
            pl.when(g("1") != "")
            .then("-" + g("2").str.replace_all(",", ""))
            .otherwise(g("2").str.replace_all(",", ""))
            .cast(pl.Int64, strict=False)
            .alias("typed"),
        ],
        [
            pl.when(~c("matched"))
            .then(pl.lit(forms.INT_FORM))
            .when(c("typed").is_null())
            .then(pl.lit(forms.INT_RANGE))
            .alias("reason")
        ],
    ]


def boolean() -> Stages:
    folded = V.str.to_lowercase()
    return [
        [
            pl.when(folded.is_in(forms.BOOL_TRUE))
            .then(True)
            .when(folded.is_in(forms.BOOL_FALSE))
            .then(False)
            .alias("typed")
        ],
        [pl.when(c("typed").is_null()).then(pl.lit(forms.BOOL_FORM)).alias("reason")],
    ]


def enum(values: tuple[str, ...]) -> Stages:
    return [
        [V.alias("typed"), pl.when(~V.is_in(values)).then(pl.lit(forms.enum_reason(values))).alias("reason")]
    ]


def items(required: bool) -> Stages:
    """A list cell split on ; ； 、 , ， into cleaned items; null when no item is left."""
    parts = V.str.replace_all(forms.LIST_SEPARATORS, "\x1f").str.split("\x1f")
    cleaned = parts.list.eval(
        clean_text(pl.element()).str.replace(forms.ID_LOWER_X, "${1}X")
    ).list.drop_nulls()
    reason = pl.when(c("typed").is_null()).then(pl.lit(forms.REQUIRED)) if required else _null_str()
    return [[pl.when(cleaned.list.len() > 0).then(cleaned).alias("typed")], [reason.alias("reason")]]


def typing(column: Column, *, in_wan: bool = False) -> Stages:
    """Stages from `v` to `typed` and `reason`; an empty cell is null, an error only if required."""
    kind = column.type
    if kind == "text":
        stages: Stages = [[V.alias("typed"), _null_str().alias("reason")]]
    elif kind == "id_number":
        stages = id_number()
    elif kind == "uscc":
        stages = uscc()
    elif kind == "region":
        stages = region()
    elif kind == "date":
        stages = date()
    elif kind == "money":
        stages = money(in_wan=in_wan)
    elif kind == "int":
        stages = integer()
    elif kind == "bool":
        stages = boolean()
    elif kind == "enum":
        stages = enum(column.values)
    elif kind == "list":
        stages = items(column.required)
    else:
        raise ValueError(f"unknown contract type {kind!r}")
    empty = pl.lit(forms.REQUIRED) if column.required else _null_str()
    reason = pl.when(V.is_null()).then(empty).otherwise(c("reason")).cast(pl.String)
    return [*stages, [reason.alias("reason"), V.is_null().alias("empty")]]


SPACES = f"{forms.SPACE_LIKE}|{forms.ZERO_WIDTH}"


def normalise_column(raw: pl.Series, column: Column, *, in_wan: bool = False) -> pl.DataFrame:
    """`raw`, `typed`, `reason` and `empty` (nothing left after cleaning) for a column of delivered strings,
    one row per input row. `typed` is meaningful only where `reason` is null."""
    frame = pl.DataFrame({"raw": raw.cast(pl.String)})
    non_ascii = column.type != "text" and frame.select(RAW.str.contains(r"[^\x00-\x7f]").any()).item()
    spaces = frame.select(RAW.str.contains(SPACES).any()).item()
    lazy = frame.lazy()
    for stage in [
        *cleaning(column, plain=not non_ascii, spaces=bool(spaces)),
        *typing(column, in_wan=in_wan),
    ]:
        lazy = lazy.with_columns(stage)
    return lazy.select("raw", "typed", "reason", "empty").collect()
