"""Matching delivered headers to contract columns, and recognising a table from its headers.

Departments export with the Chinese header, an alias or the English key, in any order, often with a
required-field star, stray spaces or full-width brackets. A header is compared after NFKC, with spaces and
stars removed and letters lower-cased; a "(元)" unit note is dropped (yuan is the contract's unit anyway).
A "(万元)" note on a money column is honoured: that column's plain numbers are read as 万元.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

from jiandu.analytics.contract import Table, load_contract
from jiandu.analytics.intake import forms
from jiandu.analytics.intake.model import DeliveryError

_NOISE = re.compile(r"[\s*" + forms.ZERO_WIDTH[1:-1] + r"]")
_YUAN_NOTE = re.compile(r"\((?:单位:)?(?:人民币)?元\)$")
_WAN_NOTE = re.compile(r"\((?:单位:)?(?:人民币)?万元\)$")


def header_form(header: str) -> str:
    """The comparable form of a header (see module docstring)."""
    folded = _NOISE.sub("", unicodedata.normalize("NFKC", header)).lower()
    return _YUAN_NOTE.sub("", folded)


@cache
def _table_headers(name: str) -> dict[str, str]:
    table = load_contract()[name]
    index: dict[str, str] = {}
    for column in table.columns:
        for header in column.headers:
            index.setdefault(header_form(header), column.key)
    return index


@cache
def _known_headers() -> frozenset[str]:
    return frozenset(h for name in load_contract() for h in _table_headers(name))


def known_header_count(cells: list[str]) -> int:
    """How many cells are a header of some contract table (used to find the header row)."""
    known = _known_headers()
    return sum(1 for c in cells if c and header_form(c) in known)


@dataclass
class HeaderMatch:
    table: Table
    header_map: dict[str, str]  # delivered header → contract key
    positions: dict[str, int]  # contract key → column position in the delivery
    unknown: list[str]  # non-empty delivered headers that are no column of the table
    repeated: list[tuple[str, str]]  # (header, header) pairs naming the same column
    in_wan: set[str]  # money columns whose header says 万元

    @property
    def missing_required(self) -> list[str]:
        return [c.key for c in self.table.columns if c.required and c.key not in self.positions]

    def missing_label(self) -> str:
        return "、".join(self.table.column(k).zh for k in self.missing_required)


def match_headers(headers: list[str], table: Table) -> HeaderMatch:
    index = _table_headers(table.name)
    header_map: dict[str, str] = {}
    positions: dict[str, int] = {}
    first_header: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[tuple[str, str]] = []
    in_wan: set[str] = set()
    for position, header in enumerate(headers):
        if not header or not header.strip():
            continue
        form = header_form(header)
        key = index.get(form)
        if key is None and _WAN_NOTE.search(form):
            key = index.get(_WAN_NOTE.sub("", form))
            if key is not None and table.column(key).type != "money":
                key = None
            if key is not None and key not in positions:
                in_wan.add(key)
        if key is None:
            unknown.append(header)
        elif key in positions:
            repeated.append((first_header[key], header))
        else:
            header_map[header] = key
            positions[key] = position
            first_header[key] = header
    return HeaderMatch(table, header_map, positions, unknown, repeated, in_wan)


def table_from_hint(hint: str) -> str | None:
    """The table a file or sheet name names ("国库集中支付.csv", "payments_2024.xlsx"), if any."""
    if not hint:
        return None
    stem = header_form(PurePath(hint).stem if "." in hint else hint)
    found: list[tuple[int, str]] = []
    for name, table in load_contract().items():
        short_zh = re.split(r"[(（]", table.zh)[0]
        for label in (name, table.zh, short_zh):
            form = header_form(label)
            if form and form in stem:
                found.append((len(form), name))
    return max(found)[1] if found else None


def _describe(hint: str) -> str:
    return f"“{hint}”" if hint else "该文件"


def recognise_table(headers: list[str], hint: str = "") -> str:
    """The contract table whose headers (zh / alias / key) best match; `hint` = file or sheet name.

    A table fits when all its required columns are present. The hint decides when it names a table that
    fits; otherwise the fitting table with most matched columns (then fewest unknown ones) wins.
    Raises DeliveryError when ambiguous or unknown."""
    return recognise(headers, [hint] if hint else [], hint).table.name


def recognise(
    headers: list[str], hints: list[str], label: str, weak_hints: tuple[str, ...] = ()
) -> HeaderMatch:
    """recognise_table with several hints; `label` names the place in errors.

    `hints` name this very table (a CSV's file name, a sheet's name): a named table that lacks required
    columns is an error. `weak_hints` (a workbook's file name, shared by all its sheets) are followed only
    when the named table fits; otherwise the headers decide."""
    matches = [match_headers(headers, table) for table in load_contract().values()]
    fitting = [m for m in matches if not m.missing_required and m.positions]
    for hint in hints:
        named = table_from_hint(hint)
        if named is None:
            continue
        match = next(m for m in matches if m.table.name == named)
        if match.missing_required:
            raise DeliveryError(
                f"{_describe(label)}按名称识别为“{match.table.zh}”，但缺少必填列：{match.missing_label()}"
            )
        return match
    for hint in weak_hints:
        named = table_from_hint(hint)
        for match in fitting:
            if match.table.name == named:
                return match
    if not fitting:
        best = max(matches, key=lambda m: len(m.positions))
        if len(best.positions) >= 2:
            raise DeliveryError(
                f"{_describe(label)}看起来是“{best.table.zh}”，但缺少必填列：{best.missing_label()}"
            )
        raise DeliveryError(f"{_describe(label)}无法识别为任何数据表：列名与数据交换规范中的表都不相符")
    fitting.sort(key=lambda m: (-len(m.positions), len(m.unknown)))
    top = fitting[0]
    rivals = [
        m for m in fitting if (len(m.positions), len(m.unknown)) == (len(top.positions), len(top.unknown))
    ]
    if len(rivals) > 1:
        names = "、".join(f"“{m.table.zh}”" for m in rivals)
        raise DeliveryError(f"{_describe(label)}的列名可能属于{names}，无法确定；请在文件名中写明表名")
    return top
