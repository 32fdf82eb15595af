"""Recusal at every entry point, the superiors' 回避报告 page, the access log, the identity link and its checks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.urls import reverse

from jiandu.accounts.commands import users
from jiandu.accounts.models import User
from jiandu.accounts.roles import Role
from jiandu.audit.models import AccessEvent
from jiandu.security.checks import recusal_check
from jiandu.security.crypto import decrypt, keyed_hash
from jiandu.security.idnumbers import id_hash
from jiandu.security.models import RecusalNotice
from tests import builders
from tests.security import recusal_scenario as s

pytestmark = pytest.mark.django_db

BLOCKED = "根据回避规定，您不能查阅该对象"


@pytest.fixture
def spouse_case(people):  # type: ignore[no-untyped-def]
    """The owner is linked; the subject official declared the owner as spouse; a lead and an alert about him."""
    user = s.link(people["owner"])
    person = s.official()
    s.family(s.SUBJECT, "配偶", s.ME)
    return {
        "user": user,
        "official": person,
        "alert": s.alert(),
        "lead": s.lead(people["city"]),
    }


def _entry_points(case):  # type: ignore[no-untyped-def]
    pk, lead, alert = case["official"].pk, case["lead"].pk, case["alert"].pk
    return {
        "portrait": ("get", reverse("official_portrait", args=[pk]), {}),
        "graph": ("get", reverse("official_graph", args=[pk]), {}),
        "graph_data": ("get", reverse("official_graph_data", args=[pk]), {}),
        "clearance": ("get", reverse("official_clearance", args=[pk]), {}),
        "registry_row": ("get", reverse("registry_detail", args=["officials", pk]), {}),
        "lead": ("get", reverse("lead_detail", args=[lead]), {}),
        "lead_way": (
            "post",
            reverse("lead_way", args=[lead]),
            {"way": "初步核实", "on": s.TODAY.isoformat()},
        ),
        "person_leads": ("get", reverse("lead_person", args=[id_hash(s.SUBJECT)]), {}),  # URLs carry the hash
        "reporter": ("get", reverse("lead_reporter", args=[lead]), {}),
        "reporter_request": ("post", reverse("lead_reporter_request", args=[lead]), {"reason": "核查需要"}),
        "alert": ("get", reverse("alert_detail", args=[alert]), {}),
        "alert_action": ("post", reverse("alert_action", args=[alert]), {"action": "assign"}),
        "lead_transfer": ("post", reverse("lead_transfer", args=[lead]), {}),
    }


ENTRY_POINTS = [
    "portrait",
    "graph",
    "graph_data",
    "clearance",
    "registry_row",
    "lead",
    "lead_way",
    "person_leads",
    "reporter",
    "reporter_request",
    "alert",
    "alert_action",
    "lead_transfer",
]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_refuses_the_recused_user_and_serves_others(people, spouse_case, entry):
    method, url, data = _entry_points(spouse_case)[entry]
    response = getattr(s.client_for(spouse_case["user"]), method)(url, data)
    assert response.status_code == 403, (entry, response.status_code)
    text = response.json()["error"] if entry == "graph_data" else response.content.decode()
    assert BLOCKED in text and "配偶" in text and "此次访问已报告本单位领导" in text
    assert "王建国" not in text
    assert s.SUBJECT not in text  # person pages are named by the ID's keyed hash, never the number
    notice = RecusalNotice.objects.get()
    assert (notice.user, notice.reasons) == (spouse_case["user"], ["spouse"])
    # the same page for a linked colleague with no relation to the subject
    other = s.link(builders.make_user("other", Role.SUPERVISOR, builders.COUNTY_A), s.OTHER)
    response = getattr(s.client_for(other), method)(url, data)
    # the reporter pages then apply their own rule (only an approved 信访室 requester): 404, not a recusal
    expected = (404,) if entry.startswith("reporter") else (200, 302)
    assert response.status_code in expected, (entry, response.status_code)
    assert not RecusalNotice.objects.filter(user=other).exists()


def test_outsiders_still_get_404_not_the_recusal_page(people, spouse_case):
    """Recusal runs after the access module: it never tells an outsider that the object exists."""
    outsider = s.link(people["outsider"])
    url = reverse("official_portrait", args=[spouse_case["official"].pk])
    assert s.client_for(outsider).get(url).status_code == 404
    assert not RecusalNotice.objects.exists()


def test_alert_with_a_relatives_company_in_its_evidence(people):
    user = s.link(people["owner"])
    s.family(s.ME, "配偶", s.OTHER)
    s.company_role(s.OTHER, role="监事")
    bid = builders.make_record("bids", s.A, bidder_code=s.COMPANY, bidder_name="宏达建筑", price=1, won=True)
    flagged = s.alert(evidence=(bid,))
    response = s.client_for(user).get(reverse("alert_detail", args=[flagged.pk]))
    assert response.status_code == 403 and "关联同一企业" in response.content.decode()
    assert {"table": "bids", "rid": bid.pk, "reason": "company"} in RecusalNotice.objects.get().proofs
    # the lead registered from that alert inherits its parties
    from_alert = s.lead(people["city"], subject_id=s.builders.make_id(s.A, "19660606", 8), alert=flagged)
    assert s.client_for(user).get(reverse("lead_detail", args=[from_alert.pk])).status_code == 403


def test_lead_registered_from_a_petition_row_checks_the_petitions_people(people):
    user = s.link(people["owner"])
    petition = builders.make_record("petitions", s.A, subject_id=s.SUBJECT, subject_name="王建国")
    s.family(s.SUBJECT, "兄弟姐妹", s.ME)
    lead = s.lead(
        people["city"],
        subject_id=builders.make_id(s.A, "19660606", 8),
        source="petition",
        source_table="petitions",
        source_rid=petition.pk,
    )
    response = s.client_for(user).get(reverse("lead_detail", args=[lead.pk]))
    assert response.status_code == 403 and "兄弟姐妹" in response.content.decode()


def test_recused_access_is_logged_without_personal_data(people, spouse_case):
    s.client_for(spouse_case["user"]).get(reverse("official_portrait", args=[spouse_case["official"].pk]))
    event = AccessEvent.objects.get(action="recused")
    notice = RecusalNotice.objects.get()
    assert (event.object_type, event.object_id) == ("registry.officials", str(spouse_case["official"].pk))
    assert event.details == {"reasons": ["spouse"], "notice": notice.pk}
    text = json.dumps([getattr(event, f.attname) for f in AccessEvent._meta.concrete_fields], default=str)
    assert s.SUBJECT not in text and s.ME not in text and "王建国" not in text


# --- the superiors' page ---------------------------------------------------------------------------------


def test_leader_sees_the_report_counts_repeats_and_marks_it_handled(people, spouse_case):
    recused = s.client_for(spouse_case["user"])
    url = reverse("official_portrait", args=[spouse_case["official"].pk])
    recused.get(url)
    recused.get(reverse("official_clearance", args=[spouse_case["official"].pk]))
    notice = RecusalNotice.objects.get()
    assert notice.attempts == 2 and notice.entry == "official_clearance"
    leader = s.client_for(people["colleague"])  # LEADER of the owner's organisation
    body = leader.get(reverse("recusal_list")).content.decode()
    for text in ("回避报告", "owner", "近亲属：配偶", "干部基本信息 #", "廉政意见回复", "family_members#"):
        assert text in body, text
    assert "王建国" not in body and s.SUBJECT not in body
    response = leader.post(reverse("recusal_handle", args=[notice.pk]), {"note": "已谈话提醒"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.handled_by == people["colleague"] and notice.handled_note == "已谈话提醒"
    assert AccessEvent.objects.filter(action="change", object_type="security.recusalnotice").exists()
    # a new attempt after handling opens a new report
    recused.get(url)
    assert RecusalNotice.objects.filter(handled_at__isnull=True).count() == 1


def test_report_page_only_for_leaders_of_the_same_organisation(people, spouse_case):
    s.client_for(spouse_case["user"]).get(reverse("official_portrait", args=[spouse_case["official"].pk]))
    notice = RecusalNotice.objects.get()
    assert s.client_for(people["owner"]).get(reverse("recusal_list")).status_code == 404
    elsewhere = builders.make_user("leader_b", Role.LEADER, builders.COUNTY_B)
    assert "owner" not in s.client_for(elsewhere).get(reverse("recusal_list")).content.decode()
    assert s.client_for(elsewhere).post(reverse("recusal_handle", args=[notice.pk])).status_code == 404
    assert s.client_for(people["owner"]).post(reverse("recusal_handle", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.handled_at is None


def test_a_leader_cannot_close_a_report_about_themselves(people):
    leader = s.link(people["colleague"])
    person = s.official()
    s.family(s.SUBJECT, "配偶", s.ME)
    client = s.client_for(leader)
    assert client.get(reverse("official_portrait", args=[person.pk])).status_code == 403
    notice = RecusalNotice.objects.get()
    assert "关于本人" in client.get(reverse("recusal_list")).content.decode()
    response = client.post(reverse("recusal_handle", args=[notice.pk]), follow=True)
    assert "不能处理关于本人的回避报告" in response.content.decode()
    notice.refresh_from_db()
    assert notice.handled_at is None


def test_nav_link_for_leaders_only(people):
    assert reverse("recusal_list") in s.client_for(people["colleague"]).get(reverse("home")).content.decode()
    assert reverse("recusal_list") not in s.client_for(people["owner"]).get(reverse("home")).content.decode()


# --- the identity link -----------------------------------------------------------------------------------


def test_users_set_id_reads_stdin_and_stores_no_plain_value(people):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in s.ME)  # as typed with a Chinese input method
    result = CliRunner().invoke(users, ["set-id", "owner"], input=f" {full_width}\n")
    assert result.exit_code == 0, result.output
    assert s.ME not in result.output
    user = User.objects.get(username="owner")
    assert user.id_number_hash == keyed_hash(s.ME, purpose="id-number")
    assert decrypt(user.id_number_encrypted, purpose="id-number") == s.ME
    row = User.objects.filter(pk=user.pk).values().get()
    assert not any(s.ME in str(value) for value in row.values())
    assert AccessEvent.objects.filter(action="change", details__change="identity_linked").exists()


def test_users_set_id_rejects_a_bad_number_with_the_reason(people):
    wrong = "1" if s.ME[17] != "1" else "2"
    result = CliRunner().invoke(users, ["set-id", "owner"], input=s.ME[:17] + wrong + "\n")
    assert result.exit_code != 0 and "身份证号无效" in result.output and "校验位" in result.output
    assert not User.objects.get(username="owner").has_identity_link


def test_production_refuses_unlinked_readers_until_linked(people, spouse_case, settings):
    settings.JIANDU_RECUSAL_REQUIRE_LINK = True
    url = reverse("official_portrait", args=[spouse_case["official"].pk])
    unlinked = builders.make_user("new", Role.SUPERVISOR, builders.COUNTY_A)
    response = s.client_for(unlinked).get(url)
    assert response.status_code == 403 and "尚未关联本人身份信息" in response.content.decode()
    assert AccessEvent.objects.get(action="recused").details == {"reasons": ["unlinked"]}
    assert not RecusalNotice.objects.exists()
    s.link(unlinked, s.OTHER)
    assert s.client_for(unlinked).get(url).status_code == 200


def test_deploy_check_warns_about_the_setting_and_unlinked_readers(people, settings):
    settings.JIANDU_RECUSAL_REQUIRE_LINK = False
    assert [m.id for m in recusal_check()] == ["jiandu.W004"]
    settings.JIANDU_RECUSAL_REQUIRE_LINK = True
    assert recusal_check() == []
    (warning,) = recusal_check(databases=["default"])
    readers = [u for u in people.values() if u.role != Role.CLERK and u.role != Role.ADMIN]
    assert warning.id == "jiandu.W005" and warning.msg.startswith(f"{len(readers)} ")
    for n, user in enumerate(readers):
        s.link(user, builders.make_id(s.A, "19900101", 100 + n))
    assert recusal_check(databases=["default"]) == []


@pytest.mark.parametrize("kind", ["lead", "alert"])
def test_the_need_to_know_page_of_a_restricted_matter_is_guarded(people, kind):
    """The leader who manages who may read a matter under verification must not manage their spouse's."""
    from jiandu.alerts.models import Alert
    from jiandu.leads.models import Lead

    leader = s.link(people["colleague"])  # LEADER of the county organisation that handles the matter
    s.official()
    s.family(s.SUBJECT, "配偶", s.ME)
    if kind == "lead":
        matter = s.lead(leader)
        Lead.objects.filter(pk=matter.pk).update(status=Lead.Status.DISPOSING)
    else:
        matter = s.alert()
        Alert.objects.filter(pk=matter.pk).update(status="verifying", office=leader.organisation)
    url = reverse(f"{kind}_need_to_know", args=[matter.pk])
    response = s.client_for(leader).get(url)
    assert response.status_code == 403 and "配偶" in response.content.decode()
    other = s.link(builders.make_user("other_leader", Role.LEADER, builders.COUNTY_A), s.OTHER)
    assert s.client_for(other).get(url).status_code == 200


def test_a_recused_leader_cannot_decide_who_sees_the_reporter(people):
    """The four-eyes approval of a reporter disclosure is itself guarded: the deciding leader must not be
    related to the lead's subject."""
    from jiandu.leads.models import ReporterDisclosure
    from tests.leads.helpers import ask_to_see, decide, petition_officer

    leader = s.link(people["colleague"])
    s.official()
    s.family(s.SUBJECT, "配偶", s.ME)
    lead = s.lead(people["city"], source="petition", reporter_name="钱实名", reporter_contact="13700001111")
    ask_to_see(s.client_for(petition_officer()), lead)
    disclosure = ReporterDisclosure.objects.get()
    response = decide(s.client_for(leader), disclosure)
    assert response.status_code == 403 and BLOCKED in response.content.decode()
    disclosure.refresh_from_db()
    assert disclosure.status == "pending" and disclosure.decided_by is None
    assert RecusalNotice.objects.get().user == leader
