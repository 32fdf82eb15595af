from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jiandu.demo.command import demo_data


def test_demo_data_command_writes_a_city(tmp_path: Path) -> None:
    out = tmp_path / "city"
    result = CliRunner().invoke(demo_data, ["--seed", "3", "--scale", "0.01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "植入案例" in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 3 and manifest["scale"] == 0.01
    assert (out / "财政局" / "国库集中支付.csv").exists()
    assert (out / "truth" / "planted_cases.jsonl").stat().st_size > 0


def test_demo_data_defaults() -> None:
    defaults = {p.name: p.default for p in demo_data.params}
    assert defaults["seed"] == 7 and defaults["scale"] == 1.0 and str(defaults["out_dir"]) == "data/demo"
