"""The row digest decides 'unchanged' on re-delivery, so it must stay the same bytes across versions."""

from __future__ import annotations

import hashlib

import polars as pl

from jiandu.registry.frames import row_digests


def _hashlib_digest(values: list[str | None]) -> str:
    joined = "\x1f".join("\x00" if v is None else v for v in values)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def test_digest_is_sha256_of_the_joined_values():
    texts = pl.DataFrame(
        {
            "a": ["P0000000001", "甲公司", None, ""],
            "b": ["12.50", None, '["x", "乙"]', "2025-01-01"],
            "c": ["\u3000全角", "e\u0301", "", None],
        }
    )
    expected = [_hashlib_digest(list(row)) for row in texts.iter_rows()]
    assert row_digests(texts).to_list() == expected
    # pinned: a change of separator, null marker, encoding or hash would re-version every stored row
    assert expected[0] == hashlib.sha256("P0000000001\x1f12.50\x1f\u3000全角".encode()).hexdigest()
    assert row_digests(pl.DataFrame({"a": ["x"], "b": ["y"]})).item() == (
        "adbbc83fffe5c8ca4ebdb1c5071be05fb28ca885d36672e14a4a84f70c266eea"
    )


def test_digest_of_no_rows():
    assert row_digests(pl.DataFrame({"a": []}, schema={"a": pl.Utf8})).to_list() == []
