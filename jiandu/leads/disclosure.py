"""Who may see a lead's reporter (举报人信息), and the four-eyes disclosure that opens it.

A reporter who is exposed can be retaliated against; the law (监察法, 信访工作条例) puts the duty to protect
their identity on the commission. So the identity is shown to nobody by default — every page says 已隐去 —
and opens only when all of this holds:

1. the user works in the petition office (User.office = 信访室);
2. the lead's reporter is within the user's organisational reach (`selectors.sees_reporter`: the lead is in
   the user's jurisdiction, or it was transferred to the user's organisation with the reporter included);
3. the user asked, with a reason (a ReporterDisclosure row), and a *second* user approved: a leader (委领导)
   whose jurisdiction covers the requester's and for whom the reporter is within reach too — never the
   requester themselves;
4. the approval is younger than `JIANDU_REPORTER_DISCLOSURE_MINUTES` (30): it opens the identity to the
   requester alone, for that long;
5. the user re-authenticated within `JIANDU_STEP_UP_MINUTES` (jiandu/security/stepup.py) — checked by the
   view at the moment of showing.

Every step is in the access log: the request and the decision as `change` events on the disclosure, every
showing as a `reveal` event on the lead. Refusals are AccessRefused (404, logged as denied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jiandu.accounts.access import AccessRefused, access_checked
from jiandu.accounts.roles import Capability, Role
from jiandu.audit.models import Action
from jiandu.audit.services import access_event_record
from jiandu.leads import selectors
from jiandu.leads.models import Lead, ReporterDisclosure, request_cutoff
from jiandu.leads.secrecy import unseal

OBJECT_TYPE = "leads.reporterdisclosure"
REASON_MAX = 500


class DisclosureError(Exception):
    """A refusal the user should read (in Chinese): nothing was recorded."""


@dataclass(frozen=True)
class ReporterPanel:
    """What the lead page shows in its 举报人信息 box for one user."""

    may_request: bool
    pending: ReporterDisclosure | None
    open: ReporterDisclosure | None
    to_decide: int


def has_reporter(lead: Lead) -> bool:
    return bool(lead.reporter_name or lead.reporter_contact)


def _usable(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.jurisdiction)


def may_request(user: Any, lead: Lead) -> bool:
    """Conditions 1 and 2: a petition-office user within whose reach the lead's reporter is."""
    if not (_usable(user) and getattr(user, "in_petition_office", False)):
        return False
    if not user.can(Capability.VIEW_LEADS) or not has_reporter(lead):
        return False
    return selectors.sees_reporter(user, lead)


def may_decide(user: Any, disclosure: ReporterDisclosure) -> bool:
    """A leader over the requester, within whose reach the reporter is, and not the requester."""
    if not _usable(user) or user.role != Role.LEADER or not user.can(Capability.HANDLE_LEADS):
        return False
    if user.pk == disclosure.requested_by_id:
        return False
    if not disclosure.requested_by.jurisdiction.startswith(user.scope_prefix):
        return False
    return selectors.sees_reporter(user, disclosure.lead)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.JIANDU_REPORTER_DISCLOSURE_MINUTES))


def _live_pending(rows: QuerySet[ReporterDisclosure]) -> QuerySet[ReporterDisclosure]:
    return rows.filter(status=ReporterDisclosure.Status.PENDING, requested_at__gt=request_cutoff())


def _mine(user: Any, lead: Lead) -> QuerySet[ReporterDisclosure]:
    return ReporterDisclosure.objects.filter(lead=lead, requested_by_id=user.pk)


