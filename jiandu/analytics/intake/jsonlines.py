"""JSON lines: one object per line, keyed by the contract's English keys (Chinese headers also work).

Row numbers are line numbers (1-based). A line that is not a JSON object is a row-level error, not a
file-level one: the other lines still count.
"""

from __future__ import annotations

import json

import polars as pl

from jiandu.analytics.contract import load_contract
from jiandu.analytics.intake import headers, validate
from jiandu.analytics.intake.cells import cell_text
from jiandu.analytics.intake.model import CellError, DeliveryError, Limits, Sheet

NOT_AN_OBJECT = "该行不是有效的JSON对象"


def read_sheet(text: str, *, source_file: str, encoding: str, table: str | None, limits: Limits) -> Sheet:
    keys: dict[str, None] = {}
    records: list[tuple[int, dict[str, object]]] = []
    broken: list[CellError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(records) + len(broken) >= limits.max_rows:
            raise DeliveryError(f"文件“{source_file}”行数超过上限（{limits.max_rows}行）")
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            broken.append(CellError(number, None, None, line.strip()[: validate.VALUE_CHARS], NOT_AN_OBJECT))
            continue
        records.append((number, record))
        keys.update(dict.fromkeys(record))
    names = list(keys)
    if not names:
        raise DeliveryError(f"文件“{source_file}”中没有可读取的JSON记录")
    if table is not None:
        match = headers.match_headers(names, load_contract()[table])
        if match.missing_required:
            raise DeliveryError(f"“{source_file}”缺少“{match.table.zh}”的必填字段：{match.missing_label()}")
    else:
        match = headers.recognise(names, [source_file], source_file)
    if match.repeated:
        pairs = "；".join(f"“{a}”与“{b}”" for a, b in match.repeated)
        raise DeliveryError(f"“{source_file}”中有重复的字段（指向同一列）：{pairs}")
    cells = {
        key: [cell_text(record.get(header)) for _, record in records]
        for header, key in match.header_map.items()
    }
    raw = pl.DataFrame(cells, schema={key: pl.String for key in cells}).with_columns(
        pl.Series("_row", [number for number, _ in records], dtype=pl.Int64)
    )
    valid, errors, total_rows = validate.check_rows(raw, match.table, match.header_map, match.in_wan)
    notices = []
    if match.unknown:
        notices.append(
            f"{source_file}：以下字段不在“{match.table.zh}”的规范中，已忽略：{'、'.join(match.unknown)}"
        )
    return Sheet(
        source_file=source_file,
        sheet="",
        table=match.table.name,
        encoding=encoding,
        header_map=match.header_map,
        valid=valid,
        errors=sorted(errors + broken, key=lambda e: e.row),
        total_rows=total_rows + len(broken),
        notices=notices,
    )
