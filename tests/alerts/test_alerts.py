"""Alerts: registry → DuckDB bridge, scan reconciliation, workflow through the web layer with permissions."""

from __future__ import annotations

import datetime as dt
import io
import json

import duckdb
import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Organisation
from jiandu.alerts.models import Alert
from jiandu.alerts.scanning import scan_run
from jiandu.registry.bridge import registry_to_duckdb
from jiandu.security.idnumbers import id_hash
from tests import builders

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def plant_coi02(region: str = builders.COUNTY_A, seq: int = 1, *, role_end: dt.date | None = None):  # type: ignore[no-untyped-def]
    """An official of `region` who is a company's shareholder while in office (COI-02)."""
    person = builders.make_id(region=region, seq=seq)
    unit_code = builders.make_uscc(region=region, serial=500 + seq)
    company = builders.make_uscc(region=region, serial=900 + seq)
    builders.make_record(
        "units",
        region,
        unit_code=unit_code,
        name=f"{region}住建局",
        region_code=region,
        kind="党政机关",
        level="县",
    )
    builders.make_record("officials", region, id_number=person, name=f"干部{seq}")
    builders.make_record(
        "positions",
        region,
        id_number=person,
        unit_code=unit_code,
        title="局长",
        is_principal=True,
        is_team_member=True,
        start_date=dt.date(2020, 1, 1),
    )
    builders.make_record(
        "companies", region, uscc=company, name=f"某建筑公司{seq}", founded=dt.date(2015, 1, 1)
    )
    role = builders.make_record(
        "company_roles",
        region,
        uscc=company,
        holder_name=f"干部{seq}",
        holder_id=person,
        role="股东",
        start_date=dt.date(2021, 3, 1),
        end_date=role_end,
    )
    return person, role


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_bridge_copies_registry_with_interface_types(people):
    person, role = plant_coi02()
    con = duckdb.connect()
    counts = registry_to_duckdb(con)
    assert counts["positions"] == 1 and counts["company_roles"] == 1 and counts["payments"] == 0
    start, principal, rid = con.execute("SELECT start_date, is_principal, _rid FROM positions").fetchone()
    assert start == dt.date(2020, 1, 1) and principal is True
    assert (
        con.execute("SELECT holder_id FROM company_roles WHERE _rid = ?", [role.pk]).fetchone()[0]
        == id_hash(person)  # DuckDB receives the keyed hash under the contract name, never the ID
    )
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name='positions'"
        ).fetchall()
    )
    assert types["start_date"] == "DATE" and types["oversees"] == "VARCHAR[]"


def test_scan_raises_reconciles_and_marks_unsupported(people):
    person, role = plant_coi02()
    first = scan_run(as_of=AS_OF, codes=["COI-02"])
    alert = Alert.objects.get(rule_code="COI-02")
    assert (
        alert.subject_key == id_hash(person)
        and alert.severity == "红"
        and alert.scope_region == builders.COUNTY_A
    )
    assert [e["table"] for e in alert.evidence][:2] == ["officials", "positions"]
    assert first.summary["counts"] == {"new": 1, "kept": 0, "unsupported": 0}
    second = scan_run(as_of=AS_OF, codes=["COI-02"])
    assert Alert.objects.count() == 1 and second.summary["counts"]["kept"] == 1
    role.delete()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    alert.refresh_from_db()
    assert not alert.supported and "不再满足" in alert.unsupported_reason and alert.unsupported_at


def test_role_ending_before_position_does_not_hit(people):
    plant_coi02(role_end=dt.date(2019, 12, 31))
    scan_run(as_of=AS_OF, codes=["COI-02"])
    assert not Alert.objects.exists()


def test_alert_pages_are_scoped(people):
    plant_coi02()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    alert = Alert.objects.get()
    detail = reverse("alert_detail", args=[alert.pk])
    assert client_for(people["owner"]).get(detail).status_code == 200
    assert client_for(people["city"]).get(detail).status_code == 200
    assert client_for(people["outsider"]).get(detail).status_code == 404
    assert client_for(people["clerk"]).get(detail).status_code == 404
    assert client_for(people["partner"]).get(detail).status_code == 404
    listing = reverse("alert_list")
    assert detail in client_for(people["owner"]).get(listing).content.decode()
    assert detail not in client_for(people["outsider"]).get(listing).content.decode()
    assert client_for(people["clerk"]).get(listing).status_code == 404
    rules = client_for(people["owner"]).get(reverse("rule_list")).content.decode()
    assert "COI-02" in rules and "COI-01" in rules


