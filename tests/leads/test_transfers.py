"""线索移送 through the web layer: send, receipt, feedback, overdue flags, reporter hiding, partner visibility."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.urls import reverse

from jiandu.accounts.models import Organisation
from jiandu.accounts.roles import Role
from jiandu.leads.commands import leads as leads_cli
from jiandu.leads.models import Lead, LeadTransfer
from tests import builders
from tests.leads.helpers import (
    HIDDEN,
    ask_to_see,
    client_for,
    county_commission,
    days,
    page,
    petition_officer,
    registered,
    revealed,
    transfer,
)

pytestmark = pytest.mark.django_db

REPORTER = "赵举报"
CONTACT = "13800000000"


@pytest.fixture
def police(people):  # type: ignore[no-untyped-def]
    return builders.make_user(
        "police", Role.SUPERVISOR, builders.CITY, kind=Organisation.Kind.PUBLIC_SECURITY
    )


def police_org() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.PUBLIC_SECURITY)


def reported_lead(people) -> Lead:  # type: ignore[no-untyped-def]
    return registered(
        client_for(people["owner"]), source="petition", reporter_name=REPORTER, reporter_contact=CONTACT
    )


def sign(user, t: LeadTransfer):  # type: ignore[no-untyped-def]
    return client_for(user).post(reverse("lead_transfer_receive", args=[t.pk]))


def answer(user, t: LeadTransfer, text: str = "已立案侦查"):  # type: ignore[no-untyped-def]
    return client_for(user).post(reverse("lead_transfer_feedback", args=[t.pk]), {"text": text})


def test_send_receive_feedback_and_the_chain_on_both_sides(people, police):
    lead = reported_lead(people)
    owner = client_for(people["owner"])
    detail = reverse("lead_detail", args=[lead.pk])
    assert client_for(police).get(detail).status_code == 404  # nothing transferred yet
    transfer(owner, lead, police_org(), receipt_due=days(0), feedback_due=days(30))
    t = LeadTransfer.objects.get()
    assert (t.from_org, t.to_org, t.include_reporter) == (people["owner"].organisation, police_org(), False)
    # the receiver sees the card and the chain, not the reporter nor the commission's internal steps
    body = page(client_for(police), lead)
    assert lead.lead_no in body and "请依法处理" in body
    assert REPORTER not in body and CONTACT not in body and "处置步骤" not in body
    assert "待处置</small>" not in body and "待处置</small>" in page(owner, lead)
    assert "移送线索</td>" in client_for(police).get(reverse("lead_list")).content.decode()
    assert REPORTER not in page(owner, lead) and HIDDEN in page(owner, lead)  # not even the handler
    # other partner agencies and outsiders still see nothing
    for name in ("partner", "outsider"):
        assert client_for(people[name]).get(detail).status_code == 404
        assert detail not in client_for(people[name]).get(reverse("lead_list")).content.decode()
    assert detail in client_for(police).get(reverse("lead_list")).content.decode()
    # feedback needs the receipt first; only the receiver signs and answers
    answer(police, t)
    assert LeadTransfer.objects.get().feedback_on is None
    assert sign(people["owner"], t).status_code == 404
    assert sign(people["partner"], t).status_code == 404
    sign(police, t)  # due today: on time
    t.refresh_from_db()
    assert t.received_on and t.received_by == police
    assert answer(people["owner"], t).status_code == 404
    answer(police, t, "")  # feedback needs its text
    assert LeadTransfer.objects.get().feedback_on is None
    answer(police, t)
    t.refresh_from_db()
    assert t.feedback == "已立案侦查"
    for side in (owner, client_for(police)):
        body = page(side, lead)
        assert "已立案侦查" in body and "签收" in body and "逾期" not in body
    events = [e.kind for e in lead.events.all()]
    assert events == ["registered", "transfer_sent", "transfer_received", "transfer_feedback"]
    transfers_page = client_for(police).get(reverse("lead_transfers")).content.decode()
    assert lead.lead_no in transfers_page


def test_reporter_travels_only_when_included(people, police):
    """A transfer "with the reporter" lets the receiver's petition office ask for it, under its own leader's
    approval; a transfer without it gives the receiver no way to it at all."""
    lead = reported_lead(people)
    owner = client_for(people["owner"])
    county_b = county_commission(builders.COUNTY_B)
    transfer(owner, lead, county_b, include_reporter="on")
    transfer(owner, lead, police_org())
    for receiver in (people["outsider"], police):
        body = page(client_for(receiver), lead)
        assert REPORTER not in body and HIDDEN in body
    # the receiving commission sees only the transfers it is party to
    assert police_org().name not in page(client_for(people["outsider"]), lead)
    b_leader = builders.make_user("b_leader", Role.LEADER, builders.COUNTY_B)
    assert REPORTER in revealed(petition_officer("xinfang_b", builders.COUNTY_B), b_leader, lead)
    police_petition = petition_officer("police_xf", builders.CITY)
    police_petition.organisation = police_org()
    police_petition.save()
    assert ask_to_see(client_for(police_petition), lead).status_code == 404


def test_partner_sees_only_what_was_transferred_to_it(people):
    lead = reported_lead(people)
    other = registered(
        client_for(people["owner"]), subject_id_1=builders.make_id(seq=31), category="工作纪律"
    )
    audit = people["partner"].organisation
    transfer(client_for(people["owner"]), lead, audit)
    partner = client_for(people["partner"])
    assert partner.get(reverse("lead_detail", args=[lead.pk])).status_code == 200
    assert partner.get(reverse("lead_detail", args=[other.pk])).status_code == 404
    listing = partner.get(reverse("lead_list")).content.decode()
    assert reverse("lead_detail", args=[lead.pk]) in listing
    assert reverse("lead_detail", args=[other.pk]) not in listing
    # an auditor-role partner may read what it received, not act on it, nor dispose of or forward the lead
    t = LeadTransfer.objects.get()
    assert sign(people["partner"], t).status_code == 404
    assert (
        client_for(people["partner"]).post(reverse("lead_way", args=[lead.pk]), {"way": "close"}).status_code
        == 404
    )
    assert transfer(partner, lead, county_commission()).status_code == 404


def test_overdue_receipt_and_feedback_are_flagged(people, police):
    lead = reported_lead(people)
    owner = client_for(people["owner"])
    transfer(owner, lead, police_org(), sent_on=days(-10), receipt_due=days(-3), feedback_due=days(-1))
    t = LeadTransfer.objects.get()
    assert "逾期未签收" in page(owner, lead) and "逾期未回告" in page(owner, lead)
    assert "逾期未签收" in client_for(police).get(reverse("lead_transfers")).content.decode()
    result = CliRunner().invoke(leads_cli, ["overdue"])
    assert result.exit_code == 1
    assert f"签收\t{lead.lead_no}\t{police_org().name}\t逾期未签收（期限 {days(-3)}）" in result.output
    assert "逾期未回告" in result.output
    sign(police, t)
    answer(police, t)
    body = page(owner, lead)
    assert "逾期签收" in body and "逾期回告" in body and "逾期未签收" not in body
    assert [e.label for e in lead.events.filter(kind__startswith="transfer_received")] == [
        f"{police_org().name}签收（逾期签收）"
    ]
    later = CliRunner().invoke(leads_cli, ["overdue"])
    assert "签收\t" not in later.output and "回告\t" not in later.output


def test_transfer_dates_must_be_in_order(people, police):
    lead = reported_lead(people)
    owner = client_for(people["owner"])
    transfer(owner, lead, police_org(), receipt_due=days(5), feedback_due=days(1))
    transfer(owner, lead, police_org(), sent_on=days(1))
    transfer(owner, lead, police_org(), note="")
    assert not LeadTransfer.objects.exists()
    transfer(owner, lead, police_org())
    t = LeadTransfer.objects.get()
    assert (t.receipt_due - t.sent_on).days == 7 and (t.feedback_due - t.sent_on).days == 60


def test_reporter_is_sealed_when_the_crypto_module_is_present(people, police, monkeypatch):
    """With jiandu.security.crypto available the stored value is its token; pages still show the plain value."""
    import base64

    from jiandu.leads import secrecy

    def encrypt(value: str, *, purpose: str) -> str:
        assert purpose == "lead-reporter"
        return "j1.test." + base64.urlsafe_b64encode(value.encode()).decode()

    def decrypt(token: str, *, purpose: str) -> str:
        return base64.urlsafe_b64decode(token.split(".")[2]).decode()

    monkeypatch.setattr(secrecy, "_crypto", lambda: (encrypt, decrypt))
    lead = reported_lead(people)
    stored = Lead.objects.values_list("reporter_name", "reporter_contact").get(pk=lead.pk)
    assert REPORTER not in stored[0] and stored[0].startswith("j1.") and CONTACT not in stored[1]
    assert REPORTER not in page(client_for(people["owner"]), lead)
    assert CONTACT in revealed(petition_officer(), people["colleague"], lead)


def test_overdue_command_is_quiet_when_nothing_is_late(people):
    registered(client_for(people["owner"]))
    result = CliRunner().invoke(leads_cli, ["overdue"])
    assert result.exit_code == 0 and "共 0 项逾期" in result.output
    late = CliRunner().invoke(leads_cli, ["overdue", "--as-of", days(31)])
    assert late.exit_code == 1 and "逾期未确定处置方式" in late.output
