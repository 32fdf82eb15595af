"""File size limits per channel: uploads are capped, a file on the server's disk has its own larger cap.

Found on the scale-10 demo city: its treasury payments file (224 MB) was refused by the upload cap when
`jiandu demo-load` imported it from disk, and the load went on to report a city without payments as ready.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from jiandu.analytics.contract import load_contract
from jiandu.sources.models import Delivery
from jiandu.sources.services import delivery_import
from tests.sources.samples import sample_csv, sample_rows

pytestmark = pytest.mark.django_db
CONTRACT = load_contract()


@pytest.fixture
def payments_file(tmp_path):
    path = sample_csv(tmp_path / "国库集中支付.csv", "payments", sample_rows(CONTRACT["payments"], 40))
    assert path.stat().st_size > 2048
    return path


def test_command_line_import_is_not_bound_by_the_upload_cap(settings, payments_file):
    settings.JIANDU_MAX_UPLOAD_BYTES = 1024
    settings.JIANDU_MAX_IMPORT_BYTES = payments_file.stat().st_size
    [delivery] = delivery_import(path=payments_file)
    assert (delivery.status, delivery.accepted) == ("done", 40)


def test_command_line_import_has_its_own_cap(settings, payments_file):
    settings.JIANDU_MAX_IMPORT_BYTES = payments_file.stat().st_size - 1
    [delivery] = delivery_import(path=payments_file)
    assert (
        delivery.status == "failed" and "过大" in delivery.message and "国库集中支付.csv" in delivery.message
    )


@pytest.mark.parametrize("channel", [Delivery.Channel.WEB, Delivery.Channel.API])
def test_uploads_keep_the_upload_cap(settings, payments_file, channel):
    settings.JIANDU_MAX_UPLOAD_BYTES = 1024
    [delivery] = delivery_import(path=payments_file, channel=channel)
    assert delivery.status == "failed" and "过大" in delivery.message and delivery.accepted == 0


def test_demo_load_stops_when_a_delivery_fails(settings, tmp_path, monkeypatch):
    """A demo city missing a table must not be reported ready (nor resolved and scanned)."""
    from jiandu import demo_load as module

    out = tmp_path / "city"
    out.mkdir()
    (out / "manifest.json").write_text('{"seed": 7, "scale": 0.01, "as_of": "2026-06-30"}', encoding="utf-8")
    small = sample_csv(out / "单位名录.csv", "units", sample_rows(CONTRACT["units"], 2))
    big = sample_csv(out / "国库集中支付.csv", "payments", sample_rows(CONTRACT["payments"], 40))
    monkeypatch.setattr(module, "manifest_files", lambda _out: [small, big])
    settings.JIANDU_MAX_IMPORT_BYTES = big.stat().st_size - 1
    result = CliRunner().invoke(module.demo_load, ["--seed", "7", "--scale", "0.01", "--out", str(out)])
    assert result.exit_code != 0
    assert "未能导入" in result.output and "国库集中支付.csv" in result.output
    assert "演示城市就绪" not in result.output
