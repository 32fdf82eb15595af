"""Lead register intake through the web layer: numbering, required fields, duplicates, scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiandu.leads.models import Lead, LeadEvent
from jiandu.security.idnumbers import id_hash
from tests import builders
from tests.leads.helpers import TODAY, client_for, days, page, register, registered

pytestmark = pytest.mark.django_db


def test_numbers_are_per_year_and_sequential(people):
    owner = client_for(people["owner"])
    first = registered(owner)
    second = registered(owner, subject_id_1=builders.make_id(seq=12), subject_name_1="李四")
    last_year = registered(
        owner,
        received=f"{TODAY.year - 1}-12-31",
        subject_id_1=builders.make_id(seq=13),
        subject_name_1="王五",
    )
    assert first.lead_no == f"XS-{TODAY.year}-000001"
    assert second.lead_no == f"XS-{TODAY.year}-000002"
    assert last_year.lead_no == f"XS-{TODAY.year - 1}-000001"
    assert first.subjects.get().id_number_plain() == builders.make_id(seq=11)
    assert first.handling_org == people["owner"].organisation
    assert LeadEvent.objects.filter(lead=first, kind="registered").count() == 1


def test_intake_sources_need_their_fields(people):
    owner = client_for(people["owner"])
    register(owner, source="transfer")  # no agency named
    register(owner, source="assignment")  # no assignment document number
    register(owner, subject_name_1="", subject_id_1="")  # nobody named
    register(owner, subject_id_1="349902197001010010")  # wrong check digit
    assert not Lead.objects.exists()
    police = registered(owner, source="transfer", source_agency="公安", source_ref="公移〔2026〕3号")
    assigned = registered(
        owner, source="assignment", source_ref="市纪交〔2026〕9号", subject_id_1=builders.make_id(seq=14)
    )
    assert police.get_source_display() == "外单位移送" and police.source_agency == "公安"
    assert assigned.source_ref == "市纪交〔2026〕9号"
    assert "公安机关" in page(owner, police)


def test_duplicates_are_flagged(people):
    owner = client_for(people["owner"])
    first = registered(owner)
    again = registered(owner, matter="另一封信反映同一问题")
    other_matter = registered(owner, category="工作纪律")
    assert again.duplicate_of == first
    assert other_matter.duplicate_of is None
    assert "疑似重复" in page(owner, again) and first.lead_no in page(owner, again)
    listing = owner.get(reverse("lead_list")).content.decode()
    assert "疑似重复" in listing


def test_county_registers_only_in_its_county(people):
    owner = client_for(people["owner"])
    register(owner, scope_region=builders.COUNTY_B)
    assert not Lead.objects.exists()
    city = client_for(people["city"])
    lead = registered(city, scope_region=builders.COUNTY_B)
    assert lead.scope_region == builders.COUNTY_B


def test_who_may_see_and_register(people):
    lead = registered(client_for(people["owner"]))
    detail = reverse("lead_detail", args=[lead.pk])
    assert client_for(people["colleague"]).get(detail).status_code == 200
    assert client_for(people["city"]).get(detail).status_code == 200
    for name in ("outsider", "clerk", "admin", "partner"):
        assert client_for(people[name]).get(detail).status_code == 404, name
    assert detail not in client_for(people["outsider"]).get(reverse("lead_list")).content.decode()
    assert detail not in client_for(people["partner"]).get(reverse("lead_list")).content.decode()
    assert detail in client_for(people["city"]).get(reverse("lead_list")).content.decode()
    assert client_for(people["clerk"]).get(reverse("lead_list")).status_code == 404
    # partner agencies transfer leads, they do not register them
    assert client_for(people["partner"]).get(reverse("lead_new")).status_code == 404
    auditor = builders.make_user("auditor_a", "auditor", builders.COUNTY_A)
    assert client_for(auditor).get(detail).status_code == 200
    assert client_for(auditor).get(reverse("lead_new")).status_code == 404


def test_subject_links_to_the_person_page(people):
    owner = client_for(people["owner"])
    lead = registered(owner)
    person = reverse("lead_person", args=[id_hash(builders.make_id(seq=11))])  # URLs carry the hash
    assert person in page(owner, lead)
    assert lead.lead_no in owner.get(person).content.decode()
    assert client_for(people["outsider"]).get(person).status_code == 404


def test_nav_shows_leads_to_commission_users(people):
    body = client_for(people["owner"]).get(reverse("home")).content.decode()
    assert reverse("lead_list") in body
    assert reverse("lead_list") not in client_for(people["clerk"]).get(reverse("home")).content.decode()
    assert days(0) == TODAY.isoformat()


def test_cli_registers_the_leads_command():
    from jiandu.cli import COMMANDS, _load

    command = _load(COMMANDS["leads"])
    assert set(command.commands) == {"overdue", "outcomes-export"}  # type: ignore[attr-defined]
