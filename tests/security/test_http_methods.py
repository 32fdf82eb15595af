"""ASVS 4.1.4: every route answers only the HTTP methods it declares; anything else is 405.

The test walks the URL resolver, so a route added later without `require_GET` / `require_POST` /
`require_http_methods` fails here: Django's function views otherwise run their GET branch for PUT or DELETE,
and its form views (sign-in, password change) treat PUT as POST. The API (Django REST framework) also
answers 405 to undeclared methods; it answers OPTIONS with its metadata, which is documented in the OpenAPI
schema and is the one exception.
"""

from __future__ import annotations

import pytest
from django.test import Client

from jiandu.accounts.roles import Role
from tests import builders
from tests.security.routes import all_routes, fill

pytestmark = pytest.mark.django_db

UNDECLARED = ("put", "patch", "delete")
ROUTES = all_routes()
API_PREFIX = "api/"


def _path(route: str, names: list[str]) -> str:
    samples = {"table": "officials", "kind": "csv", "id_number": builders.make_id(seq=7)}
    return fill(route, {name: samples.get(name, "1") for name in names})


def _leader() -> Client:
    client = Client()
    client.force_login(builders.make_user("methods_leader", Role.LEADER, builders.CITY))
    return client


def test_the_walk_sees_every_area():
    """Positive control: the resolver walk reaches the pages of every app (so the test below covers them)."""
    names = {pattern.name for _, _, pattern in ROUTES}
    expected = {
        "login",
        "logout",
        "set_language",
        "step_up",
        "registry_detail",
        "alert_list",
        "review_queue",
        "official_clearance",
        "lead_detail",
        "lead_reporter",
        "lead_disclosure_decide",
        "delivery_upload",
        "api_delivery_create",
        "access_log",
    }
    assert expected <= names, expected - names


@pytest.mark.parametrize(("route", "names", "pattern"), ROUTES, ids=[r for r, _, _ in ROUTES])
def test_undeclared_methods_are_refused(route, names, pattern):
    client = _leader()
    path = _path(route, names)
    for method in UNDECLARED:
        response = getattr(client, method)(path)
        assert response.status_code == 405, (method.upper(), path, response.status_code)
        assert response.has_header("Allow"), (method.upper(), path)
    if not route.startswith(API_PREFIX):
        assert client.options(path).status_code == 405, ("OPTIONS", path)
    # and the route still answers the methods it declares
    allowed = {m.strip() for m in client.put(path)["Allow"].split(",")}
    assert allowed & {"GET", "POST"}, (path, allowed)
