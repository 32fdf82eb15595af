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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from jiandu.accounts.models import NeedToKnowGrant, User, region_prefix
from jiandu.accounts.roles import Capability

M = TypeVar("M", bound=Model)
# Builds, for a usable user, the Q a queryset is narrowed by on top of jurisdiction (need-to-know).
NeedToKnow = Callable[[Any], Q]

CITY_PREFIX_MAX_LEN = 4


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
        return queryset.none()
    if not user.can(capability):
        return queryset.none()
    rows = queryset.filter(scope_filter(user, field))
    if need_to_know is not None:
        rows = rows.filter(need_to_know(user))
    return rows


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
        exists = queryset.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    return "out_of_scope" if exists else "not_found"


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
