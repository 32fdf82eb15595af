"""How departments really write values: canonical rendering, allowed format variants, invalid values.

`render` turns a canonical value into what a delivery holds. A few percent of rows get variants the
contract allows (full-width digits, 万元 amounts, date variants, Excel serial dates, lower-case x, 15-digit
legacy IDs, padding). About 0.5 % of the rows nothing depends on get exactly one invalid value; each is
reported so `truth/invalid_rows.jsonl` lists precisely what an importer must reject.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from jiandu.analytics.contract import Column, Table
from jiandu.analytics.identifiers import USCC_ALPHABET
from jiandu.demo.identity import legacy_id

FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
EXCEL_EPOCH = dt.date(1899, 12, 30)
VARIANT_ROW_RATE = 0.04
INVALID_ROW_RATE = 0.005
BAD_ENUM = "不详"


def money_text(fen: int) -> str:
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def render(col: Column, value: Any, *, xlsx: bool) -> Any:
    """The canonical written form (what most rows look like)."""
    if value is None:
        return None if xlsx else ""
    kind = col.type
    if kind == "date":
        return value if xlsx else value.isoformat()
    if kind == "money":
        return round(value / 100, 2) if xlsx else money_text(value)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "int":
        return value if xlsx else str(value)
    if kind == "list":
        return ";".join(value)
    return value


def variant(col: Column, value: Any, rng: random.Random, *, xlsx: bool, gbk: bool) -> Any:
    """An allowed variant of the value, or the canonical form when the type has none."""
    kind = col.type
    pad = "\u3000" if gbk else rng.choice((" ", "\u00a0"))
    if kind == "id_number":
        if value.endswith("X") and rng.random() < 0.7:
            return value[:-1] + "x"
        old = legacy_id(value)
        if old and int(value[6:10]) < 1960 and rng.random() < 0.6:
            return old
        return value.translate(FULLWIDTH) if rng.random() < 0.5 else f"{pad}{value} "
    if kind == "uscc":
        return f" {value}{pad}"
    if kind == "date":
        roll = rng.randrange(5 if xlsx else 4)
        if roll == 4:
            return (value - EXCEL_EPOCH).days
        return (
            f"{value:%Y/%m/%d}",
            f"{value:%Y%m%d}",
            f"{value.year}年{value.month}月{value.day}日",
            f"{value:%Y.%m.%d}",
        )[roll]
    if kind == "money":
        if value % 100 == 0 and value % 10000 == 0 and rng.random() < 0.5:
            wan = f"{value / 1_000_000:.4f}".rstrip("0").rstrip(".")
            return f"{wan}{rng.choice(('万', '万元'))}"
        text = money_text(value)
        if rng.random() < 0.5:
            whole, frac = text.split(".")
            return f"{int(whole):,}.{frac}"
        return text.translate(FULLWIDTH)
    if kind == "bool":
        return rng.choice((("Y", "N"), ("1", "0"), ("true", "false")))[0 if value else 1]
    if kind == "int":
        return str(value).translate(FULLWIDTH)
    if kind == "list":
        return rng.choice(("；", "、", ",")).join(value)
    if kind in ("text", "enum", "region") and isinstance(value, str) and value:
        return f"{pad}{value} " if kind != "region" else value.translate(FULLWIDTH)
    return render(col, value, xlsx=xlsx)


def corrupt(table: Table, row: dict[str, Any], rng: random.Random) -> tuple[str, str, Any] | None:
    """Pick one column of the row and make it invalid: (column key, problem, written value)."""
    options: list[tuple[str, str]] = []
    for col in table.columns:
        value = row.get(col.key)
        if col.type in ("id_number", "uscc") and isinstance(value, str) and len(value) == 18:
            options.append((col.key, "bad_check_digit"))
        if col.required:
            options.append((col.key, "missing_required"))
        if col.type == "enum" and value is not None:
            options.append((col.key, "bad_enum"))
        if col.type == "date" and value is not None:
            options.append((col.key, "bad_date"))
    if not options:
        return None
    key, problem = rng.choice(options)
    value = row.get(key)
    if problem == "bad_check_digit":
        assert isinstance(value, str)  # only offered for an 18-character string above
        alphabet = "0123456789X" if table.column(key).type == "id_number" else USCC_ALPHABET
        bad = rng.choice([c for c in alphabet if c != value[17]])
        return key, problem, value[:17] + bad
    if problem == "missing_required":
        return key, problem, ""
    if problem == "bad_enum":
        return key, problem, BAD_ENUM
    assert value is not None  # bad_date is only offered for a present date
    day = rng.choice(("02-30", "02-31", "04-31", "13-01", "06-31", "00-10"))
    return key, problem, f"{value.year}-{day}"
