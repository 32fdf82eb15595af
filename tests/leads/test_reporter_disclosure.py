"""The reporter's identity (举报人信息): hidden from everyone; shown to the petition office (信访室) only after a
second user's approval, for a limited time, and after a step-up — through the web layer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.accounts.roles import Role
from jiandu.accounts.services import user_office_set
from jiandu.audit.models import AccessEvent
from jiandu.audit.verify import chain_verify
from jiandu.leads.models import ReporterDisclosure
from tests import builders
from tests.leads.helpers import (
    HIDDEN,
    ask_to_see,
    client_for,
    decide,
    messages_of,
    page,
    petition_officer,
    registered,
    reporter_page,
    revealed,
)

pytestmark = pytest.mark.django_db

NAME = "钱实名"
PHONE = "13700001111"


@pytest.fixture
def lead(people):  # type: ignore[no-untyped-def]
    return registered(
        client_for(people["owner"]), source="petition", reporter_name=NAME, reporter_contact=PHONE
    )


@pytest.fixture
def officer(people):  # type: ignore[no-untyped-def]
    return petition_officer()


def _shows_identity(body: str) -> bool:
    return NAME in body or PHONE in body


def test_nobody_sees_the_reporter_without_an_approval(people, lead, officer):
    for who in ("owner", "colleague", "city"):
        body = page(client_for(people[who]), lead)
        assert not _shows_identity(body) and HIDDEN in body, who
        assert "申请查看" not in body, who  # only the petition office may ask
    body = page(client_for(officer), lead)
    assert not _shows_identity(body) and HIDDEN in body and "申请查看（须领导审批）" in body
    for user in (people["owner"], people["colleague"], people["city"], officer):
        assert reporter_page(client_for(user), lead).status_code == 404
    denied = AccessEvent.objects.filter(action="denied", object_type="leads.lead", object_id=str(lead.pk))
    assert denied.count() == 4
    assert client_for(people["clerk"]).get(reverse("lead_disclosures")).status_code == 404
    # the stored values are sealed: a database reader does not see them either
    assert NAME not in lead.reporter_name and PHONE not in lead.reporter_contact


def test_request_approval_step_up_reveal(people, lead, officer):
    asking, leader = client_for(officer), client_for(people["colleague"])
    assert ask_to_see(asking, lead, reason="").status_code == 302  # a reason is required
    assert not ReporterDisclosure.objects.exists()
    ask_to_see(asking, lead)
    disclosure = ReporterDisclosure.objects.get()
    assert (disclosure.status, disclosure.requested_by, disclosure.reason) == (
        "pending",
        officer,
        "需联系举报人补充证据",
    )
    assert "待领导审批" in page(asking, lead)
    again = ask_to_see(asking, lead)  # one request at a time
    assert "已有待审批的申请，请等待领导审批" in messages_of(asking.get(again["Location"]))
    assert ReporterDisclosure.objects.count() == 1
    assert reporter_page(asking, lead).status_code == 404  # not before the approval
    # the leader sees the request (not the identity) and approves it
    queue = leader.get(reverse("lead_disclosures")).content.decode()
    assert lead.lead_no in queue and "需联系举报人补充证据" in queue and not _shows_identity(queue)
    assert "有待您审批的查看申请（1）" in page(leader, lead)
    decide(leader, disclosure)
    disclosure.refresh_from_db()
    assert (disclosure.status, disclosure.decided_by) == ("approved", people["colleague"])
    assert disclosure.expires_at - disclosure.decided_at == dt.timedelta(minutes=30)
    assert not _shows_identity(page(leader, lead))
    assert reporter_page(leader, lead).status_code == 404  # the approval opens it to the requester alone
    # the requester: a step-up first, then the identity
    url = reverse("lead_reporter", args=[lead.pk])
    first = reporter_page(asking, lead)
    assert first.status_code == 302 and first["Location"].startswith(reverse("step_up"))
    assert builders.step_up(asking, next_url=url)["Location"] == url
    shown = reporter_page(asking, lead)
    assert shown.status_code == 200 and NAME in shown.content.decode() and PHONE in shown.content.decode()
    # recorded: the disclosure, and every step in the access log without the identity itself
    assert ReporterDisclosure.objects.get().shown_count == 1
    reveal = AccessEvent.objects.get(action="reveal")
    assert (reveal.actor, reveal.object_type, reveal.object_id) == (officer, "leads.lead", str(lead.pk))
    assert reveal.details == {"disclosure": disclosure.pk, "approved_by": people["colleague"].pk}
    changes = AccessEvent.objects.filter(object_type="leads.reporterdisclosure").order_by("seq")
    assert [(e.actor_username, e.details["change"]) for e in changes] == [
        (officer.username, "disclosure_requested"),
        ("colleague", "disclosure_approved"),
    ]
    for event in AccessEvent.objects.all():
        assert not _shows_identity(str(event.details)) and not _shows_identity(event.object_id)
    assert chain_verify().intact
    # the lead page itself still hides it, and offers the link while the approval runs
    body = page(asking, lead)
    assert not _shows_identity(body) and url in body


def test_the_requester_cannot_approve_their_own_request(people, lead):
    chief = petition_officer("xinfang_chief", role=Role.LEADER)  # a leader who also works in the office
    asking = client_for(chief)
    ask_to_see(asking, lead)
    disclosure = ReporterDisclosure.objects.get()
    response = decide(asking, disclosure)
    assert response.status_code == 302
    assert "不能审批本人提出的申请" in " ".join(messages_of(asking.get(response["Location"])))
    disclosure.refresh_from_db()
    assert disclosure.status == "pending" and disclosure.decided_by is None
    assert reporter_page(asking, lead).status_code == 404
    assert disclosure not in asking.get(reverse("lead_disclosures")).context["to_decide"]
    # a second leader may
    decide(client_for(people["colleague"]), disclosure)
    assert ReporterDisclosure.objects.get().status == "approved"
    assert NAME in revealed_after_step_up(asking, lead)


def revealed_after_step_up(client, lead) -> str:  # type: ignore[no-untyped-def]
    builders.step_up(client)
    return reporter_page(client, lead).content.decode()


def test_only_a_leader_over_the_requester_decides(people, lead, officer):
    ask_to_see(client_for(officer), lead)
    disclosure = ReporterDisclosure.objects.get()
    other_leader = builders.make_user("leader_b", Role.LEADER, builders.COUNTY_B)
    colleague_officer = petition_officer("xinfang2")  # same office, not a leader
    for user in (people["owner"], colleague_officer, other_leader, people["partner"], people["admin"]):
        assert decide(client_for(user), disclosure).status_code == 404, user.username
    assert ReporterDisclosure.objects.get().status == "pending"
    assert (
        AccessEvent.objects.filter(
            action="denied", object_type="leads.reporterdisclosure", object_id=str(disclosure.pk)
        ).count()
        == 5
    )
    city_leader = builders.make_user("city_leader", Role.LEADER, builders.CITY)
    decide(client_for(city_leader), disclosure, "refuse")
    disclosure.refresh_from_db()
    assert (disclosure.status, disclosure.decided_by, disclosure.expires_at) == ("refused", city_leader, None)
    assert reporter_page(client_for(officer), lead).status_code == 404
    # decided once: a second decision is refused
    decide(client_for(people["colleague"]), disclosure)
    assert ReporterDisclosure.objects.get().status == "refused"
    # after a refusal the office may ask again, with a new reason
    ask_to_see(client_for(officer), lead, reason="举报人来电要求反馈")
    assert ReporterDisclosure.objects.filter(status="pending").count() == 1


def test_the_approval_expires(people, lead, officer, settings, monkeypatch):
    settings.JIANDU_REPORTER_DISCLOSURE_MINUTES = 30
    asking = client_for(officer)
    ask_to_see(asking, lead)
    decide(client_for(people["colleague"]), ReporterDisclosure.objects.get())
    builders.step_up(asking)
    assert reporter_page(asking, lead).status_code == 200
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(minutes=29))
    assert reporter_page(asking, lead).status_code == 200
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(minutes=31))
    assert reporter_page(asking, lead).status_code == 404
    body = page(asking, lead)
    assert not _shows_identity(body) and "申请查看（须领导审批）" in body  # ask again
    assert AccessEvent.objects.filter(action="reveal").count() == 2


def test_a_pending_request_lapses_after_the_decision_window(people, lead, officer, settings):
    """A request no leader decided within JIANDU_REPORTER_REQUEST_HOURS can no longer be approved, leaves the
    leaders' queue and does not block a new request; the lists show it as lapsed."""
    settings.JIANDU_REPORTER_REQUEST_HOURS = 24
    asking, leader = client_for(officer), client_for(people["colleague"])
    ask_to_see(asking, lead)
    stale = ReporterDisclosure.objects.get()
    ReporterDisclosure.objects.filter(pk=stale.pk).update(
        requested_at=timezone.now() - dt.timedelta(hours=24, seconds=1)
    )
    assert lead.lead_no not in leader.get(reverse("lead_disclosures")).content.decode()
    answer = decide(leader, stale)
    assert any("超过 24 小时未审批，已失效" in m for m in messages_of(leader.get(answer["Location"])))
    stale.refresh_from_db()
    assert (stale.status, stale.decided_by, stale.expires_at) == ("pending", None, None)
    assert "已失效（逾期未审批）" in asking.get(reverse("lead_disclosures")).content.decode()
    ask_to_see(asking, lead)  # asking again is allowed and gives a fresh request
    fresh = ReporterDisclosure.objects.exclude(pk=stale.pk).get()
    decide(leader, fresh)
    fresh.refresh_from_db()
    assert fresh.status == "approved"


