"""The access module: the only way request code obtains protected objects.

Every view, API endpoint and export asks here for a queryset or an object *for a user*. Refusals raise
Http404, never 403, so a user cannot learn that a record outside their jurisdiction exists. Each condition
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
    """One row by primary key, or Http404 when it does not exist *or* the user may not see it."""
    try:
        return records_for(user, queryset, capability=capability, field=field).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("not found") from exc


def require(user: Any, capability: str) -> None:
    """Refuse (404) a user whose role lacks `capability` for a page that shows no single record."""
    if not _is_usable(user):
        raise Http404("not found")
    if not user.can(capability):
        raise Http404("not found")
