import json
from pathlib import Path

from click.testing import CliRunner

from jiandu.ocds.command import ocds

FIXTURES = Path(__file__).parent / "fixtures"


def test_indicators_prints_cardinal_shape_with_meta_and_maps(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        ocds,
        [
            "indicators",
            str(FIXTURES / "R024.jsonl"),
            "--settings",
            str(FIXTURES / "R024.ini"),
            "-o",
            str(out),
            "--map",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text())
    assert payload["OCID"]["F"] == {"R024": 0.005}
    assert set(payload["Meta"]["R024"]) == {"q1", "q3", "lower_fence"}
    assert payload["Maps"]["ocid_tenderer_r024"]["F"] == ["L", "W"]


def test_indicators_refuses_unknown_settings(tmp_path: Path) -> None:
    ini = tmp_path / "bad.ini"
    ini.write_text("[R024]\nthreshhold = 1\n")
    result = CliRunner().invoke(ocds, ["indicators", str(FIXTURES / "R024.jsonl"), "--settings", str(ini)])
    assert result.exit_code != 0 and "未知的设置项" in result.output


def test_compile_then_map_with_report(tmp_path: Path) -> None:
    package = {
        "releases": [{"ocid": "ocds-x-1", "date": "2024-01-01", "tag": ["tender"], "tender": {"title": "T"}}]
    }
    source = tmp_path / "p.json"
    source.write_text(json.dumps(package))
    compiled = tmp_path / "c.jsonl"
    runner = CliRunner()
    assert runner.invoke(ocds, ["compile", str(source), "-o", str(compiled)]).exit_code == 0
    assert json.loads(compiled.read_text())["ocid"] == "ocds-x-1"
    result = runner.invoke(ocds, ["map", str(source), "--report", "-o", str(tmp_path / "rows")])
    assert result.exit_code == 0, result.output
    assert "tenders.buyer_code: required, no OCDS source" in result.output
    assert (tmp_path / "rows" / "tenders.jsonl").read_text().count("\n") == 1


def test_map_key_names_buyers_of_processes_with_disqualified_bids(tmp_path: Path) -> None:
    ini = tmp_path / "r038.ini"
    ini.write_text("[R038]\n")
    result = CliRunner().invoke(
        ocds, ["indicators", str(FIXTURES / "R038.jsonl"), "-s", str(ini), "--map", "--no-meta"]
    )
    assert result.exit_code == 0, result.output
    maps = json.loads(result.output)["Maps"]
    assert maps["ocid_buyer_r038"] == {"b2x": "B2", "b3x": "B3", "b4x": "B4", "b5x": "B5", "f": "F", "s": "S"}
    assert maps["ocid_procuringentity_r038"]["f"] == "F"
    assert maps["ocid_tenderer"]["b1"] == ["b1-0", "b1-1"]
