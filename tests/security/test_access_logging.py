"""Every read of a registry record, every search, export, sign-in and refusal leaves an access event,
and no event holds a name, id_number or search term in plain text."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.audit.models import AccessEvent, Action
from jiandu.audit.services import record_export, search_term_hash
from jiandu.registry.models import REGISTRY
from tests import builders

pytestmark = pytest.mark.django_db

OFFICIAL_NAME = "欧阳建国"
OFFICIAL_ID = builders.make_id(seq=77)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 test")
    client.force_login(user)
    return client


def _event_text(event: AccessEvent) -> str:
    values = [getattr(event, f.attname) for f in AccessEvent._meta.concrete_fields]
    return json.dumps(values, ensure_ascii=False, default=str)


def _official():  # type: ignore[no-untyped-def]
    return builders.make_record("officials", builders.COUNTY_A, name=OFFICIAL_NAME, id_number=OFFICIAL_ID)


@pytest.mark.parametrize("table", sorted(REGISTRY))
def test_every_registry_detail_view_is_logged(people, table):
    record = builders.make_record(table, builders.COUNTY_A)
    client = client_for(people["owner"])
    before = AccessEvent.objects.count()
    assert client.get(reverse("registry_detail", args=[table, record.pk])).status_code == 200
    event = AccessEvent.objects.order_by("-seq").first()
    assert AccessEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id) == ("view", f"registry.{table}", str(record.pk))
    assert event.actor_id == people["owner"].pk and event.scope_region == builders.COUNTY_A
    assert event.path == reverse("registry_detail", args=[table, record.pk])
    assert event.client_address == "127.0.0.1" and len(event.user_agent_hash) == 32


def test_view_event_holds_no_personal_data(people):
    person = _official()
    client_for(people["owner"]).get(reverse("registry_detail", args=["officials", person.pk]))
    text = _event_text(AccessEvent.objects.get(action="view"))
    assert OFFICIAL_NAME not in text and OFFICIAL_ID not in text and "Mozilla" not in text


def test_search_is_logged_as_keyed_hash_and_length(people):
    _official()
    client = client_for(people["owner"])
    response = client.get(reverse("registry_list", args=["officials"]), {"q": OFFICIAL_NAME})
    assert OFFICIAL_NAME in response.content.decode()
    event = AccessEvent.objects.get(action="search")
    assert event.object_type == "registry.officials"
    assert event.details == {
        "term_hash": search_term_hash(OFFICIAL_NAME),
        "term_length": 4,
        "results": 1,
        "ids": [str(_only_official_pk())],
    }
    assert OFFICIAL_NAME not in _event_text(event)
    # The query string never reaches the log through the path either.
    client.get(reverse("registry_list", args=["officials"]), {"q": OFFICIAL_ID})
    assert all(OFFICIAL_ID not in _event_text(e) for e in AccessEvent.objects.all())


def _only_official_pk() -> int:
    return REGISTRY["officials"].objects.get().pk


def test_list_pages_are_logged_with_the_ids_shown(people):
    mine = _official()
    builders.make_record("officials", builders.COUNTY_B, id_number=builders.make_id(builders.COUNTY_B, seq=5))
    client_for(people["owner"]).get(reverse("registry_list", args=["officials"]))
    assert not AccessEvent.objects.filter(action="search").exists()
    event = AccessEvent.objects.get(action="list")
    assert (event.object_type, event.details) == ("registry.officials", {"ids": [str(mine.pk)], "page": 1})
    assert OFFICIAL_NAME not in _event_text(event) and OFFICIAL_ID not in _event_text(event)


@pytest.mark.parametrize(
    ("who", "reason"),
    [("outsider", "out_of_scope"), ("clerk", "no_capability"), ("admin", "no_capability")],
)
def test_refusals_are_logged_as_denied(people, who, reason):
    person = _official()
    response = client_for(people[who]).get(reverse("registry_detail", args=["officials", person.pk]))
    assert response.status_code == 404
    event = AccessEvent.objects.get(action="denied")
    assert (event.object_type, event.object_id, event.details["reason"]) == (
        "registry.officials",
        str(person.pk),
        reason,
    )
    assert event.actor_id == people[who].pk and event.details["capability"] == "view_registry"
    assert not AccessEvent.objects.filter(action="view").exists()


def test_probing_a_missing_record_is_logged(people):
    client_for(people["owner"]).get(reverse("registry_detail", args=["officials", 987654]))
    event = AccessEvent.objects.get(action="denied")
    assert (event.object_id, event.details["reason"]) == ("987654", "not_found")


def test_page_refusal_without_an_object_is_logged(people):
    assert client_for(people["clerk"]).get(reverse("registry_index")).status_code == 404
    assert AccessEvent.objects.get(action="denied").details == {
        "reason": "no_capability",
        "capability": "view_registry",
    }


def test_sign_in_success_and_failure_are_logged(people):
    client = Client()
    client.post(reverse("login"), {"username": "owner", "password": "wrong-password"})
    client.post(reverse("login"), {"username": "nobody-here", "password": "wrong-password"})
    client.post(reverse("login"), {"username": "owner", "password": builders.PASSWORD})
    failed = list(AccessEvent.objects.filter(action="login_failed").order_by("seq"))
    assert [e.details["known_account"] for e in failed] == [True, False]
    assert failed[0].object_id == str(people["owner"].pk)
    assert all("nobody-here" not in _event_text(e) and "wrong-password" not in _event_text(e) for e in failed)
    login = AccessEvent.objects.get(action="login")
    assert login.actor_id == people["owner"].pk and login.path == reverse("login")
    client.post(reverse("logout"))
    assert AccessEvent.objects.get(action="logout").actor_id == people["owner"].pk


def test_record_export_keeps_ids_and_their_digest(people):
    event = record_export(
        people["city"], object_type="registry.officials", object_ids=[3, 1, 2], export_format="xlsx"
    )
    assert event.details["ids"] == ["3", "1", "2"] and event.details["count"] == 3
    assert len(event.details["ids_digest"]) == 64 and event.action == Action.EXPORT


def test_unknown_action_refused(people):
    from jiandu.audit.services import access_event_record

    with pytest.raises(ValueError):
        access_event_record(request_or_user=people["city"], action="peek")


# --- the access log page ---------------------------------------------------------------------------


def test_access_log_page_only_for_the_capability(people):
    url = reverse("access_log")
    assert client_for(people["colleague"]).get(url).status_code == 200  # county leader
    assert client_for(people["admin"]).get(url).status_code == 200
    assert client_for(people["owner"]).get(url).status_code == 404  # supervisor
    assert client_for(people["clerk"]).get(url).status_code == 404
    assert client_for(people["partner"]).get(url).status_code == 404  # partner agency auditor


def test_who_looked_at_this_official(people):
    person = _official()
    other = builders.make_record("officials", builders.COUNTY_A, id_number=builders.make_id(seq=78))
    client_for(people["owner"]).get(reverse("registry_detail", args=["officials", person.pk]))
    client_for(people["city"]).get(reverse("registry_detail", args=["officials", other.pk]))
    record_export(
        people["city"],
        object_type="registry.officials",
        object_ids=[other.pk, person.pk],
        export_format="csv",
    )
    leader = builders.make_user("cityleader", "leader", builders.CITY)
    response = client_for(leader).get(
        reverse("access_log"), {"object_type": "registry.officials", "object_id": str(person.pk)}
    )
    client_for(people["outsider"]).get(reverse("registry_list", args=["officials"]))  # sees no such row
    client_for(people["colleague"]).get(reverse("registry_list", args=["officials"]))
    rows = list(response.context["page"])
    assert sorted((e.action, e.actor_username) for e in rows) == [("export", "city"), ("view", "owner")]
    response = client_for(leader).get(
        reverse("access_log"), {"object_type": "registry.officials", "object_id": str(person.pk)}
    )
    rows = list(response.context["page"])
    assert sorted((e.action, e.actor_username) for e in rows) == [
        ("export", "city"),
        ("list", "colleague"),
        ("view", "owner"),
    ]
    assert OFFICIAL_NAME not in response.content.decode()


def test_search_term_filter_matches_by_hash(people):
    _official()
    client_for(people["owner"]).get(reverse("registry_list", args=["officials"]), {"q": OFFICIAL_NAME})
    client_for(people["owner"]).get(reverse("registry_list", args=["officials"]), {"q": "其他人"})
    leader = builders.make_user("cityleader", "leader", builders.CITY)
    response = client_for(leader).get(reverse("access_log"), {"search_term": f" {OFFICIAL_NAME} "})
    rows = [e for e in response.context["page"] if e.object_type == "registry.officials"]
    assert len(rows) == 1 and rows[0].details["term_length"] == 4


def test_county_leader_reads_only_own_county_staff_events(people):
    person = _official()
    client_for(people["owner"]).get(reverse("registry_detail", args=["officials", person.pk]))
    client_for(people["city"]).get(reverse("registry_detail", args=["officials", person.pk]))
    response = client_for(people["colleague"]).get(reverse("access_log"), {"action": "view"})
    assert {e.actor_username for e in response.context["page"]} == {"owner"}


def test_filters_by_user_action_and_date(people):
    person = _official()
    client_for(people["owner"]).get(reverse("registry_detail", args=["officials", person.pk]))
    leader = builders.make_user("cityleader", "leader", builders.CITY)
    client = client_for(leader)
    page = client.get(reverse("access_log"), {"username": "owner", "action": "view"}).context["page"]
    assert [e.object_id for e in page] == [str(person.pk)]
    page = client.get(
        reverse("access_log"), {"username": "owner", "date_from": "2000-01-01", "date_to": "2000-01-02"}
    )
    assert list(page.context["page"]) == []


def test_reading_the_log_is_logged(people):
    client_for(people["colleague"]).get(reverse("access_log"), {"search_term": OFFICIAL_NAME})
    event = AccessEvent.objects.filter(object_type="audit.access_log").get()
    assert event.action == "search" and OFFICIAL_NAME not in _event_text(event)


def test_identifiers_in_a_path_never_reach_the_log(people):
    """A route or a hand-typed URL carrying an id_number is logged with the number replaced."""
    from jiandu.security.logformat import identifiers_redacted

    assert identifiers_redacted(f"/leads/person/{OFFICIAL_ID}/") == "/leads/person/*/"
    assert identifiers_redacted("/leads/person/34010219700101123X/") == "/leads/person/*/"
    assert identifiers_redacted("/registry/officials/12345/") == "/registry/officials/12345/"
    client_for(people["owner"]).get(f"/leads/person/{OFFICIAL_ID}/")
    client_for(people["owner"]).get(f"/registry/officials/{OFFICIAL_ID}/")
    events = AccessEvent.objects.all()
    assert events and all(OFFICIAL_ID not in _event_text(e) for e in events)


def test_application_log_carries_no_identifier(people):
    """Django's own "Not Found: <path>" warning goes through the handler's redacting filter."""
    import logging

    from jiandu.security.logformat import JsonLineFormatter, RedactIdentifiers

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/x/{OFFICIAL_ID}/",), None
    )
    assert RedactIdentifiers().filter(record)
    assert OFFICIAL_ID not in JsonLineFormatter().format(record) and "Not Found: /x/*/" in record.getMessage()
    handlers = logging.getLogger().handlers
    assert any(isinstance(f, RedactIdentifiers) for h in handlers for f in h.filters)
