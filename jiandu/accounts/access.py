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
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from jiandu.accounts.models import User
from jiandu.accounts.roles import Capability

M = TypeVar("M", bound=Model)

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
) -> QuerySet[M]:
    """Rows of `queryset` the user may see for `capability`; an empty queryset when none."""
    if not _is_usable(user):
        return queryset.none()
    if not user.can(capability):
        return queryset.none()
    return queryset.filter(scope_filter(user, field))


def record_for(
    user: Any,
    queryset: QuerySet[M],
    pk: Any,
    *,
    capability: str = Capability.VIEW_REGISTRY,
    field: str = "scope_region",
) -> M:
    """One row by primary key, or AccessRefused (404) when it does not exist *or* the user may not see it."""
    object_type = _object_type(queryset.model)
    try:
        return records_for(user, queryset, capability=capability, field=field).get(pk=pk)
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
