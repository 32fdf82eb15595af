"""Need-to-know on top of jurisdiction (issue 10): alerts and leads under verification, their circle, grants,
and the portrait of an official under active investigation — all through the web layer.

Cast (tests/conftest.py `people`): county A's commission handles the matters — `owner` (监督检查室) and
`colleague` (委领导). The `city` supervisor's jurisdiction covers county A but is another office; `auditor_a` is
county A's own read-only role; `outsider` is county B.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.accounts.models import NeedToKnowGrant, Organisation
from jiandu.alerts.models import Alert
from jiandu.alerts.scanning import scan_run
from jiandu.audit.models import AccessEvent, Action
from jiandu.leads.models import Lead
from jiandu.leads.procedures import WAYS
from jiandu.registry.models import REGISTRY
from jiandu.security.idnumbers import id_hash
from tests import builders
from tests.alerts.test_alerts import AS_OF, plant_coi02
from tests.leads.helpers import conclude, days, registered, step, way

pytestmark = pytest.mark.django_db
A = builders.COUNTY_A
DEADLINE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    """Signed in and stepped up, so exports (alert Excel, clearance DOCX) answer at once."""
    client = Client()
    client.force_login(user)
    builders.step_up(client)
    return client


@pytest.fixture
def case(people):  # type: ignore[no-untyped-def]
    """A COI-02 alert about an official of county A (pending), and the cast."""
    person, _ = plant_coi02()
    scan_run(as_of=AS_OF, codes=["COI-02"])
    official = REGISTRY["officials"].objects.get(id_number_hash=id_hash(person))
    return {
        **people,
        "auditor_a": builders.make_user("auditor_a", "auditor", A),
        "alert": Alert.objects.get(),
        "official": official,
        "person": person,
        "office": Organisation.objects.get(region_code=A, kind=Organisation.Kind.COUNTY_COMMISSION),
    }


def act(client: Client, alert: Alert, **data: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("alert_action", args=[alert.pk]), data)


def assign(case, by: str = "city"):  # type: ignore[no-untyped-def]
    return act(
        client_for(case[by]), case["alert"], action="assign", office=str(case["office"].pk), deadline=DEADLINE
    )


def finish(client: Client, lead: Lead, **outcome: str) -> None:
    """Record every step of the lead's current way (dates today, texts filled in) and conclude it."""
    lead.refresh_from_db()
    for s in WAYS[lead.way].steps:
        step(client, lead, s.key, **{f.name: days(0) if f.kind == "date" else f.label for f in s.fields})
    conclude(client, lead, **outcome)


def status(client: Client, name: str, *args: object) -> int:
    return client.get(reverse(name, args=list(args))).status_code


def portrait_pages(client: Client, official_pk: int) -> list[int]:
    return [
        status(client, name, official_pk)
        for name in ("official_portrait", "official_graph", "official_graph_data", "official_clearance")
    ]


# --- alerts ---------------------------------------------------------------------------------------------


def test_pending_alert_is_the_jurisdictions(case):
    detail = reverse("alert_detail", args=[case["alert"].pk])
    for who in ("owner", "colleague", "city", "auditor_a"):
        client = client_for(case[who])
        assert client.get(detail).status_code == 200, who
        assert detail in client.get(reverse("alert_list")).content.decode(), who
        assert portrait_pages(client, case["official"].pk) == [200] * 4, who
    assert client_for(case["outsider"]).get(detail).status_code == 404


def test_assigned_alert_is_the_handling_offices_only(case):
    alert, official = case["alert"], case["official"]
    response = assign(case)
    # the city assigned it away: it lands on the list, told why it no longer sees the alert
    assert response.status_code == 302 and response["Location"] == reverse("alert_list")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ASSIGNED and alert.office == case["office"]
    detail = reverse("alert_detail", args=[alert.pk])
    for who in ("owner", "colleague"):
        client = client_for(case[who])
        assert client.get(detail).status_code == 200, who
        assert detail in client.get(reverse("alert_list")).content.decode(), who
        assert portrait_pages(client, official.pk) == [200] * 4, who
    for who in ("city", "auditor_a", "outsider"):
        client = client_for(case[who])
        assert client.get(detail).status_code == 404, who
        assert detail not in client.get(reverse("alert_list")).content.decode(), who
        # the official is under active investigation: the portrait and everything hanging from it refuse
        assert portrait_pages(client, official.pk) == [404] * 4, who
    # same-jurisdiction outsider to the circle: no list row, no export row, no count, no action
    city = client_for(case["city"])
    sheet = load_workbook(io.BytesIO(city.get(reverse("alert_list") + "?export=xlsx&all=1").content)).active
    assert sheet.max_row == 1
    dash = city.get(reverse("dashboard"))
    assert dash.context["by_status"] == [] and dash.context["top_officials"] == []
    owner_dash = client_for(case["owner"]).get(reverse("dashboard"))
    assert [(s["status"], s["n"]) for s in owner_dash.context["by_status"]] == [("assigned", 1)]
    assert owner_dash.context["top_officials"][0]["pk"] == official.pk
    assert act(city, alert, action="start").status_code == 404
    rules = city.get(reverse("rule_list"))
    assert next(r["hits"] for r in rules.context["rows"] if r["rule"].code == "COI-02") == 0
    unit = REGISTRY["units"].objects.get()
    unit_page = city.get(reverse("unit_portrait", args=[unit.pk]))
    assert unit_page.status_code == 200 and unit_page.context["alerts"] == []


