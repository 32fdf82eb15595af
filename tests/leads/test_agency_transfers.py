"""Partner agencies send leads to the commission (公安/审计/巡察 → 纪委), and the 巡审纪 loop back to the finding."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiandu.accounts.models import Organisation
from jiandu.accounts.roles import Role
from jiandu.leads.models import FindingFeedback, Lead, LeadTransfer
from tests import builders
from tests.leads.helpers import client_for, conclude, county_commission, days, page, step, way

pytestmark = pytest.mark.django_db


def agency_user(name: str, kind: str):  # type: ignore[no-untyped-def]
    return builders.make_user(name, Role.SUPERVISOR, builders.CITY, kind=kind)


def send(user, **data):  # type: ignore[no-untyped-def]
    payload = {
        "to_org": county_commission().pk,
        "category": "廉洁纪律",
        "matter": "涉嫌收受贿赂",
        "summary": "侦查中发现",
        "source_ref": "公移〔2026〕8号",
        **data,
    }
    return client_for(user).post(reverse("lead_send"), payload)


def test_police_sends_a_lead_and_gets_the_result_back(people):
    police = agency_user("police", Organisation.Kind.PUBLIC_SECURITY)
    send(police)  # nobody named
    assert not Lead.objects.exists()
    send(police, subject_name_1="郑局长", subject_id_1=builders.make_id(seq=81))
    lead = Lead.objects.get()
    t = LeadTransfer.objects.get()
    assert (lead.source, lead.source_agency, lead.scope_region) == ("transfer", "公安", builders.COUNTY_A)
    assert lead.handling_org == county_commission() and lead.created_by == police
    assert (t.from_org, t.to_org) == (police.organisation, county_commission())
    # the commission of the county sees and handles it; the city sees it; other partners and counties do not
    owner = client_for(people["owner"])
    assert "签收" in page(owner, lead) and "处置步骤" in page(owner, lead)
    assert client_for(people["city"]).get(reverse("lead_detail", args=[lead.pk])).status_code == 200
    for name in ("partner", "outsider"):
        assert client_for(people[name]).get(reverse("lead_detail", args=[lead.pk])).status_code == 404
    assert "处置步骤" not in page(client_for(police), lead)
    owner.post(reverse("lead_transfer_receive", args=[t.pk]))
    way(owner, lead, "close")
    step(owner, lead, "approved", approved_on=days(0), approver="王书记", reason="移送司法")
    conclude(owner, lead, verdict="true", conclusion="涉嫌职务犯罪", form="第四种形态", measure="移送司法")
    t.refresh_from_db()
    assert t.feedback_on is not None and "第四种形态" in t.feedback and t.feedback_by == people["owner"]
    body = page(client_for(police), lead)
    assert "涉嫌职务犯罪" in body and "逾期" not in body
    assert "王书记" not in body  # the commission's internal steps stay internal


def test_audit_office_refers_its_finding_and_the_result_returns_to_it(people):
    audit = agency_user("auditor_office", Organisation.Kind.AUDIT_BUREAU)
    leader = builders.make_id(seq=82)
    builders.make_record("officials", builders.COUNTY_A, id_number=leader, name="冯局长")
    finding = builders.make_record(
        "audit_findings", builders.COUNTY_A, finding_no="SJ-9", leader_id=leader, referred=True
    )
    send(audit, finding_no="SJ-404")  # not delivered: refused, nothing registered
    assert not Lead.objects.exists()
    send(audit, finding_no="SJ-9")
    lead = Lead.objects.get()
    assert (lead.source_agency, lead.source_table, lead.source_rid) == ("审计", "audit_findings", finding.pk)
    assert [(s.id_number_plain(), s.name) for s in lead.subjects.all()] == [(leader, "冯局长")]
    owner = client_for(people["owner"])
    finding_page = owner.get(reverse("registry_detail", args=["audit_findings", finding.pk])).content.decode()
    assert lead.lead_no in finding_page
    owner.post(reverse("lead_transfer_receive", args=[LeadTransfer.objects.get().pk]))
    way(owner, lead, "close")
    step(owner, lead, "approved", approved_on=days(0), approver="王书记", reason="已整改")
    conclude(owner, lead, verdict="partly", conclusion="部分属实", form="第一种形态", measure="批评教育")
    assert "批评教育" in FindingFeedback.objects.get(source_rid=finding.pk).text
    assert "批评教育" in LeadTransfer.objects.get().feedback
    assert "批评教育" in page(client_for(audit), lead)


def test_only_partner_agencies_with_the_right_role_send(people):
    assert client_for(people["owner"]).get(reverse("lead_send")).status_code == 404
    assert (
        client_for(people["partner"]).get(reverse("lead_send")).status_code == 404
    )  # auditor role reads only
    police = agency_user("police", Organisation.Kind.PUBLIC_SECURITY)
    assert client_for(police).get(reverse("lead_send")).status_code == 200
    send(
        police, to_org=Organisation.objects.get(kind=Organisation.Kind.AUDIT_BUREAU).pk, subject_name_1="某人"
    )
    assert not Lead.objects.exists()
