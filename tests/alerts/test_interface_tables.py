"""A scan never runs with fewer interface tables than the rules read: a missing contributor stops it loudly.

Entity links, the lead register and OCDS currencies come from areas above the registry, which register their
loaders in `AppConfig.ready` (jiandu/registry/interface_tables.py). Before this, the scan imported them inside
`try: … except ImportError: pass`, so one missing module meant a scan with fewer alerts and no word said.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from jiandu.alerts.commands import scan
from jiandu.alerts.models import Alert, Scan
from jiandu.alerts.scanning import load_analytics, scan_run
from jiandu.registry import interface_tables
from jiandu.registry.interface_tables import InterfaceTableMissing, interface_tables_check
from tests.alerts.test_alerts import AS_OF, plant_coi02

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def without_entity_links(monkeypatch):  # type: ignore[no-untyped-def]
    """The entity-resolution area has not registered its loader (not installed, or its ready() never ran)."""
    monkeypatch.delitem(interface_tables._loaders, "entity_links")


def test_every_interface_table_has_its_loader_at_start_up():
    assert interface_tables.interface_tables_missing() == []
    assert sorted(interface_tables._loaders) == ["entity_links", "leads", "process_currencies"]
    assert interface_tables_check() == []


@pytest.mark.django_db
def test_scan_without_a_contributor_fails_with_a_clear_message(people, without_entity_links):
    plant_coi02()
    with pytest.raises(InterfaceTableMissing) as refused:
        scan_run(as_of=AS_OF, codes=["COI-02"])
    message = str(refused.value)
    assert "entity_links" in message and "jiandu.entities" in message and "不能" in message
    assert not Scan.objects.exists() and not Alert.objects.exists()  # nothing half-done is stored


@pytest.mark.django_db
def test_scan_command_reports_the_missing_contributor(people, without_entity_links):
    plant_coi02()
    result = CliRunner().invoke(scan, ["--rules", "COI-02", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 2
    assert "错误：分析库缺少接口表 entity_links" in result.output
    assert not Scan.objects.exists()


@pytest.mark.django_db
def test_analytics_load_refuses_before_loading_anything(without_entity_links):
    con = duckdb.connect()
    with pytest.raises(InterfaceTableMissing):
        load_analytics(con)
    assert con.execute("SELECT count(*) FROM information_schema.tables").fetchone() == (0,)


def test_system_check_names_the_missing_contributor(without_entity_links):
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "jiandu.E010" in str(failed.value) and "entity_links" in str(failed.value)


def test_registering_an_unknown_table_is_refused():
    with pytest.raises(ValueError, match="id_facts"):
        interface_tables.interface_table_register("id_facts", lambda con: None)
    with pytest.raises(ValueError, match="no_such_table"):
        interface_tables.interface_table_register("no_such_table", lambda con: None)


def test_unimportable_contributor_stops_start_up(tmp_path):
    """The case the issue describes: one area's module cannot be imported (a missing package). Start-up fails
    and names it, instead of a later scan quietly skipping its table."""
    program = (
        "import sys; sys.modules['jiandu.leads.bridge'] = None\n"
        "from jiandu.cli import main; main(['check'])\n"
    )
    env = {**os.environ, "JIANDU_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "jiandu.leads.bridge" in result.stderr


def test_without_the_lead_register_to_lead_is_refused_and_start_up_says_so(monkeypatch):
    """The alert workflow reaches the lead register through a hook jiandu.leads fills; without it the step
    is refused (not silently done without a lead) and `jiandu check` names the missing part."""
    from jiandu.alerts import workflow

    assert workflow.lead_opener_check() == []
    monkeypatch.setattr(workflow, "_lead_openers", [])
    assert [m.id for m in workflow.lead_opener_check()] == ["jiandu.E011"]
    with pytest.raises(workflow.WorkflowError, match="jiandu.leads"):
        workflow._lead_hook(None, None, "转办", None)  # type: ignore[arg-type]