def test_refusal_is_logged_like_another_jurisdiction(case):
    assign(case)
    client_for(case["city"]).get(reverse("official_portrait", args=[case["official"].pk]))
    client_for(case["city"]).get(reverse("alert_detail", args=[case["alert"].pk]))
    denied = AccessEvent.objects.filter(action=Action.DENIED, actor_username="city")
    reasons = {(e.object_type, e.details["reason"]) for e in denied}
    assert reasons == {("registry.officials", "out_of_scope"), ("alerts.alert", "out_of_scope")}


def test_search_still_lists_the_official_but_the_page_is_refused(case):
    """Decision (docs/security.md): the registry, unit pages and search show the person as before; hiding
    them in search alone would be as much a tell and would break ordinary work."""
    assign(case)
    city = client_for(case["city"])
    page = city.get(reverse("search"), {"q": case["official"].name}).content.decode()
    assert reverse("official_portrait", args=[case["official"].pk]) in page
    assert reverse("alert_detail", args=[case["alert"].pk]) not in page
    assert status(city, "official_portrait", case["official"].pk) == 404


def test_alert_boundaries_through_its_workflow(case):
    alert, owner = case["alert"], client_for(case["owner"])
    city = client_for(case["city"])
    detail = reverse("alert_detail", args=[alert.pk])
    assert city.get(detail).status_code == 200  # 待分派
    act(owner, alert, action="assign", office=str(case["office"].pk), deadline=DEADLINE)
    seen = []
    for action, data in (
        ("start", {}),
        ("report", {"finding": "true", "note": "属实"}),
        ("rectify", {"deadline": DEADLINE}),
    ):
        seen.append(city.get(detail).status_code)
        act(owner, alert, action=action, **data)
    seen.append(city.get(detail).status_code)
    assert seen == [404, 404, 404, 404]  # 已分派, 核查中, 已反馈, 整改中
    # a re-scan that no longer finds the pattern does not open a verification under way
    Alert.objects.filter(pk=alert.pk).update(supported=False)
    assert city.get(detail).status_code == 404
    act(owner, alert, action="close", note="整改完成")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED
    assert city.get(detail).status_code == 200  # 已销号: the jurisdiction's again
    assert portrait_pages(city, case["official"].pk) == [200] * 4


def test_alert_handed_over_follows_its_lead(case):
    alert, colleague, city = case["alert"], client_for(case["colleague"]), client_for(case["city"])
    detail = reverse("alert_detail", args=[alert.pk])
    act(colleague, alert, action="to_lead", note="转线索")
    lead = Lead.objects.get(alert=alert)
    assert lead.handling_org == case["office"] and lead.status == Lead.Status.REGISTERED
    assert city.get(detail).status_code == 200  # its lead is registered, no way yet: the jurisdiction's
    way(colleague, lead, "preliminary_verification")
    assert city.get(detail).status_code == 404
    assert status(city, "lead_detail", lead.pk) == 404
    assert colleague.get(detail).status_code == 200
    assert portrait_pages(city, case["official"].pk) == [404] * 4


# --- leads ----------------------------------------------------------------------------------------------


