"""XLSX workbooks: guarded opening, then every sheet as a grid of strings.

An XLSX file is a zip archive, so before openpyxl sees it the archive is checked: no macros (a
vbaProject.bin or a macro-enabled content type), and no zip bomb (declared member sizes and compression
ratios; Python's zip reader never inflates a member past its declared size, so the declared sizes bound the
work). Cells are read as values (`data_only`: a formula's cached result, never the formula).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import polars as pl

from jiandu.analytics.intake.cells import cell_text
from jiandu.analytics.intake.model import DeliveryError, Limits, Sheet

HEAD_RECORDS = 10
RATIO_MIN_BYTES = 1024 * 1024  # small members (styles, a short sheet) compress very well and harmlessly
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_archive(path: Path, name: str, limits: Limits) -> None:
    """Refuse macro-enabled workbooks and zip bombs before any XML is parsed."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE_MAGIC:
        raise DeliveryError(f"文件“{name}”是加密的工作簿或旧版.xls文件，无法导入；请取消密码并另存为.xlsx")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise DeliveryError(f"文件“{name}”不是有效的XLSX文件") from None
    with archive:
        members = archive.infolist()
        if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
            raise DeliveryError(f"文件“{name}”含有宏（VBA），不予导入；请另存为不含宏的.xlsx")
        total = sum(m.file_size for m in members)
        if total > limits.max_uncompressed_bytes:
            raise DeliveryError(f"文件“{name}”解压后过大（{total // 1048576} MB），疑似压缩炸弹，不予导入")
        for member in members:
            if member.file_size < RATIO_MIN_BYTES:
                continue
            if member.compress_size == 0 or member.file_size / member.compress_size > limits.max_ratio:
                raise DeliveryError(f"文件“{name}”中的“{member.filename}”压缩比异常，疑似压缩炸弹，不予导入")
        try:
            content_types = archive.read("[Content_Types].xml")
        except KeyError:
            raise DeliveryError(f"文件“{name}”不是有效的XLSX文件（缺少[Content_Types].xml）") from None
        if b"macroEnabled" in content_types:
            raise DeliveryError(f"文件“{name}”是启用宏的工作簿，不予导入；请另存为.xlsx")


def read_grids(path: Path, name: str, limits: Limits) -> Iterator[tuple[str, list[list[str]], pl.DataFrame]]:
    """(sheet name, first records, every record as positional string columns `c0…`) for each sheet."""
    check_archive(path, name, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DeliveryError(f"文件“{name}”无法作为XLSX读取：{type(exc).__name__}") from None
    try:
        for sheet in book.worksheets:
            rows: list[list[str | None]] = []
            for values in sheet.iter_rows(values_only=True):
                if len(rows) > limits.max_rows:
                    raise DeliveryError(
                        f"文件“{name}”的工作表“{sheet.title}”行数超过上限（{limits.max_rows}行）"
                    )
                rows.append([cell_text(v) for v in values])
            while rows and not any(v is not None and v.strip() for v in rows[-1]):
                rows.pop()
            width = max((len(r) for r in rows), default=0)
            head = [[v or "" for v in r] for r in rows[:HEAD_RECORDS]]
            columns = {f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(width)}
            yield sheet.title, head, pl.DataFrame(columns, schema={c: pl.String for c in columns})
    finally:
        book.close()


def finish(sheets: list[Sheet], skipped: list[str], name: str) -> list[Sheet]:
    """Attach the skipped sheets' notice to every sheet read; a workbook with no table at all is an error."""
    if not sheets:
        detail = f"（已跳过的工作表：{'、'.join(skipped)}）" if skipped else ""
        raise DeliveryError(f"文件“{name}”中没有可识别的数据表{detail}")
    if skipped:
        notice = f"{name}：以下工作表没有可识别的表头，已跳过：{'、'.join(skipped)}"
        for sheet in sheets:
            sheet.notices.append(notice)
    return sheets
