"""Recording access events: the one function every view, export and sign-in step calls.

What is recorded is deliberately poor in content: the actor, the action, the object's table and primary key,
the request path (never the query string, which carries search terms), the client address and a keyed
hash of the user agent. Search terms are kept as a keyed hash plus their length: investigators who hold a
term (an official's name or id_number) can ask "who searched for this?" by hashing it the same way, while
the log itself never lists who was searched for — a log of searches is otherwise a list of suspects.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from jiandu.audit.chain import chain_append
from jiandu.audit.models import AccessEvent, Action
from jiandu.security.client import client_address, user_agent_hash
from jiandu.security.crypto import digest, keyed_hash
from jiandu.security.logformat import identifiers_redacted

EXPORT_IDS_KEPT = 500
_SCALARS = (str, int, bool, type(None))


def object_type_of(obj: Model) -> str:
    """ "registry.persons" for registry rows (named by their contract table), "app.model" otherwise."""
    table = getattr(obj, "table", None)
    if table is not None and getattr(table, "name", None):
        return f"registry.{table.name}"
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def search_term_hash(term: str) -> str:
    """The keyed hash a search term is logged as; normalised so "张三 " and "张三" match."""
    normal = unicodedata.normalize("NFKC", term).strip().casefold()
    return keyed_hash(normal, purpose="audit-search-term")


def _clean(value: Any, depth: int = 0) -> Any:
    """JSON that hashes the same after a round trip through any backend: no floats, bounded size."""
    if depth > 4:
        raise ValueError("access event details nested too deeply")
    if isinstance(value, str):
        return _text(value, 500)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return {str(k)[:60]: _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v, depth + 1) for v in value]
    return _text(str(value), 500)


def _text(value: str, limit: int) -> str:
    """NUL cannot be stored by PostgreSQL (text or jsonb); other control characters stay, as data."""
    return value.replace("\x00", "")[:limit]


def access_event_record(
    *,
    request_or_user: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
    actor: Any = None,
) -> AccessEvent:
    """Append one event to the access log; raises if it cannot be written (callers must not go on).

    `actor` overrides the request's user (sign-out, where the request's user is already anonymous)."""
    if action not in Action.values:
        raise ValueError(f"unknown access action {action!r}")
    request = request_or_user if isinstance(request_or_user, HttpRequest) else None
    user = getattr(request, "user", None) if request is not None else request_or_user
    if actor is not None:
        user = actor
    if user is not None and not (getattr(user, "is_authenticated", False) and hasattr(user, "get_username")):
        user = None  # anonymous, or a partner's API token (which the event names as its object instead)
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = obj.pk
    fields = {
        "at": None,
        "actor_id": user.pk if user is not None else None,
        "actor_username": user.get_username() if user is not None else "",
        "scope_region": (getattr(user, "jurisdiction", "") or "") if user is not None else "",
        "action": action,
        "object_type": _text(object_type, 60),
        # Pages are addressed by registry row, but a route or a hand-typed URL may carry an id_number.
        "object_id": _text(identifiers_redacted(str(object_id)), 64),
        "path": _text(identifiers_redacted(request.path), 300) if request is not None else "",
        "client_address": client_address(request) if request is not None else "",
        "user_agent_hash": user_agent_hash(request) if request is not None else "",
        "details": _clean(details or {}),
    }
    return chain_append(fields)


def record_view(
    request: HttpRequest, obj: Model, *, object_type: str = "", unmasked: list[str] | None = None
) -> AccessEvent:
    """A protected object was shown. Call after the access module returned it, before rendering.

    `unmasked` names the ID columns shown in full (decrypted) rather than masked: the log says which."""
    details = {"unmasked": list(unmasked)} if unmasked else None
    return access_event_record(
        request_or_user=request, action=Action.VIEW, obj=obj, object_type=object_type, details=details
    )


def record_search(
    request: HttpRequest,
    *,
    object_type: str,
    query: str,
    result_count: int | None = None,
    shown_ids: Sequence[int | str] = (),
) -> AccessEvent:
    """A search: the term as keyed hash + length, the result count, and the ids of the rows shown."""
    details: dict[str, Any] = {"term_hash": search_term_hash(query), "term_length": len(query.strip())}
    if result_count is not None:
        details["results"] = result_count
    if shown_ids:
        details["ids"] = [str(i) for i in shown_ids][:EXPORT_IDS_KEPT]
    return access_event_record(
        request_or_user=request, action=Action.SEARCH, object_type=object_type, details=details
    )


def record_list(
    request: HttpRequest, *, object_type: str, shown_ids: Sequence[int | str], page_number: int = 1
) -> AccessEvent:
    """A list page showed these rows (ASVS 16.3.2 at L3: every access to sensitive data, not only details)."""
    details = {"ids": [str(i) for i in shown_ids][:EXPORT_IDS_KEPT], "page": page_number}
    return access_event_record(
        request_or_user=request, action=Action.LIST, object_type=object_type, details=details
    )


def record_export(
    request_or_user: Any,
    *,
    object_type: str,
    object_ids: Sequence[int | str],
    export_format: str,
    filters: dict[str, Any] | None = None,
) -> AccessEvent:
    """An export left the platform. The first ids are kept so "who exported this official?" finds it;
    the digest of all ids proves which set was exported. Filters must not hold personal data (hash them)."""
    ids = [str(i) for i in object_ids]
    details = {
        "format": export_format,
        "count": len(ids),
        "ids": ids[:EXPORT_IDS_KEPT],
        "ids_truncated": len(ids) > EXPORT_IDS_KEPT,
        "ids_digest": digest("\n".join(sorted(ids)).encode()),
        "filters": filters or {},
    }
    return access_event_record(
        request_or_user=request_or_user, action=Action.EXPORT, object_type=object_type, details=details
    )


def record_denied(
    request: HttpRequest, *, reason: str, capability: str = "", object_type: str = "", object_id: str = ""
) -> AccessEvent:
    return access_event_record(
        request_or_user=request,
        action=Action.DENIED,
        object_type=object_type,
        object_id=object_id,
        details={"reason": reason, "capability": capability},
    )