def open_disclosure(user: Any, lead: Lead) -> ReporterDisclosure | None:
    """The approval now opening this lead's reporter to this user (conditions 1–4), if any.

    Conditions 1 and 2 are checked again: a user moved out of the petition office loses what was approved.
    """
    if not may_request(user, lead):
        return None
    return (
        _mine(user, lead)
        .filter(status=ReporterDisclosure.Status.APPROVED, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def pending_disclosure(user: Any, lead: Lead) -> ReporterDisclosure | None:
    return _live_pending(_mine(user, lead)).first()


def reporter_panel(user: Any, lead: Lead) -> ReporterPanel | None:
    """None when the lead has no reporter recorded (an anonymous report): the box is not shown at all."""
    if not has_reporter(lead):
        return None
    requester = may_request(user, lead)
    pending = pending_disclosure(user, lead) if requester else None
    opened = open_disclosure(user, lead) if requester else None
    to_decide = sum(1 for d in _pending_on(lead) if may_decide(user, d))
    return ReporterPanel(requester and not pending and not opened, pending, opened, to_decide)


def _pending_on(lead: Lead) -> QuerySet[ReporterDisclosure]:
    return _live_pending(lead.reporter_disclosures.all()).select_related("requested_by", "lead")


def _refuse(object_id: Any = "") -> AccessRefused:
    return AccessRefused("no_capability", object_type=OBJECT_TYPE, object_id=object_id)


def _log(request: HttpRequest, disclosure: ReporterDisclosure, change: str) -> None:
    access_event_record(
        request_or_user=request,
        action=Action.CHANGE,
        obj=disclosure,
        details={"change": change, "lead": disclosure.lead_id},
    )


def disclosure_request(*, request: HttpRequest, lead: Lead, reason: str) -> ReporterDisclosure:
    """Ask to see the reporter. One request at a time: a pending or still-open one must run out first."""
    user: Any = request.user
    if not may_request(user, lead):
        raise _refuse()
    reason = reason.strip()
    if not reason:
        raise DisclosureError("请填写申请理由（为何需要联系举报人）")
    if len(reason) > REASON_MAX:
        raise DisclosureError(f"申请理由不超过 {REASON_MAX} 字")
    if pending_disclosure(user, lead) is not None:
        raise DisclosureError("已有待审批的申请，请等待领导审批")
    if open_disclosure(user, lead) is not None:
        raise DisclosureError("已批准的查看期限尚未结束，无需重复申请")
    disclosure = ReporterDisclosure.objects.create(lead=lead, requested_by=user, reason=reason)
    _log(request, disclosure, "disclosure_requested")
    return disclosure


def disclosure_for_decision(user: Any, pk: Any) -> ReporterDisclosure:
    """A pending or decided request the user may decide on; 404 (logged) for anyone else."""
    try:
        disclosure = ReporterDisclosure.objects.select_related("lead", "requested_by").get(pk=pk)
    except (ReporterDisclosure.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessRefused("not_found", object_type=OBJECT_TYPE, object_id=pk) from exc
    if user.pk == disclosure.requested_by_id:
        return disclosure  # the requester sees their own request; deciding it is refused with a message
    if not may_decide(user, disclosure):
        raise _refuse(pk)
    return disclosure


def disclosure_decide(*, request: HttpRequest, pk: Any, approve: bool) -> ReporterDisclosure:
    """Approve or refuse a pending request. The decision is a conditional UPDATE on a pending row, so two
    leaders deciding at once cannot both succeed; the event is appended after it, outside the transaction
    (an access-log append inside a transaction that has read may fail on SQLite: docs/security.md)."""
    user: Any = request.user
    disclosure = disclosure_for_decision(user, pk)
    # a leader who must step aside from the lead's subject does not decide who sees its reporter either
    access_checked(request, disclosure.lead)
    if user.pk == disclosure.requested_by_id:
        raise DisclosureError("不能审批本人提出的申请，须由另一位有审批权限的领导审批")
    now = timezone.now()
    if disclosure.lapsed:
        hours = int(settings.JIANDU_REPORTER_REQUEST_HOURS)
        raise DisclosureError(f"该申请超过 {hours} 小时未审批，已失效；如仍需要，请申请人重新申请")
    decided = _live_pending(ReporterDisclosure.objects.filter(pk=disclosure.pk)).update(
        status=ReporterDisclosure.Status.APPROVED if approve else ReporterDisclosure.Status.REFUSED,
        decided_by=user,
        decided_at=now,
        expires_at=now + _window() if approve else None,
    )
    if not decided:
        raise DisclosureError("该申请已审批，不能重复审批")
    disclosure.refresh_from_db()
    _log(request, disclosure, "disclosure_approved" if approve else "disclosure_refused")
    return disclosure


def disclosure_reveal(*, request: HttpRequest, lead: Lead) -> tuple[str, str, ReporterDisclosure]:
    """The reporter's name and contact for the requester of an open approval; logged as `reveal`.

    The caller (the view) has already required a fresh step-up. The event names the lead and the approval,
    never the identity itself.
    """
    disclosure = open_disclosure(request.user, lead)
    if disclosure is None:
        raise AccessRefused("no_capability", object_type="leads.lead", object_id=lead.pk)
    access_event_record(
        request_or_user=request,
        action=Action.REVEAL,
        obj=lead,
        details={"disclosure": disclosure.pk, "approved_by": disclosure.decided_by_id},
    )
    ReporterDisclosure.objects.filter(pk=disclosure.pk).update(shown_count=F("shown_count") + 1)
    return unseal(lead.reporter_name), unseal(lead.reporter_contact), disclosure


def disclosures_for(user: Any) -> tuple[list[ReporterDisclosure], list[ReporterDisclosure]]:
    """(waiting for this user's decision, this user's own requests and the ones they decided)."""
    if not _usable(user):
        return [], []
    rows = ReporterDisclosure.objects.select_related("lead", "requested_by", "decided_by")
    to_decide: list[ReporterDisclosure] = []
    if user.role == Role.LEADER:
        candidates = (
            _live_pending(rows)
            .filter(requested_by__jurisdiction__startswith=user.scope_prefix)
            .exclude(requested_by_id=user.pk)
        )
        to_decide = [d for d in candidates[:500] if may_decide(user, d)]
    mine = list(rows.filter(requested_by_id=user.pk)[:200]) + list(rows.filter(decided_by_id=user.pk)[:200])
    mine.sort(key=lambda d: d.pk, reverse=True)
    return to_decide, mine
