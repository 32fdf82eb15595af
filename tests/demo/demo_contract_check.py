"""A small reader and value checker for the demo deliveries, built on the contract and identifiers.py.

It is not an importer: it only decides, value by value, whether a delivered cell is acceptable under the
contract, so the tests can prove that `truth/invalid_rows.jsonl` lists exactly the invalid cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from jiandu.analytics.contract import Column, Table, load_contract
from jiandu.analytics.identifiers import id_birth_date, id_check_char, id_problem, uscc_problem

BOOLS = {"是": True, "否": False, "y": True, "n": False, "1": True, "0": False, "true": True, "false": False}
DATE_PATTERNS = (
    r"(\d{4})-(\d{1,2})-(\d{1,2})",
    r"(\d{4})/(\d{1,2})/(\d{1,2})",
    r"(\d{4})(\d{2})(\d{2})",
    r"(\d{4})年(\d{1,2})月(\d{1,2})日",
    r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
)


class Invalid(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def clean(value: Any) -> Any:
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).replace("\u00a0", " ").strip()
        return value or None
    return value


def parse(col: Column, raw: Any) -> Any:
    """The canonical value (as natural_key renders it) or Invalid(problem)."""
    value = clean(raw)
    if value is None:
        if col.required:
            raise Invalid("missing_required")
        return None
    kind = col.type
    if kind == "id_number":
        text = str(value).upper()
        if len(text) == 15 and text.isdigit():
            first17 = text[:6] + "19" + text[6:]
            if id_birth_date(first17 + "0") is None:
                raise Invalid("bad_id")
            return first17 + id_check_char(first17)
        problem = id_problem(text)
        if problem:
            raise Invalid("bad_check_digit" if "校验位" in problem else "bad_id")
        return text
    if kind == "uscc":
        problem = uscc_problem(str(value))
        if problem:
            raise Invalid("bad_check_digit" if "校验位" in problem else "bad_uscc")
        return value
    if kind == "region":
        if not re.fullmatch(r"\d{6}", str(value)):
            raise Invalid("bad_region")
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int | float):
            return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
        for pattern in DATE_PATTERNS:
            m = re.fullmatch(pattern, value)
            if m:
                try:
                    return dt.date(*map(int, m.groups())).isoformat()
                except ValueError as exc:
                    raise Invalid("bad_date") from exc
        raise Invalid("bad_date")
    if kind == "money":
        if isinstance(value, int | float):
            return f"{Decimal(str(value)):.2f}"
        text = value.replace(",", "")
        factor = 1
        for suffix in ("万元", "万"):
            if text.endswith(suffix):
                text, factor = text[: -len(suffix)], 10000
                break
        try:
            return f"{Decimal(text) * factor:.2f}"
        except InvalidOperation as exc:
            raise Invalid("bad_money") from exc
    if kind == "int":
        if isinstance(value, int):
            return value
        if not re.fullmatch(r"-?\d+", str(value)):
            raise Invalid("bad_int")
        return int(value)
    if kind == "bool":
        key = str(value).lower()
        if key not in BOOLS:
            raise Invalid("bad_bool")
        return BOOLS[key]
    if kind == "enum":
        if value not in col.values:
            raise Invalid("bad_enum")
        return value
    return value


def read_rows(out_dir: Path, path: str, sheet: str | None, encoding: str | None) -> Iterator[list[Any]]:
    full = out_dir / path
    if sheet is None:
        with open(full, encoding=encoding, newline="") as fh:
            yield from csv.reader(fh)
    else:
        wb = load_workbook(full, read_only=True)
        try:
            for row in wb[sheet].iter_rows(values_only=True):
                yield list(row)
        finally:
            wb.close()


def map_header(table: Table, header: list[Any]) -> list[Column]:
    columns = []
    for name in header:
        text = clean(name)
        matches = [c for c in table.columns if text in c.headers]
        if len(matches) != 1:
            raise AssertionError(f"{table.name}: header {name!r} not recognised")
        columns.append(matches[0])
    return columns


def check_delivery(
    out_dir: Path,
) -> tuple[set[tuple], dict[str, dict[tuple, dict[str, Any]]], dict[str, int]]:
    """(invalid cells found, valid rows by table and natural key, data rows per file/sheet)."""
    contract = load_contract()
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    found: set[tuple] = set()
    rows_by_table: dict[str, dict[tuple, dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    duplicates: list[tuple] = []
    for entry in manifest["files"]:
        for sheet in entry["sheets"]:
            table = contract[sheet["table"]]
            reader = read_rows(out_dir, entry["path"], sheet["sheet"], entry["encoding"])
            columns = map_header(table, next(reader))
            assert {c.key for c in columns} == set(table.column_keys), entry["path"]
            n = 0
            for line, raw in enumerate(reader, start=2):
                n += 1
                values: dict[str, Any] = {}
                bad = []
                raw = list(raw) + [None] * (len(columns) - len(raw))
                for col, cell in zip(columns, raw, strict=True):
                    try:
                        values[col.key] = parse(col, cell)
                    except Invalid as exc:
                        bad.append((col.key, exc.problem))
                for key, problem in bad:
                    found.add((entry["path"], sheet["sheet"], line, table.name, key, problem))
                if not bad:
                    natural = tuple(values[k] for k in table.key)
                    seen = rows_by_table.setdefault(table.name, {})
                    if natural in seen and not entry.get("redelivery_of"):
                        duplicates.append((table.name, natural))
                    seen[natural] = values
            counts[f"{entry['path']}#{sheet['sheet']}"] = n
    return found, rows_by_table, counts, duplicates
