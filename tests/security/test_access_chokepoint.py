"""Every URL pattern, walked with data a user may see: no view reads a protected model except through the
access layer (jiandu/accounts/access.py).

How it can tell: every queryset the access module hands out carries a mark on its Query (`ACCESS_MARK`, kept
by every clone, filter, slice, values() and count), and the access rules' own unscoped lookups run inside
`access.inside_access()`. While a request is served, every SELECT the ORM compiles is inspected: one over a
protected model (a lead, an alert and what derives from them, any registry table) that is neither marked nor
issued inside the access layer is a violation, reported with the view's line that issued it. Writes (INSERT,
UPDATE) are services' business and not inspected.

A deliberately unguarded view (`Lead.objects.get(pk=pk)`, a list of alerts) is added to the URL patterns for
the positive control: the same walk must flag it.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models.sql import compiler
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from jiandu.accounts import access
from jiandu.alerts.models import Alert
from jiandu.leads.models import FindingFeedback, Lead, LeadOutcome, LeadTransfer
from jiandu.leads.services import SubjectIn, lead_register
from jiandu.leads.transfers import lead_transfer
from jiandu.registry.models import REGISTRY
from jiandu.security.idnumbers import id_hash
from tests import builders
from tests.security import recusal_scenario as s
from tests.security.routes import all_routes, fill

pytestmark = pytest.mark.django_db

PROTECTED: frozenset[type] = frozenset(
    {Lead, LeadTransfer, LeadOutcome, FindingFeedback, Alert, *REGISTRY.values()}
)

# Reads of a protected model that are not a fetch for a page, each with why (the innermost project frame's
# file and function). Keep this list short: a view's read never belongs here.
NOT_A_FETCH = {
    ("registry/ids.py", "_tokens_for_hashes"): "the masked form of an ID the page already holds (a key)",
    (
        "leads/services.py",
        "find_duplicate",
    ): "a new lead's duplicate check; the flag is shown within reach only",
    ("leads/disposal.py", "_locked"): "re-reads, locked, the lead the access layer handed the view",
    ("alerts/workflow.py", "rule_verdicts"): "per-rule precision figures over all alerts; no row is shown",
}


class Recorder:
    """Collects the protected-model SELECTs issued outside the access layer while it is on."""

    def __init__(self) -> None:
        self.violations: list[tuple[str, str]] = []
        self.checked = 0  # protected-model SELECTs seen, marked or not (proves the hook sees queries)
        self.route = ""

    def inspect(self, sql_compiler: Any) -> None:
        query = sql_compiler.query
        inner = getattr(query, "inner_query", None)  # count() of a distinct/sliced queryset wraps it
        model = query.model if query.model is not None else getattr(inner, "model", None)
        if model not in PROTECTED or query.is_empty():  # .none() cannot return a row
            return
        self.checked += 1
        if access.is_inside() or access.is_marked(query) or (inner is not None and access.is_marked(inner)):
            return
        here = __file__.rsplit(".", 1)[0]
        frames = [
            f
            for f in traceback.extract_stack()[:-2]
            if ("/jiandu/" in f.filename and "/site-packages/" not in f.filename)
            or f.filename.startswith(here)
        ]
        innermost = frames[-1] if frames else None
        if (
            innermost is not None
            and ("/".join(innermost.filename.rsplit("/", 2)[-2:]), innermost.name) in NOT_A_FETCH
        ):
            return
        where = " <- ".join(
            f"{'/'.join(f.filename.rsplit('/', 2)[-2:])}:{f.lineno} {f.line}" for f in frames[-2:][::-1]
        )
        self.violations.append((self.route, f"{model._meta.label}: {where}"))


WRITES = (compiler.SQLInsertCompiler, compiler.SQLUpdateCompiler, compiler.SQLDeleteCompiler)


@contextmanager
def recording() -> Iterator[Recorder]:
    recorder = Recorder()
    original = compiler.SQLCompiler.execute_sql

    def execute_sql(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(self, WRITES):  # backends subclass the SELECT compiler (PostgreSQL does)
            recorder.inspect(self)
        return original(self, *args, **kwargs)

    compiler.SQLCompiler.execute_sql = execute_sql  # type: ignore[method-assign]
    try:
        yield recorder
    finally:
        compiler.SQLCompiler.execute_sql = original  # type: ignore[method-assign]


# --- a deliberately unguarded view, for the positive control ---------------------------------------------


def unguarded_lead(request: HttpRequest, pk: int) -> HttpResponse:
    lead = Lead.objects.get(pk=pk)  # no access layer: any signed-in user reads any lead
    return HttpResponse(lead.lead_no)


def unguarded_alert_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(a.title for a in Alert.objects.order_by("-id")[:50]))


urlpatterns = [
    path("unguarded/leads/<int:pk>/", unguarded_lead, name="unguarded_lead"),
    path("unguarded/alerts/", unguarded_alert_list, name="unguarded_alert_list"),
    path("", include("jiandu.urls")),
]


# --- the world the walk sees ---------------------------------------------------------------------------------


@pytest.fixture
def world(people):  # type: ignore[no-untyped-def]
    """An official with positions and family, a unit, a petition, an alert about him, a lead from the city
    commission with a transfer to the audit bureau: something behind every route with an id."""
    unit_code = builders.make_uscc(s.A, 10)
    unit = builders.make_record("units", s.A, unit_code=unit_code, name="县住建局")
    official = s.official()
    s.position(s.SUBJECT, unit_code, s.days(-900))
    s.family(s.SUBJECT, "配偶", s.OTHER)
    petition = builders.make_record("petitions", s.A, subject_id=s.SUBJECT, subject_name="王建国")
    alert = s.alert()
    lead = lead_register(
        user=people["city"],
        scope_region=s.A,
        source="manual",
        category="廉洁纪律",
        matter="收受礼金",
        subjects=[SubjectIn(name="王建国", id_number=s.SUBJECT)],
    )
    transfer = lead_transfer(
        lead=lead,
        user=people["city"],
        to_org=people["partner"].organisation,
        note="请核查",
        include_reporter=False,
        sent_on=s.TODAY,
        receipt_due=s.days(7),
        feedback_due=s.days(30),
    )
    return {
        "official": official,
        "unit": unit,
        "petition": petition,
        "alert": alert,
        "lead": lead,
        "transfer": transfer,
    }


def _path(route: str, names: list[str], name: str, world: dict[str, Any]) -> str:
    """The route filled with the ids of the world's objects, by the kind of object the route names."""
    pk = "1"
    for prefix, key in (
        ("alert", "alert"),
        ("official", "official"),
        ("unit_", "unit"),
        ("lead_transfer_", "transfer"),
        ("unguarded_lead", "lead"),
        ("lead", "lead"),
        ("registry_detail", "official"),
    ):
        if name.startswith(prefix):
            pk = str(world[key].pk)
            break
    values = {
        "pk": pk,
        "table": "officials",
        "rid": str(world["petition"].pk),
        "id_number": id_hash(s.SUBJECT),
        "kind": "csv",
    }
    if name == "lead_from_registry":
        values["table"] = "petitions"
    return fill(route, {n: values.get(n, "1") for n in names})


