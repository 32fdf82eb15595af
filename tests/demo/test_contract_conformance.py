"""Every delivered file parses under the contract; the invalid-row list is exactly what is invalid."""

from __future__ import annotations

import json
from pathlib import Path

from jiandu.analytics.contract import load_contract


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_every_contract_table_is_delivered(city: Path) -> None:
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    tables = {s["table"] for f in manifest["files"] for s in f["sheets"]}
    assert tables == set(load_contract())
    assert manifest["as_of"] == "2026-06-30"
    on_disk = {str(p.relative_to(city)) for p in city.rglob("*") if p.is_file() and p.parts[-2] != "truth"}
    assert on_disk - {"manifest.json"} == {f["path"] for f in manifest["files"]}
    encodings = {f["encoding"] for f in manifest["files"]}
    assert {"gbk", "utf-8-sig", None} <= encodings
    assert any(len(f["sheets"]) > 1 for f in manifest["files"])


def test_manifest_row_counts_match_files(city: Path, checked) -> None:
    _, _, counts, _ = checked
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    for f in manifest["files"]:
        for s in f["sheets"]:
            assert counts[f"{f['path']}#{s['sheet']}"] == s["rows"], f["path"]
            assert s["rows"] > 0, f["path"]


def test_invalid_row_list_is_exactly_the_invalid_cells(city: Path, checked) -> None:
    found, _, _, _ = checked
    listed = {
        (r["file"], r["sheet"], r["row"], r["table"], r["column"], r["problem"])
        for r in load_jsonl(city / "truth" / "invalid_rows.jsonl")
    }
    assert listed, "the demo must contain invalid rows for the importer to reject"
    assert found - listed == set(), "invalid cells missing from invalid_rows.jsonl"
    assert listed - found == set(), "listed invalid cells that are in fact valid"
    problems = {p[-1] for p in listed}
    assert {"bad_check_digit", "missing_required", "bad_enum", "bad_date"} <= problems


def test_invalid_rows_are_a_small_share(city: Path, checked) -> None:
    found, rows, _, _ = checked
    valid = sum(len(v) for v in rows.values())
    assert 0.002 < len({(f, s, r) for f, s, r, *_ in found}) / valid < 0.012


def test_format_variants_are_present(city: Path) -> None:
    payments = (city / "财政局" / "国库集中支付.csv").read_bytes().decode("gbk")
    assert "万" in payments or "," in payments.replace('","', "")
    assert any(ch in payments for ch in "０１２３４５６７８９")
    roles = (city / "市场监管局" / "股东及主要人员.csv").read_bytes()
    roles.decode("gbk")
    assert (city / "市场监管局" / "市场主体登记.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_redeliveries(city: Path) -> None:
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    redelivered = [f for f in manifest["files"] if f.get("redelivery_of")]
    kinds = {f["redelivery"] for f in redelivered}
    assert kinds == {"duplicate", "update"}
    dup = next(f for f in redelivered if f["redelivery"] == "duplicate")
    assert (city / dup["path"]).read_bytes() == (city / dup["redelivery_of"]).read_bytes()


def test_no_row_key_is_delivered_twice_by_accident(checked) -> None:
    """Outside the deliberate re-deliveries, each contract key appears once (else a row silently updates)."""
    _, _, _, duplicates = checked
    assert duplicates == []
