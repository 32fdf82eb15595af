"""The access module: the only way request code obtains protected objects.

Every view, API endpoint and export asks here for a queryset or an object *for a user*. Refusals raise
AccessRefused, an Http404, never 403, so a user cannot learn that a record outside their jurisdiction exists;
the access log middleware (jiandu/audit/middleware.py) records each refusal with its reason. Each condition
stands on its own line so coverage shows every branch is exercised by a test.

Scoping: every protected row carries `scope_region`, the GB/T 2260 code of the jurisdiction it belongs to
(a unit's region; for a record about a unit, that unit's region; for a person, the region of the unit of
their latest position; for a company, the registering authority's region in its uscc). A user sees the rows
whose scope starts with their jurisdiction's prefix. Rows with no known scope are visible only to users of
city level or above, never to a county.

Need-to-know (on top of jurisdiction): an alert or a lead under verification is visible only to its handling
office and the people added to it by name (NeedToKnowGrant). Each area says which of its rows are restricted
and which column names the handling office (alerts/selectors.py, leads/selectors.py); `need_to_know` below
turns that into one Q the querysets filter by, so lists, counts and single lookups agree. The rule and its
boundaries are in docs/security.md ("Need-to-know").

The investigation shield (on top of need-to-know, for a person): a person who is the subject of a matter under
verification (an alert being verified, a lead under verification) is shielded from everyone who may read none
of those matters — `shielded`, `person_shielded`, `investigation_shield` below. The areas that own matters
(alerts, leads) register how to find a person's matters in their AppConfig.ready (`active_matters_register`):
this module, on the lowest floor, knows none of them.

Recusal (回避, the last condition): a user who must step aside from a subject is refused it (a 403 naming the
relation types, reported to their leaders) and does not see it in lists or exports. The rules live in
jiandu/registry/recusal.py; the registry app registers its guard here (`recusal_guard_register`). Request code
reaches protected objects only through the chokepoints that apply it:
- `access_record(request, queryset, pk)`: one row for a page (jurisdiction, role, need-to-know, recusal);
- `access_checked(request, obj)`: recusal on an object an area selector already fetched through this module
  (a lead reached through a transfer, a transfer's lead);
- `records_listed(user, queryset)`: a list or export of rows already scoped here, recused subjects removed.
Every queryset this module hands out is marked (`ACCESS_MARK` on its Query, kept by every clone); the
URL-walk test (tests/security/test_access_chokepoint.py) fails a view that reads a protected model without it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from jiandu.accounts.models import NeedToKnowGrant, User, region_prefix
from jiandu.accounts.roles import Capability

M = TypeVar("M", bound=Model)
S = TypeVar("S")  # a recusal subject: a model row, or a person named by an ID (registry.recusal.PersonRef)
P = TypeVar("P")  # a provider an upper area registers (Providers)
# Builds, for a usable user, the Q a queryset is narrowed by on top of jurisdiction (need-to-know).
NeedToKnow = Callable[[Any], Q]

CITY_PREFIX_MAX_LEN = 4

# The attribute set on the Query of every queryset this module hands out (Query.clone copies it, so filters,
# ordering, slicing, values() and counts keep it). Read only by tests/security/test_access_chokepoint.py.
ACCESS_MARK = "jiandu_access"
# Set while this module (or a rule it delegates to: recusal, the shield) runs its own unscoped lookups.
_inside: contextvars.ContextVar[bool] = contextvars.ContextVar("jiandu_access_inside", default=False)


def marked(queryset: QuerySet[M]) -> QuerySet[M]:
    """The queryset, marked as handed out by the access module."""
    setattr(queryset.query, ACCESS_MARK, True)
    return queryset


def is_marked(query: Any) -> bool:
    return bool(getattr(query, ACCESS_MARK, False))


@contextmanager
def inside_access() -> Iterator[None]:
    """For the access rules' own lookups (a refusal's reason, recusal links, the shield's matters), which
    deliberately look past jurisdiction and never reach a page."""
    token = _inside.set(True)
    try:
        yield
    finally:
        _inside.reset(token)


def is_inside() -> bool:
    return _inside.get()


class AccessRefused(Http404):
    """A refusal by the access module: a 404 to the user, a "denied" event in the access log.

    `reason` is "no_capability" (the role lacks the right), "out_of_scope" (the object exists outside the
    user's jurisdiction) or "not_found" (no such object) — distinguished for the log only, never shown.
    """

    def __init__(
        self, reason: str, *, object_type: str = "", object_id: Any = "", capability: str = ""
    ) -> None:
        super().__init__("not found")
        self.reason = reason
        self.object_type = object_type
        self.object_id = "" if object_id is None else str(object_id)[:64]
        self.capability = capability


def _object_type(model: type[Model]) -> str:
    table = getattr(model, "table", None)
    if table is not None and getattr(table, "name", None):
        return f"registry.{table.name}"
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _is_usable(user: Any) -> bool:
    if user is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    return bool(user.jurisdiction)


def scope_filter(user: User, field: str = "scope_region") -> Q:
    """The Q object restricting rows to the user's jurisdiction."""
    prefix = user.scope_prefix
    inside = Q(**{f"{field}__startswith": prefix})
    if len(prefix) <= CITY_PREFIX_MAX_LEN:
        return inside | Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return inside


def records_for(
    user: Any,
    queryset: QuerySet[M],
    *,
    capability: str = Capability.VIEW_REGISTRY,
    field: str = "scope_region",
    need_to_know: NeedToKnow | None = None,
) -> QuerySet[M]:
    """Rows of `queryset` the user may see for `capability`; an empty queryset when none.

    `need_to_know`, when given, narrows the jurisdiction's rows further (see `need_to_know` below)."""
    if not _is_usable(user):
        return marked(queryset.none())
    if not user.can(capability):
        return marked(queryset.none())
    rows = queryset.filter(scope_filter(user, field))
    if need_to_know is not None:
        rows = rows.filter(need_to_know(user))
    return marked(rows)


def record_for(
    user: Any,
    queryset: QuerySet[M],
    pk: Any,
    *,
    capability: str = Capability.VIEW_REGISTRY,
    field: str = "scope_region",
    need_to_know: NeedToKnow | None = None,
) -> M:
    """One row by primary key, or AccessRefused (404) when it does not exist *or* the user may not see it.

    A row refused by need-to-know is logged as "out_of_scope", like one of another jurisdiction: the access
    log is read by leaders and auditors who are not in the circle, and a distinct reason on an official's
    portrait would tell them that official is under verification."""
    object_type = _object_type(queryset.model)
    try:
        rows = records_for(user, queryset, capability=capability, field=field, need_to_know=need_to_know)
        return rows.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        reason = _refusal_reason(user, queryset, pk, capability)
        raise AccessRefused(reason, object_type=object_type, object_id=pk, capability=capability) from exc


def _refusal_reason(user: Any, queryset: QuerySet[M], pk: Any, capability: str) -> str:
    if not _is_usable(user):
        return "no_capability"
    if not user.can(capability):
        return "no_capability"
    try:
        with inside_access():
            exists = queryset.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    return "out_of_scope" if exists else "not_found"


def records_of_organisation(user: Any, queryset: QuerySet[M], *fields: str, capability: str) -> QuerySet[M]:
    """Rows one of whose `fields` names the user's own organisation (a transfer it sent or received, a lead
    reached through one): the second way to a row, for partner agencies and commissions alike."""
    if not _is_usable(user):
        return marked(queryset.none())
    if not user.can(capability):
        return marked(queryset.none())
    if user.organisation_id is None:
        return marked(queryset.none())
    reach = Q(pk__in=[])
    for name in fields:
        reach |= Q(**{name: user.organisation_id})
    return marked(queryset.filter(reach))


def records_under(queryset: QuerySet[M], field: str, parents: QuerySet[Any]) -> QuerySet[M]:
    """Rows derived from a parent (a lead's transfers, outcomes): visible where their parent is. `parents`
    must itself come from this module."""
    if not is_marked(parents.query):
        raise ImproperlyConfigured("records_under needs parents obtained through the access module")
    return marked(queryset.filter(**{f"{field}__in": parents.values("pk")}))


def require(user: Any, capability: str) -> None:
    """Refuse (404) a user whose role lacks `capability` for a page that shows no single record."""
    if not _is_usable(user):
        raise AccessRefused("no_capability", capability=capability)
    if not user.can(capability):
        raise AccessRefused("no_capability", capability=capability)


def need_to_know(
    user: User, *, kind: str, restricted: Q, office_field: str, handle_capability: str, grants: bool = True
) -> Q:
    """The rows a (usable) user may see under need-to-know, as one Q over the object's own table.

    A row matching `restricted` (under verification) is visible only to
    - its handling office: users of the organisation in `office_field` whose role may handle such objects
      (监督检查室 staff and 委领导 of that commission; a read-only role of the same commission is not in the
      circle without a grant);
    - users holding an active NeedToKnowGrant for it (when `grants`; acting on it stays with the office).
    Every other row is visible as before. Jurisdiction and capability are checked by `records_for` first, so
    this only ever narrows.
    """
    allowed = ~restricted
    if user.organisation_id is not None and user.can(handle_capability):
        allowed |= Q(**{office_field: user.organisation_id})
    if grants:
        granted = NeedToKnowGrant.objects.filter(
            kind=kind, object_id=OuterRef("pk"), user_id=user.pk, revoked_at__isnull=True
        )
        allowed |= Q(Exists(granted))
    return allowed


def users_covering(scope_region: str) -> Q:
    """A Q over users whose jurisdiction includes `scope_region` (the mirror of `scope_filter`).

    A scoped row is seen from its own code, its city and its province; a row without a scope only from city
    level up (codes ending in "00")."""
    if not scope_region:
        return Q(jurisdiction__endswith="00")
    codes = {scope_region, scope_region[:4] + "00", scope_region[:2] + "0000"}
    return Q(jurisdiction__in=sorted(c for c in codes if scope_region.startswith(region_prefix(c))))


# --- providers that areas above register (inversion: this module may not import them) -----------------------


class Providers(Generic[P]):
    """Providers registered from upper areas' AppConfig.ready; an access rule that needs them and finds none
    refuses (ImproperlyConfigured) rather than deciding without them."""

    def __init__(self, missing: str) -> None:
        self.missing = missing
        self._items: list[P] = []

    def register(self, provider: P) -> None:
        if provider not in self._items:
            self._items.append(provider)

    def required(self) -> list[P]:
        if not self._items:
            raise ImproperlyConfigured(self.missing)
        return self._items


# --- the investigation shield -------------------------------------------------------------------------------

# (user or None, person) → the person's matters under verification as a queryset — with a user, only those the
# user may read. `person` is the keyed hash of an ID or an OuterRef to one.
ActiveMatters = Callable[[Any, Any], QuerySet[Any]]
_active_matters: Providers[ActiveMatters] = Providers(
    "no area registered its matters: the investigation shield would be off"
)


def active_matters_register(provider: ActiveMatters) -> None:
    """Called from an area's AppConfig.ready (alerts, leads): its matters count for the shield."""
    _active_matters.register(provider)


def _matters() -> list[ActiveMatters]:
    return _active_matters.required()


def shielded(user: Any, person: Any) -> Q:
    """True for a person under active investigation none of whose active matters the user may read."""
    under_investigation = Q(pk__in=[])
    unreadable = Q()
    for matters in _matters():
        under_investigation |= Q(Exists(matters(None, person)))
        unreadable &= ~Q(Exists(matters(user, person)))
    return under_investigation & unreadable


def investigation_shield(user: Any) -> Q:
    """The need-to-know of an officials row: `records_for(..., need_to_know=investigation_shield)`."""
    return ~shielded(user, OuterRef("id_number_hash"))


def person_shielded(user: Any, id_number: str) -> bool:
    """For pages keyed by a person (the lead register's person page): `id_number` is the ID's keyed hash."""
    with inside_access():
        if not any(matters(None, id_number).exists() for matters in _matters()):
            return False
        return not any(matters(user, id_number).exists() for matters in _matters())


# --- recusal ------------------------------------------------------------------------------------------------


class RecusalGuard(Protocol):
    def refuse(self, request: HttpRequest, subject: Any) -> None:
        """Raise (a 403 naming the relation types) when the user must step aside from `subject`."""

    def unlisted(self, user: Any, model: type[Model]) -> Q | None:
        """The rows of `model` the user must step aside from, or None when none can be named."""


_recusal_guards: Providers[RecusalGuard] = Providers(
    "no recusal guard registered: protected objects would be served unchecked"
)


def recusal_guard_register(guard: RecusalGuard) -> None:
    """Called from the registry app's AppConfig.ready (the guard reads the registry)."""
    _recusal_guards.register(guard)


def _guards() -> list[RecusalGuard]:
    return _recusal_guards.required()


def access_checked(request: HttpRequest, subject: S) -> S:
    """`subject` (already fetched through this module for request.user), once recusal lets it through."""
    with inside_access():
        for guard in _guards():
            guard.refuse(request, subject)
    return subject


def access_record(
    request: HttpRequest,
    queryset: QuerySet[M],
    pk: Any,
    *,
    capability: str = Capability.VIEW_REGISTRY,
    field: str = "scope_region",
    need_to_know: NeedToKnow | None = None,
) -> M:
    """One row for a page: jurisdiction, role and need-to-know (`record_for`, 404), then recusal (403)."""
    row = record_for(
        request.user, queryset, pk, capability=capability, field=field, need_to_know=need_to_know
    )
    return access_checked(request, row)


def records_listed(user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """A list or export: `queryset` (already scoped by this module) without the subjects the user must
    step aside from — a recused subject is neither listed nor exported to that user."""
    rows = queryset
    for guard in _guards():
        with inside_access():
            hidden = guard.unlisted(user, queryset.model)
        if hidden is not None:
            rows = rows.exclude(hidden)
    return marked(rows)
