"""Reading the access log, through the access module like every other protected object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from jiandu.accounts.access import records_for
from jiandu.accounts.roles import Capability
from jiandu.audit.models import AccessEvent, Action
from jiandu.audit.services import search_term_hash


@dataclass(frozen=True)
class LogFilter:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    search_term: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def access_events_for(user: Any, log_filter: LogFilter) -> QuerySet[AccessEvent]:
    """Events the user may read (their jurisdiction's staff; the city sees all), narrowed by the filter.

    "Who looked at this official?" is object_type + object_id: it finds views of the record and exports
    that included it. A search term is matched by its keyed hash, never stored or compared in plain text.
    """
    events = records_for(user, AccessEvent.objects.all(), capability=Capability.VIEW_ACCESS_LOG)
    f = log_filter
    if f.username:
        events = events.filter(actor_username=f.username)
    if f.action:
        events = events.filter(action=f.action)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.object_id:
        events = events.filter(_object_id_condition(f.object_id))
    if f.search_term:
        events = events.filter(action=Action.SEARCH, details__term_hash=search_term_hash(f.search_term))
    if f.date_from:
        events = events.filter(at__date__gte=f.date_from)
    if f.date_to:
        events = events.filter(at__date__lte=f.date_to)
    return events.order_by("-seq")


# Events that carry the ids of the rows they showed or exported in details["ids"].
ACTIONS_WITH_IDS = (Action.EXPORT, Action.LIST, Action.SEARCH)


def _object_id_condition(object_id: str) -> Q:
    direct = Q(object_id=object_id)
    if connection.features.supports_json_field_contains:
        return direct | Q(action__in=ACTIONS_WITH_IDS, details__ids__contains=[object_id])
    # SQLite has no JSON containment; the ids are stored as a JSON list of strings, so match the quoted id.
    return direct | Q(action__in=ACTIONS_WITH_IDS, details__ids__icontains=f'"{object_id}"')