def test_lead_boundaries_and_lists(case):
    owner, city = client_for(case["owner"]), client_for(case["city"])
    lead = registered(owner, subject_name_1="张三")
    detail = reverse("lead_detail", args=[lead.pk])
    listing = reverse("lead_list")
    assert city.get(detail).status_code == 200  # 待处置: the jurisdiction's
    assert detail in city.get(listing, {"q": "张三"}).content.decode()
    way(owner, lead, "talk_inquiry")
    for who in ("city", "auditor_a", "outsider"):
        client = client_for(case[who])
        assert client.get(detail).status_code == 404, who
        assert detail not in client.get(listing).content.decode(), who
        assert detail not in client.get(listing, {"q": "张三"}).content.decode(), who
    for who in ("owner", "colleague"):
        assert client_for(case[who]).get(detail).status_code == 200, who
    # a new lead on the same person is flagged as a duplicate only for those who may see the first one
    second = registered(city, subject_name_1="张三")
    assert second.duplicate_of_id == lead.pk
    second_page = reverse("lead_detail", args=[second.pk])
    for client, shown in ((city, False), (owner, True)):
        body = client.get(second_page).content.decode()
        assert ("疑似重复" in body, lead.lead_no in body) == (shown, shown)
        assert ("疑似重复" in client.get(listing).content.decode()) == shown
    # the person page of the lead register is refused like the portrait
    subject = lead.subjects.get().id_number_hash  # the person page is keyed by the ID's keyed hash
    assert city.get(reverse("lead_person", args=[subject])).status_code == 404
    assert owner.get(reverse("lead_person", args=[subject])).status_code == 200
    # a grant lets a person read, not dispose
    assert way(city, lead, "close").status_code == 404
    finish(owner, lead, verdict="false", conclusion="不属实")
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.CLOSED
    assert city.get(detail).status_code == 200  # closed after 谈话函询: the jurisdiction's again


def test_closed_investigation_stays_restricted(case):
    owner, city = client_for(case["owner"]), client_for(case["city"])
    lead = registered(owner, subject_id_1=case["person"], subject_name_1=case["official"].name)
    way(owner, lead, "case_filing")
    assert portrait_pages(city, case["official"].pk) == [404] * 4  # active lead about the official
    finish(owner, lead, verdict="true", conclusion="属实", form="第二种形态", measure="警告")
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.CLOSED
    detail = reverse("lead_detail", args=[lead.pk])
    assert city.get(detail).status_code == 404  # the file of an investigation stays with its circle
    assert client_for(case["colleague"]).get(detail).status_code == 200
    # no longer active: the portrait opens again, without the investigation or its outcome
    portrait = city.get(reverse("official_portrait", args=[case["official"].pk]))
    assert portrait.status_code == 200
    assert portrait.context["leads"] == [] and portrait.context["outcomes"] == []
    owner_portrait = owner.get(reverse("official_portrait", args=[case["official"].pk]))
    assert [o.lead_id for o in owner_portrait.context["outcomes"]] == [lead.pk]


# --- grants ---------------------------------------------------------------------------------------------


def test_leader_adds_and_removes_a_reader_and_the_log_keeps_both(case):
    assign(case)
    alert, official = case["alert"], case["official"]
    page = reverse("alert_need_to_know", args=[alert.pk])
    detail = reverse("alert_detail", args=[alert.pk])
    leader, city = client_for(case["colleague"]), client_for(case["city"])
    # only the handling office's leader manages the circle
    for who in ("owner", "city", "auditor_a", "outsider"):
        assert client_for(case[who]).get(page).status_code == 404, who
    assert "调整知悉范围" in leader.get(detail).content.decode()
    assert "调整知悉范围" not in client_for(case["owner"]).get(detail).content.decode()
    form = leader.get(page)
    candidates = set(form.context["form"].fields["user"].queryset.values_list("username", flat=True))
    assert candidates == {"city", "auditor_a"}  # readers of the jurisdiction outside the office's circle
    assert leader.post(page, {"action": "grant", "user": case["city"].pk, "reason": ""}).status_code == 200
    assert not NeedToKnowGrant.objects.exists()
    reason = "请市纪委第一监督检查室协助核查王某某"
    assert (
        leader.post(page, {"action": "grant", "user": case["city"].pk, "reason": reason}).status_code == 302
    )
    assert city.get(detail).status_code == 200
    assert portrait_pages(city, official.pk) == [200] * 4
    assert act(city, alert, action="start").status_code == 404  # reading, not acting
    assert "city" in client_for(case["owner"]).get(detail).content.decode()  # the circle is shown
    grant = NeedToKnowGrant.objects.get()
    assert (grant.kind, grant.object_id, grant.granted_by, grant.revoked_at) == (
        "alert",
        alert.pk,
        case["colleague"],
        None,
    )
    assert leader.post(page, {"action": "revoke", "grant": grant.pk}).status_code == 302
    assert city.get(detail).status_code == 404
    assert portrait_pages(city, official.pk) == [404] * 4
    grant.refresh_from_db()
    assert grant.revoked_by == case["colleague"] and grant.revoked_at is not None
    events = list(
        AccessEvent.objects.filter(action=Action.CHANGE, object_type="accounts.needtoknowgrant").order_by(
            "seq"
        )
    )
    assert [e.details["change"] for e in events] == ["need_to_know_granted", "need_to_know_revoked"]
    assert all(e.actor_username == "colleague" and e.object_id == str(grant.pk) for e in events)
    assert all(e.details["matter"] == "alert" and e.details["matter_id"] == alert.pk for e in events)
    assert all(e.details["grantee"] == case["city"].pk for e in events)
    logged = " ".join(str(e.details) for e in events)
    assert reason not in logged and "王" not in logged and case["person"] not in logged


