"""read_file: one delivered file in, one validated `Sheet` per table in it out.

Each format only has to produce a grid of strings (the first records as lists, all records as a frame of
positional columns); finding the header row, recognising the table, mapping headers and validating are
shared here and in `validate.py`, driven by the contract.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from jiandu.analytics.contract import load_contract
from jiandu.analytics.intake import delimited, headers, jsonlines, validate, workbook
from jiandu.analytics.intake.encoding import BOMS, detect_and_decode
from jiandu.analytics.intake.model import DeliveryError, Limits, Sheet

HEADER_SEARCH_ROWS = 10
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
REFUSED_SUFFIXES = {
    ".xlsm": "启用宏的工作簿（.xlsm）不予导入，请另存为.xlsx",
    ".xltm": "启用宏的模板（.xltm）不予导入，请另存为.xlsx",
    ".xls": "旧版Excel文件（.xls）不予导入，请另存为.xlsx",
    ".et": "WPS表格文件（.et）不予导入，请另存为.xlsx",
}


DEFAULT_LIMITS = Limits()


def read_file(path: Path, *, table: str | None = None, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """CSV (UTF-8, UTF-8 BOM, GB18030/GBK, UTF-16 detected), XLSX (every non-empty sheet; each sheet's table
    recognised from its headers or the sheet name / file name), JSONL (English keys). Raises DeliveryError."""
    path = Path(path)
    name = path.name
    if table is not None and table not in load_contract():
        raise DeliveryError(f"文件“{name}”：指定的数据表“{table}”不在数据交换规范中")
    try:
        size = path.stat().st_size
    except OSError:
        raise DeliveryError(f"文件“{name}”无法读取") from None
    if size > limits.max_bytes:
        raise DeliveryError(
            f"文件“{name}”过大（{size // 1048576} MB），上限为{limits.max_bytes // 1048576} MB"
        )
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise DeliveryError(f"文件“{name}”：{REFUSED_SUFFIXES[suffix]}")
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError:
        raise DeliveryError(f"文件“{name}”无法读取") from None
    if suffix == ".xlsx" or (suffix not in TEXT_SUFFIXES | JSONL_SUFFIXES and magic == b"PK\x03\x04"):
        return _read_workbook(path, table, limits)
    return _read_text(path, suffix, table, limits)


def _read_workbook(path: Path, table: str | None, limits: Limits) -> list[Sheet]:
    name = path.name
    sheets: list[Sheet] = []
    skipped: list[str] = []
    for sheet_name, head, frame in workbook.read_grids(path, name, limits):
        if not any(headers.known_header_count(record) for record in head):
            # an instructions page, a pivot, an empty sheet: nothing of the contract in it
            if any(cell.strip() for record in head for cell in record):
                skipped.append(sheet_name)
            continue
        sheet = grid_to_sheet(
            source_file=name,
            sheet_name=sheet_name,
            encoding="",
            head=head,
            frame=frame,
            table=table,
            limits=limits,
            hints=[sheet_name],
            weak_hints=(name,),
        )
        if sheet is not None:
            sheets.append(sheet)
    return workbook.finish(sheets, skipped, name)


def _read_text(path: Path, suffix: str, table: str | None, limits: Limits) -> list[Sheet]:
    name = path.name
    data = path.read_bytes()
    if suffix in JSONL_SUFFIXES or (suffix not in TEXT_SUFFIXES and data.lstrip()[:1] == b"{"):
        encoding, text = detect_and_decode(data, name)
        return [jsonlines.read_sheet(text, source_file=name, encoding=encoding, table=table, limits=limits)]
    head, frame, encoding = _read_delimited(data, name)
    sheet = grid_to_sheet(
        source_file=name,
        sheet_name="",
        encoding=encoding,
        head=head,
        frame=frame,
        table=table,
        limits=limits,
        hints=[name],
    )
    if sheet is None:
        raise DeliveryError(f"文件“{name}”是空的：没有表头和数据")
    return [sheet]


def _head_is_utf8(data: bytes, size: int = 1 << 16) -> bool:
    """Whether the first bytes decode as UTF-8 (a character cut at the end of the slice is fine): a GBK
    export shows itself at once, before a whole parse is spent on it."""
    try:
        data[:size].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= min(size, len(data)) - 3
    return True


def _read_delimited(data: bytes, name: str) -> tuple[list[list[str]], pl.DataFrame, str]:
    """Plain UTF-8 (the common case) goes to polars as it is, which validates it while parsing; only
    when that fails, or a BOM says otherwise, is the file decoded in Python (GB18030, UTF-16 …)."""
    if not data.startswith(BOMS) and _head_is_utf8(data):
        try:
            head, frame = delimited.read_grid(data, name)
            return head, frame, "utf-8"
        except delimited.NotUtf8:
            pass
    encoding, text = detect_and_decode(data, name)
    try:
        head, frame = delimited.read_grid(text.encode("utf-8"), name)
    except delimited.NotUtf8:  # cannot happen for re-encoded text; keep the clerk's message sane anyway
        raise DeliveryError(f"文件“{name}”的字符编码无法识别") from None
    return head, frame, encoding


def _header_row(head: list[list[str]]) -> int:
    """Index of the header record: the first of the leading records that holds at least two known headers
    (a title line or a blank line above the table is common in exports); 0 when none does."""
    for index, record in enumerate(head[:HEADER_SEARCH_ROWS]):
        if headers.known_header_count(record) >= 2:
            return index
    return 0


TOTAL_LABELS = ("合计", "总计", "小计", "累计", "共计")


def _drop_total_rows(body: pl.DataFrame) -> tuple[pl.DataFrame, list[int]]:
    """Exports often end with a 合计 (total) row, labelled in its first non-empty cell (looked for in the
    first three columns: the label sits at the left, and a million-row file need not be scanned wider)."""
    cells = [c for c in body.columns if c != "_row"][:3]
    if not cells or body.is_empty():
        return body, []
    mentions = pl.any_horizontal(pl.col(c).str.contains("计", literal=True) for c in cells).fill_null(False)
    candidates = body.filter(mentions)  # a cheap literal scan first: 设计院 mentions 计 too
    if candidates.is_empty():
        return body, []
    first = pl.coalesce(
        pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c)) for c in cells
    ).str.replace_all(r"[\s:：]", "")
    totals = candidates.filter(first.is_in(TOTAL_LABELS).fill_null(False))["_row"]
    if totals.is_empty():
        return body, []
    return body.filter(~pl.col("_row").is_in(totals.implode())), totals.to_list()


def grid_to_sheet(
    *,
    source_file: str,
    sheet_name: str,
    encoding: str,
    head: list[list[str]],
    frame: pl.DataFrame,
    table: str | None,
    limits: Limits,
    hints: list[str],
    weak_hints: tuple[str, ...] = (),
) -> Sheet | None:
    """Validate a grid of strings (record i = spreadsheet row i + 1); None when it holds nothing at all."""
    if not head or not any(cell.strip() for record in head for cell in record if cell):
        return None
    place = f"{source_file}”的工作表“{sheet_name}" if sheet_name else source_file
    if frame.height - 1 > limits.max_rows:
        raise DeliveryError(f"“{place}”行数超过上限（{limits.max_rows}行）")
    header_index = _header_row(head)
    header_cells = [cell or "" for cell in head[header_index]]
    if table is not None:
        match = headers.match_headers(header_cells, load_contract()[table])
        if match.missing_required:
            raise DeliveryError(f"“{place}”缺少“{match.table.zh}”的必填列：{match.missing_label()}")
    else:
        match = headers.recognise(header_cells, hints, place, weak_hints)
    if match.repeated:
        pairs = "；".join(f"“{a}”与“{b}”" for a, b in match.repeated)
        raise DeliveryError(f"“{place}”中有重复的列（指向同一字段）：{pairs}")
    notices = []
    if header_index:
        notices.append(f"{place}：表头在第{header_index + 1}行，其上方的{header_index}行已跳过")
    if match.unknown:
        notices.append(f"{place}：以下列不在“{match.table.zh}”的规范中，已忽略：{'、'.join(match.unknown)}")
    for header, key in match.header_map.items():
        if key in match.in_wan:
            notices.append(f"{place}：列“{header}”以万元为单位，未写单位的数值已按万元换算为元")
    first_data = header_index + 1
    body = frame.slice(first_data).with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_data + 1).alias("_row")
    )
    body, total_rows_skipped = _drop_total_rows(body)
    if total_rows_skipped:
        numbers = "、".join(str(n) for n in total_rows_skipped[:20])
        notices.append(f"{place}：第{numbers}行是合计行，不是数据，已跳过")
    raw = body.select(
        "_row", *(pl.col(f"c{position}").alias(key) for key, position in match.positions.items())
    )
    valid, errors, total_rows = validate.check_rows(raw, match.table, match.header_map, match.in_wan)
    rejected = pl.Series("_row", sorted({error.row for error in errors}), dtype=pl.Int64)
    return Sheet(
        source_file=source_file,
        sheet=sheet_name,
        table=match.table.name,
        encoding=encoding,
        header_map=match.header_map,
        valid=valid,
        errors=errors,
        total_rows=total_rows,
        notices=notices,
        delivered_headers=header_cells,
        rejected_cells=body.filter(pl.col("_row").is_in(rejected.implode())),
    )
