"""Need-to-know grants: the handling office's leader adds a person to (or removes one from) the circle of an
alert or a lead under verification. Writes only; who may read what is decided in access.py.

Who manages the circle: a leader (role 委领导) of the handling organisation — the office the alert was
assigned to, the lead's 承办单位. Supervisors of that office read and act but do not widen the circle: adding
a reader is the kind of decision a commission leaves to its leadership. Every grant and revoke is written to
the access log (ids only: the grant, the matter, the grantee's user id — never the reason, which is free text
and may name people).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts.access import records_for, users_covering
from jiandu.accounts.events import account_event_record
from jiandu.accounts.models import NeedToKnowGrant, Organisation, User
from jiandu.accounts.roles import ROLE_CAPABILITIES, Role

COMMISSIONS = Organisation.COMMISSION_KINDS
REASON_MAX = 200


class GrantError(ValueError):
    """A refused grant or revoke; the message is shown to the leader (Chinese)."""


def is_manager(user: Any, office_id: int | None) -> bool:
    """Whether `user` manages the circle of a matter handled by organisation `office_id`."""
    if office_id is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.role == Role.LEADER and user.organisation_id == office_id)


def in_office_circle(user: User, office_id: int | None, handle_capability: str) -> bool:
    """Already in the circle without a grant (mirrors access.need_to_know's office clause)."""
    return office_id is not None and user.organisation_id == office_id and user.can(handle_capability)


def grants_of(kind: str, object_id: int) -> QuerySet[NeedToKnowGrant]:
    """Every grant of one matter, active and revoked, newest first (the circle's history)."""
    return NeedToKnowGrant.objects.filter(kind=kind, object_id=object_id).select_related(
        "user", "granted_by", "revoked_by"
    )


def active_grantees(kind: str, object_id: int) -> QuerySet[User]:
    granted = NeedToKnowGrant.objects.filter(kind=kind, object_id=object_id, revoked_at__isnull=True)
    return User.objects.filter(pk__in=granted.values("user_id")).order_by("username")


def grant_candidates(
    *, kind: str, obj: Model, office_id: int | None, read_capability: str, handle_capability: str
) -> QuerySet[User]:
    """Users a leader may add: active commission staff whose jurisdiction covers the matter and whose role
    reads it, not already in the office's circle and without an active grant. One query, no loop over users."""
    readers = [role for role, caps in ROLE_CAPABILITIES.items() if read_capability in caps]
    handlers = [role for role, caps in ROLE_CAPABILITIES.items() if handle_capability in caps]
    granted = NeedToKnowGrant.objects.filter(kind=kind, object_id=obj.pk, revoked_at__isnull=True)
    rows = User.objects.filter(
        users_covering(getattr(obj, "scope_region", "") or ""),
        is_active=True,
        role__in=readers,
        organisation__kind__in=COMMISSIONS,
    ).exclude(pk__in=granted.values("user_id"))
    if office_id is not None:
        rows = rows.exclude(organisation_id=office_id, role__in=handlers)
    return rows.select_related("organisation").order_by("organisation__name", "username")


def _record(request: Any, grant: NeedToKnowGrant, change: str) -> None:
    account_event_record(
        by=request,
        action="change",
        obj=grant,
        details={
            "change": change,
            "matter": grant.kind,
            "matter_id": grant.object_id,
            "grantee": grant.user_id,
        },
    )


@transaction.atomic
def need_to_know_grant(
    *,
    request: Any,
    by: User,
    kind: str,
    obj: Model,
    office_id: int | None,
    grantee: User,
    reason: str,
    read_capability: str,
    handle_capability: str,
) -> NeedToKnowGrant:
    """Add `grantee` to the circle of `obj`; the event is in the access log or nothing is written."""
    if not is_manager(by, office_id):
        raise GrantError(_("只有承办单位的委领导可以调整知悉范围"))
    reason = reason.strip()
    if not reason:
        raise GrantError(_("请填写授权理由"))
    if len(reason) > REASON_MAX:
        raise GrantError(_("授权理由不能超过200字"))
    if in_office_circle(grantee, office_id, handle_capability):
        raise GrantError(_("该用户属于承办单位，已在知悉范围内"))
    if grantee.organisation is None or grantee.organisation.is_partner:
        raise GrantError(_("只能授权纪委监委的工作人员"))
    if not records_for(
        grantee, type(obj)._default_manager.filter(pk=obj.pk), capability=read_capability
    ).exists():
        raise GrantError(_("该用户的管辖范围或角色不能查阅此事项"))
    try:
        with transaction.atomic():
            grant = NeedToKnowGrant.objects.create(
                kind=kind, object_id=obj.pk, user=grantee, granted_by=by, reason=reason
            )
    except IntegrityError as exc:
        raise GrantError(_("该用户已在知悉范围内")) from exc
    _record(request, grant, "need_to_know_granted")
    return grant


@transaction.atomic
def need_to_know_revoke(
    *, request: Any, by: User, kind: str, obj: Model, office_id: int | None, grant_id: Any
) -> NeedToKnowGrant:
    """Remove a person from the circle (the grant is kept, marked revoked, for the history)."""
    if not is_manager(by, office_id):
        raise GrantError(_("只有承办单位的委领导可以调整知悉范围"))
    try:
        grant = NeedToKnowGrant.objects.select_for_update().get(
            pk=grant_id, kind=kind, object_id=obj.pk, revoked_at__isnull=True
        )
    except (NeedToKnowGrant.DoesNotExist, ValueError, TypeError) as exc:
        raise GrantError(_("没有找到该授权，可能已被撤销")) from exc
    grant.revoked_at, grant.revoked_by = timezone.now(), by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    _record(request, grant, "need_to_know_revoked")
    return grant
