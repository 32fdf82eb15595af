"""Error reports: the rejected rows as delivered, with the reasons, for the clerk to fix and send back.

The report repeats the delivered headers and the original cell values of every rejected row (read again from
the delivered file, so nothing is lost to normalisation), and adds two columns at the end: the row number in
the delivered file and the reasons ("列名：原因"). The clerk corrects the cells and re-delivers the report or
the original file; rows already accepted are unchanged by a re-delivery.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from django.conf import settings
from openpyxl import load_workbook

from jiandu.sources.models import Delivery

HEADER_SEARCH_ROWS = 10
ROW_HEADER = "原行号"
REASON_HEADER = "错误原因"
_BAD_FILL = "#F2B8B5"
# Delivered text is data, never a formula, link or number to be reinterpreted: a cell "=HYPERLINK(…)" in a
# department's file must not become a live formula in the report a clerk opens (formula injection).
_WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
    "default_date_format": "yyyy-mm-dd",
}
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def report_dir(delivery: Delivery) -> Path:
    return Path(settings.MEDIA_ROOT) / "deliveries" / str(delivery.pk)


def report_path(delivery: Delivery, kind: str) -> Path:
    return report_dir(delivery) / f"errors.{kind}"


def _pick(
    records: Iterable[tuple[int, list[Any]]], known: set[str], wanted: set[int]
) -> tuple[list[str], dict[int, list[Any]]]:
    """Headers = the first of the leading records naming a delivered header (a title line may sit above)."""
    headers: list[str] = []
    header_number = 0
    rows: dict[int, list[Any]] = {}
    for number, values in records:
        if not header_number and number <= HEADER_SEARCH_ROWS:
            cells = ["" if v is None else str(v).strip() for v in values]
            if known & set(cells) or (not known and number == 1):
                headers, header_number = cells, number
                continue
        if number in wanted:
            rows[number] = list(values)
    return headers, rows


def _raw_csv(
    path: Path, encoding: str, known: set[str], wanted: set[int]
) -> tuple[list[str], dict[int, list[Any]]]:
    with path.open("r", encoding=encoding or "utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        if encoding in ("utf-8-sig", "utf-16") or first.startswith("\ufeff"):
            first = first.lstrip("\ufeff")
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        records = ((n, v) for n, v in enumerate(csv.reader(handle, delimiter=delimiter), start=1))
        headers, rows = _pick(_until(records, wanted), known, wanted)
    if headers:
        headers[0] = headers[0].lstrip("\ufeff")
    return headers, rows


def _until(records: Iterable[tuple[int, list[Any]]], wanted: set[int]) -> Iterator[tuple[int, list[Any]]]:
    """Stop reading once the last wanted row has been seen (large files, few errors)."""
    last = max(wanted, default=0)
    for number, values in records:
        yield number, values
        if number >= max(last, HEADER_SEARCH_ROWS):
            return


def _raw_xlsx(
    path: Path, sheet: str, known: set[str], wanted: set[int]
) -> tuple[list[str], dict[int, list[Any]]]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet_obj = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
        records = ((n, list(v)) for n, v in enumerate(sheet_obj.iter_rows(values_only=True), start=1))
        return _pick(_until(records, wanted), known, wanted)
    finally:
        book.close()


def _raw_jsonl(path: Path, wanted: set[int]) -> tuple[list[str], dict[int, list[Any]]]:
    records: dict[int, dict[str, Any]] = {}
    headers: dict[str, None] = {}
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if number not in wanted:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = {"原始内容": line.rstrip("\n")}
            if not isinstance(record, dict):
                record = {"原始内容": line.rstrip("\n")}
            records[number] = record
            headers.update(dict.fromkeys(record))
    names = list(headers)
    return names, {n: [r.get(h) for h in names] for n, r in records.items()}


def _kept_cells(sheet: Any, wanted: set[int]) -> tuple[list[str], dict[int, list[Any]]]:
    """The delivered cells the reader kept from its grid (a text file's cells are the delivered strings)."""
    headers = [(cell or "").strip() for cell in sheet.delivered_headers]
    if headers:
        headers[0] = headers[0].lstrip("\ufeff")
    cells: pl.DataFrame = sheet.rejected_cells
    positions = [c for c in cells.columns if c != "_row"]
    picked = cells.filter(pl.col("_row").is_in(sorted(wanted)))
    rows = {
        number: ["" if v is None else v for v in values]
        for number, *values in picked.select("_row", *positions).iter_rows()
    }
    return headers, rows


def raw_rows(path: Path, sheet: Any, wanted: set[int]) -> tuple[list[str], dict[int, list[Any]]]:
    """Headers and original values of the rows `wanted` (spreadsheet numbering: header = row 1).

    A text file's rows come from the cells the reader kept (re-reading a million-row CSV with the csv module
    took longer than the whole read); a workbook is read again for its typed cells, JSON lines for the
    records as delivered."""
    suffix = path.suffix.lower()
    known = set(getattr(sheet, "header_map", {}) or {})
    if suffix == ".xlsx":
        return _raw_xlsx(path, sheet.sheet, known, wanted)
    if suffix in (".jsonl", ".json", ".ndjson"):
        return _raw_jsonl(path, wanted)
    if getattr(sheet, "rejected_cells", None) is not None and getattr(sheet, "delivered_headers", None):
        return _kept_cells(sheet, wanted)
    return _raw_csv(path, sheet.encoding, known, wanted)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def error_reports_write(*, delivery: Delivery, sheet: Any, path: Path) -> tuple[Path, Path]:
    """Write errors.csv (UTF-8 with BOM, opens in Excel) and errors.xlsx (bad cells marked) for `delivery`."""
    by_row: dict[int, list[Any]] = defaultdict(list)
    for error in sheet.errors:
        by_row[error.row].append(error)
    headers, originals = raw_rows(path, sheet, set(by_row))
    width = max([len(headers), *(len(v) for v in originals.values())], default=0)
    headers = headers + [f"列{i + 1}" for i in range(len(headers), width)]
    out = report_dir(delivery)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = report_path(delivery, "csv"), report_path(delivery, "xlsx")
    # xlsxwriter in constant-memory mode streams the rows out: about half openpyxl's time for 10,000
    # rejected rows with a comment each (docs/benchmarks.md), and it runs while the rows are stored.
    book = xlsxwriter.Workbook(str(xlsx_path), _WORKBOOK_OPTIONS)
    bad = book.add_format({"bg_color": _BAD_FILL, "pattern": 1})
    ws = book.add_worksheet(((sheet.sheet or "错误报告").translate(_SHEET_NAME_FORBIDDEN))[:31] or "错误报告")
    ws.write_row(0, 0, [*headers, ROW_HEADER, REASON_HEADER])
    column_of = {header: index for index, header in reversed(list(enumerate(headers)))}
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*headers, ROW_HEADER, REASON_HEADER])
        for line, row_number in enumerate(sorted(by_row), start=1):
            values = list(originals.get(row_number, []))
            values += [None] * (width - len(values))
            reasons = "；".join(
                f"{e.header or e.column}：{e.reason}" if (e.header or e.column) else e.reason
                for e in by_row[row_number]
            )
            writer.writerow([*(_cell_text(v) for v in values), row_number, reasons])
            cells = [_cell_text(v) if isinstance(v, list | dict) else v for v in values]
            ws.write_row(line, 0, [*cells, row_number, reasons])
            for error in by_row[row_number]:
                index = column_of.get(error.header or "")
                if index is not None:
                    ws.write(line, index, cells[index], bad)
                    ws.write_comment(line, index, error.reason, {"author": "jiandu"})
    book.close()
    return csv_path, xlsx_path
