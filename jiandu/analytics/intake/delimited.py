"""Reading a delimited text file (CSV, or tab-separated text) into a grid of strings.

Everything is read as strings (no type inference): typing is the contract's job, in `validate.py`.
"""

from __future__ import annotations

import csv
import io

import polars as pl

from jiandu.analytics.intake.model import DeliveryError

HEAD_RECORDS = 10


class NotUtf8(ValueError):
    """The bytes given as UTF-8 are not (polars validates every cell it parses)."""


def _separator(text: str) -> str:
    first_line = text[: text.find("\n")] if "\n" in text else text
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read_grid(utf8: bytes, source_file: str) -> tuple[list[list[str]], pl.DataFrame]:
    """(the first records as Python lists, every record as a frame of positional string columns `c0…`).

    The head is parsed by the csv module to size the grid (a title line may be shorter than the table);
    the full read is polars' (from the UTF-8 bytes). Record i of the frame is spreadsheet row i + 1."""
    text = utf8[: 1 << 16].decode("utf-8", errors="ignore")
    separator = _separator(text)
    head: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text), delimiter=separator):
            head.append(record)
            if len(head) >= HEAD_RECORDS:
                break
    except csv.Error:
        pass
    width = max((len(r) for r in head), default=0)
    if width == 0:
        return [], pl.DataFrame()
    try:
        frame = pl.read_csv(
            io.BytesIO(utf8),
            has_header=False,
            separator=separator,
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        if "utf-8" in str(exc).lower():
            raise NotUtf8 from None
        # the parser's message quotes the offending field, which may be personal data: not passed on
        raise DeliveryError(f"文件“{source_file}”不是有效的CSV（引号不配对或格式损坏），请重新导出") from None
    return head, frame
