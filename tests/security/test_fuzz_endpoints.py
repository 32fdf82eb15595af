"""Bounded property-based fuzzing of every URL and of the importer (issue 10, ASVS 8.2.2 / 5.2).

For every route of the site, hypothesis draws path arguments (real primary keys, other numbers, table names,
junk) and query strings, and requests it as an outsider county, a partner agency, a clerk and an anonymous
visitor, by GET and by POST. Properties: never a server error, and never a page showing the marker planted in
county A's records. The importer gets arbitrary bytes as CSV/JSONL: it answers with rows or a DeliveryError,
nothing else. Example counts are bounded so the run stays within a minute.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiandu.alerts.scanning import scan_run
from jiandu.analytics.intake import DeliveryError, read_file
from jiandu.registry.models import REGISTRY
from tests import builders
from tests.security.routes import all_routes, fill

MARKER = "机密标记甲"
A = builders.COUNTY_A


ROUTES = [(route, names) for route, names, _ in all_routes()]


@pytest.fixture
def secret_county(people):  # type: ignore[no-untyped-def]
    """County A's records carrying the marker, and an alert about them."""
    person = builders.make_id(A, "19700101", 1)
    unit = builders.make_uscc(A, 10)
    company = builders.make_uscc(A, 20)
    builders.make_record(
        "units", A, unit_code=unit, name=f"{MARKER}局", region_code=A, kind="党政机关", level="县"
    )
    builders.make_record("officials", A, id_number=person, name=MARKER)
    builders.make_record(
        "positions",
        A,
        id_number=person,
        unit_code=unit,
        title="局长",
        is_principal=True,
        is_team_member=True,
        start_date=dt.date(2020, 1, 1),
    )
    builders.make_record("companies", A, uscc=company, name=f"{MARKER}公司", founded=dt.date(2015, 1, 1))
    builders.make_record(
        "company_roles",
        A,
        uscc=company,
        holder_name=MARKER,
        holder_id=person,
        role="股东",
        start_date=dt.date(2021, 1, 1),
    )
    scan_run(as_of=dt.date(2026, 6, 30), codes=["COI-02"])
    return people


@pytest.mark.django_db
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(ROUTES),
    number=st.one_of(st.integers(min_value=-5, max_value=60), st.just(10**12)),
    word=st.one_of(st.sampled_from(sorted(REGISTRY)), st.text(max_size=12)),
    query=st.dictionaries(
        st.sampled_from(["q", "page", "kind", "official", "rule", "export", "expand", "from", "to"]),
        st.text(max_size=20),
        max_size=3,
    ),
    who=st.sampled_from(["outsider", "partner", "clerk", None]),
    post=st.booleans(),
)
def test_no_route_errors_or_leaks(secret_county, route, number, word, query, who, post):
    template, names = route
    values = {name: (str(number) if name in ("pk", "id") or name.endswith("_id") else word) for name in names}
    path = fill(template, values)
    if "\x00" in path or any(ord(c) < 32 for c in path):
        return
    client = Client(raise_request_exception=False)
    if who:
        client.force_login(secret_county[who])
    response = client.post(path, query) if post else client.get(path, query)
    assert response.status_code < 500, (path, query, who, response.status_code)
    if response.status_code == 200 and response.get("Content-Type", "").startswith(
        ("text/", "application/json")
    ):
        assert MARKER not in response.content.decode("utf-8", "replace"), (path, who)


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".jsonl", ".xlsx", ".txt"]))
def test_importer_answers_any_bytes_with_rows_or_a_clear_error(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"delivery{suffix}"
    path.write_bytes(data)
    try:
        sheets = read_file(path)
    except DeliveryError as exc:
        assert str(exc)  # a message for the clerk
        return
    for sheet in sheets:
        assert sheet.table in REGISTRY
        assert sheet.total_rows == sheet.valid.height + len({e.row for e in sheet.errors})


@pytest.mark.django_db
def test_fuzz_covers_the_site_and_the_marker_is_visible_to_its_owner(secret_county):
    """Positive control: the routes include the protected pages, and the owner does see the marker."""
    templates = [t for t, _ in ROUTES]
    assert len(templates) > 40
    assert any("officials" in t for t in templates) and any("alerts" in t for t in templates)
    client = Client()
    client.force_login(secret_county["owner"])
    assert MARKER in client.get("/registry/officials/").content.decode()
    found = client.get("/search/", {"q": MARKER}).content.decode()
    assert f">{MARKER}</a>" in found and f">{MARKER}公司</a>" in found  # results, not the echoed query
