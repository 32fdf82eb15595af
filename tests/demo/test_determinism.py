from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import SMALL

from jiandu.demo import generate


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(city: Path, tmp_path: Path) -> None:
    again = generate(7, SMALL, tmp_path / "again")
    first, second = digests(city), digests(again.out_dir)
    assert len(first) > 25
    assert first == second


def test_another_seed_gives_another_city(city: Path, tmp_path: Path) -> None:
    other = digests(generate(8, SMALL, tmp_path / "other").out_dir)
    mine = digests(city)
    assert set(other) == set(mine)
    differing = [name for name in mine if mine[name] != other[name]]
    assert len(differing) >= len(mine) - 1
