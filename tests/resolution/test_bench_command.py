"""`jiandu resolve-bench` prints what issue 21 asks: petition linking on the demo city, both pipelines' Febrl
figures measured in the same run, the time ratio with both F1, and the load average."""

import re

from click.testing import CliRunner

from jiandu.resolution_commands import resolve_bench


def test_resolve_bench_prints_petitions_timing_ratio_and_load():
    result = CliRunner().invoke(
        resolve_bench, ["--limit", "60", "--repeat", "1", "--petition-scale", "0.05"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"^load average [\d.]+ [\d.]+ [\d.]+ \(\d+ CPUs\)$", out, re.M)
    assert re.search(
        r"petition linking, demo city seed 7 scale 0.05 .*precision [01]\.\d{4}  recall [01]\.\d{4}", out
    )
    assert "jiandu (Splink model + decisions)" in out and "plain Splink baseline" in out
    assert re.search(
        r"time jiandu / plain Splink: wall [\d.]+x .*CPU [\d.]+x .*F1 [01]\.\d{4} vs [01]\.\d{4}", out
    )