def test_leaving_the_petition_office_closes_an_open_approval(people, lead, officer):
    asking = client_for(officer)
    ask_to_see(asking, lead)
    decide(client_for(people["colleague"]), ReporterDisclosure.objects.get())
    builders.step_up(asking)
    assert reporter_page(asking, lead).status_code == 200
    user_office_set(user=officer, office="", by=people["admin"])
    assert reporter_page(asking, lead).status_code == 404
    assert AccessEvent.objects.filter(action="change", details__change="office").count() == 1


def test_outside_the_jurisdiction_the_petition_office_cannot_ask(people, lead):
    outsider_office = petition_officer("xinfang_b", builders.COUNTY_B)
    assert ask_to_see(client_for(outsider_office), lead).status_code == 404  # cannot even open the lead
    assert not ReporterDisclosure.objects.exists()


def test_an_anonymous_report_has_no_reporter_box(people, officer):
    lead = registered(client_for(people["owner"]), source="petition")
    assert "<h2>举报人信息</h2>" not in page(client_for(officer), lead)
    assert ask_to_see(client_for(officer), lead).status_code == 404


def test_full_way_through_the_helper(people, lead, officer):
    """The shared helper the other lead tests use walks the same path."""
    assert NAME in revealed(officer, people["colleague"], lead)
