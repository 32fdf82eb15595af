"""Round trips: alert → lead → outcome on the alert; audit/inspection finding → lead → result on the finding;
petition → lead with a sealed reporter; the `leads` DuckDB interface table."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from django.urls import reverse

from jiandu.alerts.models import Alert
from jiandu.alerts.scanning import load_analytics, scan_run
from jiandu.leads.bridge import leads_to_duckdb
from jiandu.leads.models import FindingFeedback, Lead
from jiandu.security.idnumbers import id_hash
from tests import builders
from tests.alerts.test_alerts import AS_OF, plant_coi02
from tests.leads.helpers import (
    HIDDEN,
    client_for,
    conclude,
    days,
    page,
    petition_officer,
    revealed,
    step,
    way,
)

pytestmark = pytest.mark.django_db


def close_with_form(client, lead: Lead, form: str = "第一种形态", measure: str = "谈话提醒") -> None:  # type: ignore[no-untyped-def]
    way(client, lead, "close")
    step(client, lead, "approved", approved_on=days(0), approver="王书记", reason="情节轻微")
    conclude(client, lead, verdict="true", conclusion="问题属实，情节轻微", form=form, measure=measure)
    assert Lead.objects.get(pk=lead.pk).status == "closed"


def test_alert_becomes_a_lead_and_the_outcome_flows_back(people):
    person, _ = plant_coi02()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    alert = Alert.objects.get()
    owner = client_for(people["owner"])
    act = reverse("alert_action", args=[alert.pk])
    owner.post(act, {"action": "to_lead"})  # the alert workflow still wants its note
    assert not Lead.objects.exists()
    owner.post(act, {"action": "to_lead", "note": "持股情况需进一步核实"})
    lead = Lead.objects.get()
    assert lead.source == "alert" and lead.alert == alert and lead.scope_region == builders.COUNTY_A
    assert lead.subjects.get().id_number_plain() == person and lead.subjects.get().name == "干部1"
    alert_page = owner.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    assert lead.lead_no in alert_page and reverse("lead_detail", args=[lead.pk]) in alert_page
    assert alert.transitions.get().details["lead_no"] == lead.lead_no
    close_with_form(owner, lead)
    alert.refresh_from_db()
    assert alert.finding == "true" and alert.status == "to_lead"
    note = alert.transitions.order_by("id").last()
    assert lead.lead_no in note.note and "第一种形态" in note.note
    assert "谈话提醒" in owner.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    portrait = owner.get(reverse("lead_person", args=[id_hash(person)])).content.decode()
    assert "第一种形态" in portrait and lead.lead_no in portrait
    assert "干部基本信息：干部1" in portrait


def test_audit_finding_marked_referred_goes_to_the_commission_in_one_action(people):
    leader = builders.make_id(seq=41)
    builders.make_record("officials", builders.COUNTY_A, id_number=leader, name="钱局长")
    finding = builders.make_record(
        "audit_findings",
        builders.COUNTY_A,
        finding_no="SJ-2026-07",
        leader_id=leader,
        description="违规发放津贴补贴",
        category="违规发放",
        referred=True,
    )
    owner = client_for(people["owner"])
    finding_page = reverse("registry_detail", args=["audit_findings", finding.pk])
    body = owner.get(finding_page).content.decode()
    assert "已标记移送纪检监察" in body and "移送纪委，登记为问题线索" in body
    action = reverse("lead_from_registry", args=["audit_findings", finding.pk])
    assert client_for(people["outsider"]).post(action).status_code == 404
    assert client_for(people["clerk"]).post(action).status_code == 404
    owner.post(action)
    lead = Lead.objects.get()
    assert (lead.source, lead.source_table, lead.source_rid) == (
        "audit_finding",
        "audit_findings",
        finding.pk,
    )
    assert lead.source_ref == "SJ-2026-07" and lead.subjects.get().name == "钱局长"
    owner.post(action)  # a second click is flagged, not silently merged
    assert Lead.objects.order_by("id").last().duplicate_of == lead
    close_with_form(owner, lead, "第二种形态", "诫勉")
    feedback = FindingFeedback.objects.get()
    assert (feedback.source_table, feedback.source_rid) == ("audit_findings", finding.pk)
    body = owner.get(finding_page).content.decode()
    assert "处置结果回告" in body and "诫勉" in body and lead.lead_no in body
    assert "诫勉" in client_for(people["city"]).get(finding_page).content.decode()


def test_inspection_finding_names_every_person(people):
    a, b = builders.make_id(seq=51), builders.make_id(seq=52)
    builders.make_record("officials", builders.COUNTY_A, id_number=a, name="孙科长")
    finding = builders.make_record(
        "inspection_findings", builders.COUNTY_A, person_ids=[a, b], description="公车私用", category="作风"
    )
    owner = client_for(people["owner"])
    owner.post(reverse("lead_from_registry", args=["inspection_findings", finding.pk]))
    lead = Lead.objects.get()
    assert lead.source == "inspection_finding"
    assert [(s.id_number_plain(), s.name) for s in lead.subjects.all()] == [
        (a, "孙科长"),
        (b, "（未登记干部）"),
    ]
    # tables that are not leads' sources have no such action
    unit = builders.make_record("units", builders.COUNTY_A)
    assert owner.post(reverse("lead_from_registry", args=["units", unit.pk])).status_code == 404


def test_petition_lead_keeps_the_reporter_for_the_jurisdiction_only(people):
    petition = builders.make_record(
        "petitions",
        builders.COUNTY_A,
        petition_no="XF-2026-001",
        subject_name="周主任",
        subject_unit="县财政局",
        category="廉洁纪律",
        summary="反映其违规收受购物卡",
    )
    owner = client_for(people["owner"])
    owner.post(
        reverse("lead_from_registry", args=["petitions", petition.pk]),
        {"reporter_name": "吴实名", "reporter_contact": "13900000000"},
    )
    lead = Lead.objects.get()
    assert (lead.source, lead.category) == ("petition", "廉洁纪律")
    assert lead.subjects.get().unit == "县财政局"
    # sealed at rest, hidden on every page, shown only to the petition office through four eyes
    assert "吴实名" not in lead.reporter_name and "13900000000" not in lead.reporter_contact
    for viewer in (owner, client_for(people["city"])):
        body = page(viewer, lead)
        assert "吴实名" not in body and "13900000000" not in body and HIDDEN in body
    body = revealed(petition_officer(), people["colleague"], lead)
    assert "吴实名" in body and "13900000000" in body
    assert (
        lead.lead_no
        in owner.get(reverse("registry_detail", args=["petitions", petition.pk])).content.decode()
    )


def test_leads_interface_table_for_the_rules(people):
    owner = client_for(people["owner"])
    leader = builders.make_id(seq=61)
    finding = builders.make_record("audit_findings", builders.COUNTY_A, referred=True, leader_id=leader)
    owner.post(reverse("lead_from_registry", args=["audit_findings", finding.pk]))
    lead = Lead.objects.get()
    close_with_form(owner, lead)
    con = duckdb.connect()
    leads_to_duckdb(con)
    assert con.execute("SELECT count(*) FROM leads").fetchone()[0] == 1
    row = con.execute(
        "SELECT _rid, lead_no, opened, closed, source_table, source_rid, subject_id, status FROM leads"
    ).fetchone()
    today = dt.date.today()
    assert row == (
        lead.pk,
        lead.lead_no,
        today,
        today,
        "audit_findings",
        finding.pk,
        id_hash(leader),
        "closed",
    )
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name='leads'"
        ).fetchall()
    )
    assert types["opened"] == "DATE" and types["source_rid"] == "BIGINT"
    scan_con = duckdb.connect()
    load_analytics(scan_con)
    assert scan_con.execute("SELECT count(*) FROM leads").fetchone()[0] == 1
