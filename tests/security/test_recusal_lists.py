"""Recusal in lists and exports: a subject the user must step aside from is neither listed nor exported to
them (jiandu/accounts/access.py, records_listed); a colleague without the relation sees it (positive control),
an outsider sees nothing of another jurisdiction."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.accounts.roles import Role
from jiandu.registry.models import REGISTRY
from jiandu.security.models import RecusalNotice
from tests import builders
from tests.security import recusal_scenario as s

pytestmark = pytest.mark.django_db

STRANGER = builders.make_id(s.A, "19690909", 7)  # the subject of the unrelated matters


@pytest.fixture
def matters(people):  # type: ignore[no-untyped-def]
    """The owner's spouse is the subject of an alert and a lead; another alert and lead are about a stranger."""
    s.official()
    s.family(s.SUBJECT, "配偶", s.ME)
    return {
        "recused": s.link(people["owner"]),
        "colleague": s.link(builders.make_user("other", Role.SUPERVISOR, s.A), s.OTHER),
        "alert": s.alert(),
        "lead": s.lead(people["city"]),
        "other_alert": s.alert(STRANGER),
        "other_lead": s.lead(people["city"], subject_id=STRANGER),
    }


def _lead_listed(html: str, lead) -> bool:  # type: ignore[no-untyped-def]
    return f'href="{reverse("lead_detail", args=[lead.pk])}"' in html


def _alert_listed(html: str, alert) -> bool:  # type: ignore[no-untyped-def]
    return f'href="{reverse("alert_detail", args=[alert.pk])}"' in html


def _exported_ids(client) -> set[int]:  # type: ignore[no-untyped-def]
    builders.step_up(client)
    response = client.get(reverse("alert_list") + "?export=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {int(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_lead_list_leaves_out_a_recused_subject(people, matters):
    recused = s.client_for(matters["recused"]).get(reverse("lead_list")).content.decode()
    assert not _lead_listed(recused, matters["lead"])
    assert _lead_listed(recused, matters["other_lead"])  # the rest of the list is untouched
    colleague = s.client_for(matters["colleague"]).get(reverse("lead_list")).content.decode()
    assert _lead_listed(colleague, matters["lead"]) and _lead_listed(colleague, matters["other_lead"])
    outsider = s.client_for(people["outsider"]).get(reverse("lead_list")).content.decode()
    assert not _lead_listed(outsider, matters["lead"]) and not _lead_listed(outsider, matters["other_lead"])
    assert not RecusalNotice.objects.exists()  # leaving a row out of a list is not an attempt to open it


def test_the_lead_search_does_not_find_a_recused_subject(matters):
    query = reverse("lead_list") + "?q=王建国"
    assert not _lead_listed(s.client_for(matters["recused"]).get(query).content.decode(), matters["lead"])
    assert _lead_listed(s.client_for(matters["colleague"]).get(query).content.decode(), matters["lead"])


def test_the_alert_list_leaves_out_a_recused_subject(people, matters):
    recused = s.client_for(matters["recused"]).get(reverse("alert_list")).content.decode()
    assert not _alert_listed(recused, matters["alert"])
    assert _alert_listed(recused, matters["other_alert"])
    colleague = s.client_for(matters["colleague"]).get(reverse("alert_list")).content.decode()
    assert _alert_listed(colleague, matters["alert"]) and _alert_listed(colleague, matters["other_alert"])
    outsider = s.client_for(people["outsider"]).get(reverse("alert_list")).content.decode()
    assert not _alert_listed(outsider, matters["alert"])


def test_the_excel_export_leaves_out_a_recused_subject(people, matters):
    assert _exported_ids(s.client_for(matters["recused"])) == {matters["other_alert"].pk}
    assert _exported_ids(s.client_for(matters["colleague"])) == {
        matters["alert"].pk,
        matters["other_alert"].pk,
    }
    assert _exported_ids(s.client_for(people["outsider"])) == set()


def test_a_relatives_company_as_subject_is_left_out(people):
    """Set-based links cover companies too: an alert about the company the user's spouse holds a role in."""
    user = s.link(people["owner"])
    s.family(s.ME, "配偶", s.OTHER)
    s.company_role(s.OTHER, role="监事")
    flagged = s.alert()
    flagged.subject_type, flagged.subject_key = "company", s.COMPANY
    flagged.save()
    control = s.alert(STRANGER)
    listing = s.client_for(user).get(reverse("alert_list")).content.decode()
    assert not _alert_listed(listing, flagged) and _alert_listed(listing, control)
    colleague = s.link(builders.make_user("other", Role.SUPERVISOR, s.A), STRANGER)
    assert _alert_listed(s.client_for(colleague).get(reverse("alert_list")).content.decode(), flagged)


def test_registry_list_and_search_leave_out_a_recused_official(people, matters):
    """The official the owner is married to: not in the officials list nor in search for the owner; the
    colleague finds them in both."""
    official = REGISTRY["officials"].objects.get()  # the fixture's one official
    row = f'href="{reverse("registry_detail", args=["officials", official.pk])}"'
    portrait = f'href="{reverse("official_portrait", args=[official.pk])}"'
    listing = reverse("registry_list", args=["officials"])
    search = reverse("search") + "?q=王建国"
    recused, colleague = s.client_for(matters["recused"]), s.client_for(matters["colleague"])
    assert row not in recused.get(listing).content.decode()
    assert row in colleague.get(listing).content.decode()
    assert portrait not in recused.get(search).content.decode()
    assert portrait in colleague.get(search).content.decode()
