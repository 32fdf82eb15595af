"""Recusal refusals and the reports filed for the user's superiors (floor 1: no registry here).

`Recused` is the refusal (a 403, rendered by RecusalMiddleware with the relation types only); the guard that
raises it, checks the registry and files the notices is jiandu/registry/recusal_guard.py, registered with the
access module (jiandu/accounts/access.py). This module holds what the notices page and the middleware need:
the leaders' list of notices, marking one handled, and the message the refused user reads.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts.access import AccessRefused, require
from jiandu.accounts.roles import Capability
from jiandu.audit.models import Action
from jiandu.audit.services import access_event_record
from jiandu.security.models import RecusalNotice


class Recused(PermissionDenied):
    """The user must step aside from this object. `labels` are the relation types shown to them."""

    def __init__(self, labels: list[str], notice_id: int | None) -> None:
        super().__init__("recused")
        self.labels = labels
        self.notice_id = notice_id

    @property
    def unlinked(self) -> bool:
        return self.notice_id is None


def recusal_notices_for(user: Any) -> QuerySet[RecusalNotice]:
    """The notices of the leader's own organisation, open ones first (404 for other roles)."""
    require(user, Capability.HANDLE_RECUSALS)
    return (
        RecusalNotice.objects.filter(organisation_id=user.organisation_id)
        .select_related("user", "handled_by")
        .order_by(F("handled_at").desc(nulls_first=True), "-last_at", "-id")
    )


class RecusalHandleError(ValueError):
    """A notice that cannot be marked handled by this user (Chinese reason)."""


@transaction.atomic
def recusal_notice_handle(*, request: HttpRequest, pk: Any, note: str) -> RecusalNotice:
    """Mark an open notice handled. A leader does not close a notice about themselves: another leader of
    the organisation (or the level above) must."""
    user: Any = request.user
    try:
        notice = recusal_notices_for(user).select_related(None).select_for_update().get(pk=pk)
    except (RecusalNotice.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessRefused("not_found", object_type="security.recusalnotice", object_id=pk) from exc
    if notice.user_id == user.pk:
        raise RecusalHandleError(_("不能处理关于本人的回避报告，请由本单位其他领导处理。"))
    if notice.handled_at is not None:
        raise RecusalHandleError(_("该回避报告已处理。"))
    notice.handled_at = timezone.now()
    notice.handled_by = user
    notice.handled_note = note.strip()
    notice.save(update_fields=["handled_at", "handled_by", "handled_note"])
    access_event_record(
        request_or_user=request, action=Action.CHANGE, obj=notice, details={"change": "handled"}
    )
    return notice


def recused_message(refusal: Recused) -> str:
    """What the refused user reads: the relation types only, nothing about the subject they did not see."""
    if refusal.unlinked:
        return _(
            "您的账户尚未关联本人身份信息，无法进行回避核查，暂不能查阅该对象。"
            "请联系系统管理员关联后再试。此次访问已记录。"
        )
    return _(
        "根据回避规定，您不能查阅该对象：您与其存在应当回避的关系（%(relations)s）。"
        "此次访问已报告本单位领导（回避报告第 %(notice)s 号）。"
    ) % {"relations": "；".join(refusal.labels), "notice": refusal.notice_id}
