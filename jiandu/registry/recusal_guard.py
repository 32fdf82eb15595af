"""The recusal guard the access module applies, and the notices it files for the user's superiors.

`GUARD` is registered with jiandu/accounts/access.py by RegistryConfig.ready; views never call it: the access
chokepoints (`access_record`, `access_checked`, `records_listed`) do, after jurisdiction and need-to-know, so
the recusal check runs only on what the user could otherwise open and never reveals that an object exists.
On a page (`ensure_not_recused`), a conflict raises Recused (a 403, rendered by RecusalMiddleware with the
relation types only), records a "recused" access event (reason codes and the notice id, no personal data) and
opens or updates a RecusalNotice for the leaders of the user's organisation.

A user without an identity link cannot be checked. With JIANDU_RECUSAL_REQUIRE_LINK (on in production) they
are refused the same objects (fail closed) until an administrator links them; otherwise (development, tests)
they pass unchecked — the deploy check warns about such accounts.

In lists and exports (`RecusalGuard.unlisted`) the subjects the user must step aside from are left out without
a report: the user's links (relatives, colleagues, companies) are computed once per list and matched in the
database against each model's subject columns (registry/recusal.py, `PartyRule.conflicted`). Parties that
appear only in an alert's evidence are caught when the alert is opened, not in the list. An unlinked user's
lists are not narrowed (there is nothing to match); opening an item refuses them as above.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model, Q
from django.http import HttpRequest
from django.utils import timezone

from jiandu.accounts.services import user_identity_plain
from jiandu.audit.models import Action
from jiandu.audit.services import access_event_record, object_type_of
from jiandu.registry.recusal import (
    Conflict,
    Links,
    PersonRef,
    conflicted_rows,
    parties_of,
    recusal_conflicts,
    recusal_links,
)
from jiandu.security.models import RecusalNotice
from jiandu.security.recusal_guard import Recused

UNLINKED = "unlinked"


def _object_of(subject: Any) -> tuple[str, str]:
    if isinstance(subject, PersonRef):
        return "leads.person", ""  # the page is named by an id_number: never stored
    return object_type_of(subject), str(subject.pk)


def ensure_not_recused(request: HttpRequest, subject: Any) -> None:
    """Refuse (Recused, 403) a user who must recuse themselves from `subject`; report it. Otherwise return."""
    user: Any = request.user
    object_type, object_id = _object_of(subject)
    identity = user_identity_plain(user)
    if identity is None:
        if not settings.JIANDU_RECUSAL_REQUIRE_LINK:
            return
        access_event_record(
            request_or_user=request,
            action=Action.RECUSED,
            object_type=object_type,
            object_id=object_id,
            details={"reasons": [UNLINKED]},
        )
        raise Recused([], None)
    conflicts = recusal_conflicts(identity, parties_of(subject), timezone.localdate())
    if not conflicts:
        return
    notice = recusal_notice_record(
        request=request, object_type=object_type, object_id=object_id, conflicts=conflicts
    )
    raise Recused([c.label for c in conflicts], notice.pk)


def _links_of(user: Any) -> Links | None:
    """The user's links (a few set-based queries, whatever the size of the list); None when unlinked."""
    if not getattr(user, "is_authenticated", False):
        return None
    identity = user_identity_plain(user)
    if identity is None:
        return None
    return recusal_links(identity, timezone.localdate())


class RecusalGuard:
    """What jiandu/accounts/access.py asks of recusal."""

    def refuse(self, request: HttpRequest, subject: Any) -> None:
        ensure_not_recused(request, subject)

    def unlisted(self, user: Any, model: type[Model]) -> Q | None:
        links = _links_of(user)
        if links is None:
            return None
        return conflicted_rows(model, links)


GUARD = RecusalGuard()


@transaction.atomic
def recusal_notice_record(
    *, request: HttpRequest, object_type: str, object_id: str, conflicts: list[Conflict]
) -> RecusalNotice:
    """Open a notice for (user, object), or count another attempt on the open one; log the event."""
    user: Any = request.user
    now = timezone.now()
    reasons = [c.reason for c in conflicts]
    proofs = [{"reason": c.reason, **p.as_dict()} for c in conflicts for p in c.proofs]
    entry = getattr(request.resolver_match, "url_name", None) or ""
    notice = (
        RecusalNotice.objects.select_for_update()
        .filter(user=user, object_type=object_type, object_id=object_id, handled_at__isnull=True)
        .first()
    )
    if notice is None:
        notice = RecusalNotice.objects.create(
            user=user,
            organisation_id=user.organisation_id,
            object_type=object_type,
            object_id=object_id,
            entry=entry,
            reasons=reasons,
            proofs=proofs,
            last_at=now,
        )
    else:
        RecusalNotice.objects.filter(pk=notice.pk).update(
            attempts=F("attempts") + 1, last_at=now, reasons=reasons, proofs=proofs, entry=entry
        )
    access_event_record(
        request_or_user=request,
        action=Action.RECUSED,
        object_type=object_type,
        object_id=object_id,
        details={"reasons": reasons, "notice": notice.pk},
    )
    return notice