def test_grants_on_a_lead_and_their_limits(case):
    owner, leader = client_for(case["owner"]), client_for(case["colleague"])
    lead = registered(owner)
    page = reverse("lead_need_to_know", args=[lead.pk])
    assert leader.get(page).status_code == 404  # not restricted yet: nothing to manage
    way(owner, lead, "preliminary_verification")
    assert leader.get(page).status_code == 200
    # a county B user's jurisdiction does not cover the lead: a grant cannot widen it
    outsider = case["outsider"]
    response = leader.post(page, {"action": "grant", "user": outsider.pk, "reason": "协助"})
    assert response.status_code == 200 and not NeedToKnowGrant.objects.exists()
    auditor = case["auditor_a"]
    detail = reverse("lead_detail", args=[lead.pk])
    assert client_for(auditor).get(detail).status_code == 404
    leader.post(page, {"action": "grant", "user": auditor.pk, "reason": "复核"})
    assert client_for(auditor).get(detail).status_code == 200
    # a second active grant for the same person is refused, the first stays
    leader.post(page, {"action": "grant", "user": auditor.pk, "reason": "again"})
    assert NeedToKnowGrant.objects.filter(revoked_at__isnull=True).count() == 1
    grant = NeedToKnowGrant.objects.get()
    # a supervisor of the office cannot revoke; the grant of another matter cannot be revoked from here
    assert owner.post(page, {"action": "revoke", "grant": grant.pk}).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None
    leader.post(page, {"action": "revoke", "grant": grant.pk})
    assert client_for(auditor).get(detail).status_code == 404
    # revoked grants stay listed (the circle's history); a new grant after a revoke is allowed
    leader.post(page, {"action": "grant", "user": auditor.pk, "reason": "再次复核"})
    assert NeedToKnowGrant.objects.filter(user=auditor).count() == 2
    assert client_for(auditor).get(detail).status_code == 200


def test_record_page_hides_a_lead_under_verification(case):
    finding = builders.make_record(
        "audit_findings",
        A,
        finding_no="SJ-2026-09",
        leader_id=case["person"],
        description="违规发放津贴补贴",
        category="违规发放",
        referred=True,
    )
    owner, city = client_for(case["owner"]), client_for(case["city"])
    owner.post(reverse("lead_from_registry", args=["audit_findings", finding.pk]))
    lead = Lead.objects.get()
    finding_page = reverse("registry_detail", args=["audit_findings", finding.pk])
    assert lead.lead_no in city.get(finding_page).content.decode()  # registered: the jurisdiction's
    way(owner, lead, "preliminary_verification")
    assert lead.lead_no not in city.get(finding_page).content.decode()
    assert lead.lead_no in owner.get(finding_page).content.decode()


def test_lists_and_counts_stay_set_based(case):
    """The need-to-know filter is part of the query: the pages' query counts do not grow with the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = client_for(case["city"])
    pages = [reverse("alert_list"), reverse("dashboard"), reverse("lead_list"), reverse("rule_list")]

    def counts() -> list[int]:
        out = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert city.get(url).status_code == 200
            out.append(len(queries))
        return out

    owner = client_for(case["owner"])

    def add(seqs: range) -> None:
        """Per seq: an alert assigned to county A, a pending alert, a registered lead, a lead under 谈话函询."""
        for seq in seqs:
            plant_coi02(seq=2 * seq)
            plant_coi02(seq=2 * seq + 1)
            scan_run(as_of=AS_OF, codes=["COI-02"])
            alert = Alert.objects.filter(status=Alert.Status.PENDING).first()
            act(owner, alert, action="assign", office=str(case["office"].pk), deadline=DEADLINE)
            registered(owner, subject_id_1=builders.make_id(seq=2 * seq))
            way(owner, registered(owner, subject_id_1=builders.make_id(seq=2 * seq + 1)), "talk_inquiry")

    add(range(1, 2))
    before = counts()
    add(range(2, 5))
    assert Alert.objects.filter(status=Alert.Status.ASSIGNED).count() == 4
    assert Lead.objects.filter(status=Lead.Status.DISPOSING).count() == 4
    assert counts() == before
