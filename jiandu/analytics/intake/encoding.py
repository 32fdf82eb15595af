"""Which text encoding a delivered CSV / JSONL file uses.

Real exports come as UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), GBK (Excel's plain "CSV" on a Chinese
Windows) or UTF-16 (Excel's "Unicode text"). A strict decode in a fixed order is more predictable than a
statistical guess: UTF-8 is self-checking, and GB18030 (a superset of GBK and GB2312) is tried only when
the bytes are not UTF-8.
"""

from __future__ import annotations

import codecs

from jiandu.analytics.intake.model import DeliveryError

BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def detect_and_decode(data: bytes, source_file: str) -> tuple[str, str]:
    """(encoding, text) for the delivered bytes; the BOM, if any, is not part of the text."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8", source_file, label="utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", source_file, label="utf-16")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "gb18030", data.decode("gb18030")
    except UnicodeDecodeError:
        raise DeliveryError(
            f"文件“{source_file}”的字符编码无法识别（支持UTF-8、GBK/GB18030、UTF-16）；请另存为UTF-8后重新导入"
        ) from None


def _decode(data: bytes, codec: str, source_file: str, *, label: str) -> tuple[str, str]:
    try:
        return label, data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DeliveryError(
            f"文件“{source_file}”声明为{label}编码，但第{exc.start}字节处内容不是有效的{label}"
        ) from None
