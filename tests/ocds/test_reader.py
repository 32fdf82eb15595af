import gzip
import json
from pathlib import Path

from jiandu.ocds.merge import release_compile
from jiandu.ocds.reader import ReadReport, compiled_releases_read


def _release(date: str, **fields) -> dict:
    return {"ocid": "ocds-x-1", "id": date, "date": date, "tag": ["tender"], **fields}


def test_merge_orders_by_date_merges_arrays_by_id_and_removes_nulls() -> None:
    early = _release(
        "2024-01-01T00:00:00Z",
        tender={"title": "旧", "status": "active"},
        awards=[{"id": "1", "status": "pending"}],
    )
    late = _release(
        "2024-02-01T00:00:00Z",
        tender={"title": "新", "status": None},
        awards=[{"id": "1", "status": "active"}, {"id": "2", "status": "pending"}],
    )
    compiled = release_compile([late, early])
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"] == {"title": "新"}
    assert compiled["awards"] == [{"id": "1", "status": "active"}, {"id": "2", "status": "pending"}]


def test_release_package_record_package_jsonl_and_gzip(tmp_path: Path) -> None:
    package = {
        "releases": [
            _release("2024-01-01T00:00:00Z"),
            _release("2024-02-01T00:00:00Z", tender={"title": "T"}),
        ]
    }
    (tmp_path / "a.json").write_text(json.dumps(package))
    records = {
        "records": [{"ocid": "ocds-x-2", "compiledRelease": {"ocid": "ocds-x-2", "tag": ["compiled"]}}]
    }
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(json.dumps(records).encode()))
    lines = [{"ocid": "ocds-x-3", "tag": ["compiled"]}, {"ocid": "ocds-x-4", "tag": ["compiled"]}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n\nnot json\n")
    report = ReadReport()
    releases = compiled_releases_read([tmp_path], report)
    assert [r["ocid"] for r in releases] == ["ocds-x-1", "ocds-x-2", "ocds-x-3", "ocds-x-4"]
    assert releases[0]["tender"] == {"title": "T"} and releases[0]["tag"] == ["compiled"]
    assert report.files == 3
    assert report.counts["processes compiled from several releases"] == 1
    assert report.skipped["c.jsonl: invalid JSON line"] == 1


def test_record_wins_over_loose_releases_and_records_without_compiled_release_are_compiled(
    tmp_path: Path,
) -> None:
    record = {
        "ocid": "ocds-x-1",
        "releases": [
            _release("2024-01-01T00:00:00Z", tender={"title": "A"}),
            _release("2024-03-01T00:00:00Z", tender={"title": "B"}),
        ],
    }
    (tmp_path / "record.json").write_text(json.dumps(record))
    (tmp_path / "release.json").write_text(
        json.dumps(_release("2024-02-01T00:00:00Z", tender={"title": "loose"}))
    )
    report = ReadReport()
    releases = compiled_releases_read([tmp_path / "record.json", tmp_path / "release.json"], report)
    assert len(releases) == 1 and releases[0]["tender"]["title"] == "B"
    assert report.counts["records compiled from their releases"] == 1
    assert report.counts["releases superseded by a record"] == 1