EXTRA_QUERIES = {
    "alert_list": ["?export=xlsx", "?overdue=1&all=1&subject=王建国"],
    "lead_list": ["?overdue=1", "?q=王建国"],
    "search": ["?q=王建国", f"?q={s.SUBJECT}"],
    "registry_list": ["?q=王建国"],
    "official_graph_data": ["?expand=1"],
}


def _walk(client: Client, world: dict[str, Any], recorder: Recorder) -> dict[str, int]:
    """Every route (and its list/export/search variants), GET or — for a POST-only view — an empty POST;
    returns each route name's status (of its plain URL)."""
    walked: dict[str, int] = {}
    for route, names, pattern in all_routes():
        if route.startswith(("login", "logout", "i18n", "account/", "password")):
            continue  # sign-in and session pages read no protected model
        url = "/" + _path(route, names, pattern.name or "", world).lstrip("/")
        for suffix in ["", *EXTRA_QUERIES.get(pattern.name or "", [])]:
            recorder.route = f"{pattern.name} {url}{suffix}"
            response = client.get(url + suffix)
            if response.status_code == 405:
                response = client.post(url + suffix, {})
            assert response.status_code < 500, (recorder.route, response.status_code)
            walked.setdefault(pattern.name or route, response.status_code)
    return walked


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    builders.step_up(client)  # exports and the clearance opinion need a fresh step-up
    return client


@pytest.mark.parametrize("who", ["city", "owner", "partner"])
def test_no_view_reads_a_protected_model_outside_the_access_layer(people, world, who):
    with recording() as recorder:
        walked = _walk(_client(people[who]), world, recorder)
    if who == "city":  # the walk reaches the pages themselves, not only their refusals
        served = {name for name, status in walked.items() if status == 200}
        pages = {"lead_detail", "alert_detail", "alert_list", "official_portrait", "official_graph_data"}
        pages |= {"official_clearance", "registry_detail", "registry_list", "lead_person", "unit_portrait"}
        assert pages <= served, pages - served
    assert recorder.checked > 0  # the hook saw protected-model queries (all through the access layer)
    assert recorder.violations == [], "\n".join(f"{r}: {v}" for r, v in recorder.violations)


@override_settings(ROOT_URLCONF=__name__)
def test_the_walk_catches_a_view_that_reads_without_the_access_layer(people, world):
    """Positive control: the same walk over the same routes plus two unguarded views flags exactly those."""
    with recording() as recorder:
        _walk(_client(people["owner"]), world, recorder)
    flagged = {route.split()[0] for route, _ in recorder.violations}
    assert flagged == {"unguarded_lead", "unguarded_alert_list"}, recorder.violations
    assert any("test_access_chokepoint.py" in where for _, where in recorder.violations)