def test_excel_export_of_the_filtered_list(people):
    plant_coi02()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    owner, outsider = client_for(people["owner"]), client_for(people["outsider"])
    for client in (owner, outsider):  # an export needs a fresh step-up (jiandu/security/stepup.py)
        builders.step_up(client)
    response = owner.get(reverse("alert_list") + "?severity=红&export=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    empty = outsider.get(reverse("alert_list") + "?export=xlsx")
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(empty.content)).active.max_row == 1  # headers only
    # a subject named like a formula (the name comes from a department's delivery) stays text
    Alert.objects.update(subject_label='=HYPERLINK("http://x","点此")')
    sheet = load_workbook(io.BytesIO(owner.get(reverse("alert_list") + "?export=xlsx").content)).active
    label = sheet.cell(row=2, column=7)
    assert (label.value, label.data_type) == ('=HYPERLINK("http://x","点此")', "s")


def act(client: Client, alert: Alert, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("alert_action", args=[alert.pk]), data)


def test_full_workflow_through_the_web_layer(people):
    plant_coi02()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    alert = Alert.objects.get()
    owner = client_for(people["owner"])
    office = Organisation.objects.get(region_code=builders.COUNTY_A, kind=Organisation.Kind.COUNTY_COMMISSION)
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    # outsiders and roles without the right cannot act, nor learn that the alert exists
    assert (
        act(
            client_for(people["outsider"]), alert, action="assign", office=office.pk, deadline=deadline
        ).status_code
        == 404
    )
    assert (
        act(
            client_for(people["clerk"]), alert, action="assign", office=office.pk, deadline=deadline
        ).status_code
        == 404
    )
    auditor = builders.make_user("auditor_a", "auditor", builders.COUNTY_A)
    assert (
        act(client_for(auditor), alert, action="assign", office=office.pk, deadline=deadline).status_code
        == 404
    )
    alert.refresh_from_db()
    assert alert.status == Alert.Status.PENDING
    # a step without its required fields is refused with a message; state unchanged
    act(owner, alert, action="assign")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.PENDING
    act(owner, alert, action="assign", office=office.pk, deadline=deadline)
    act(owner, alert, action="start")
    act(owner, alert, action="report", finding="true", note="经核查，该干部持股属实")
    act(owner, alert, action="close", note="直接销号")  # refused: a true finding must be rectified first
    alert.refresh_from_db()
    assert alert.status == Alert.Status.REPORTED
    act(owner, alert, action="rectify", deadline=deadline)
    act(owner, alert, action="close", note="已转让股权，整改完成")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED and alert.finding == "true"
    steps = [(t.from_status, t.to_status, t.by.username) for t in alert.transitions.all()]
    assert steps == [
        ("pending", "assigned", "owner"),
        ("assigned", "verifying", "owner"),
        ("verifying", "reported", "owner"),
        ("reported", "rectifying", "owner"),
        ("rectifying", "closed", "owner"),
    ]
    page = client_for(people["owner"]).get(reverse("rule_list")).content.decode()
    assert "1.00" in page  # observed precision of COI-02 after one confirmed verdict


def test_overdue_is_highlighted(people):
    plant_coi02()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    alert = Alert.objects.get()
    # assigned to the owner's office: an alert under verification is listed for its handling office only
    Alert.objects.filter(pk=alert.pk).update(
        status="assigned",
        deadline=dt.date.today() - dt.timedelta(days=1),
        office=people["owner"].organisation,
    )
    link = reverse("alert_detail", args=[alert.pk])
    body = client_for(people["owner"]).get(reverse("alert_list") + "?overdue=1").content.decode()
    assert '<strong class="error">逾期' in body and link in body
    Alert.objects.filter(pk=alert.pk).update(deadline=dt.date.today())
    body = client_for(people["owner"]).get(reverse("alert_list") + "?overdue=1").content.decode()
    assert link not in body


def test_jsonl_export_carries_natural_keys(people, tmp_path):
    from jiandu.alerts.commands import alerts as alerts_group

    person, _ = plant_coi02()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    out = tmp_path / "alerts.jsonl"
    alerts_group.main(args=["export", "--output", str(out)], standalone_mode=False)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1
    line = lines[0]
    assert line["rule"] == "COI-02" and line["subject"] == {"type": "official", "key": person}
    tables = [e["table"] for e in line["evidence"]]
    assert "company_roles" in tables
    role_key = next(e["key"] for e in line["evidence"] if e["table"] == "company_roles")
    assert role_key["holder_name"] == "干部1" and role_key["role"] == "股东"
    assert "_rid" not in json.dumps(line)


def test_deployment_parameters_are_validated(tmp_path, monkeypatch):
    from jiandu.alerts.settings import deployment_params
    from jiandu.analytics.rules.engine import RuleParameterError

    good = tmp_path / "rules.yaml"
    good.write_text("COI-04: {cooling_years: 2}\n", encoding="utf-8")
    assert deployment_params(str(good)) == {"COI-04": {"cooling_years": 2}}
    bad = tmp_path / "bad.yaml"
    bad.write_text("COI-04: {cooling: 2}\n", encoding="utf-8")
    with pytest.raises(RuleParameterError, match="cooling"):
        deployment_params(str(bad))
    bad.write_text("XYZ-01: {a: 1}\n", encoding="utf-8")
    with pytest.raises(RuleParameterError, match="XYZ-01"):
        deployment_params(str(bad))
