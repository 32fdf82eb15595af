"""线索移送: a lead sent to another organisation, signed for (签收) by a deadline, answered (办理结果回告).

Both sides see the chain: every act is a LeadEvent tied to the transfer. The reporter's identity travels only
when the sender ticks `include_reporter` on that transfer (see selectors.sees_reporter).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiandu.accounts.models import Organisation
from jiandu.leads.models import Lead, LeadTransfer
from jiandu.leads.services import LeadError, event_add

RECEIPT_DAYS = 7
FEEDBACK_DAYS = 60


@transaction.atomic
def lead_transfer(
    *,
    lead: Lead,
    user: Any,
    to_org: Organisation,
    note: str,
    include_reporter: bool = False,
    sent_on: dt.date | None = None,
    receipt_due: dt.date | None = None,
    feedback_due: dt.date | None = None,
) -> LeadTransfer:
    """Send a lead to `to_org`; deadlines default to 7 days for the receipt and 60 for the feedback."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status == Lead.Status.CLOSED:
        raise LeadError("线索已办结，不能移送")
    if user.organisation is None or to_org.pk == user.organisation_id:
        raise LeadError("请选择其他接收单位")
    if not note.strip():
        raise LeadError("移送须填写移送说明")
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        raise LeadError("移送日期不能晚于今天")
    receipt_due = receipt_due or sent_on + dt.timedelta(days=RECEIPT_DAYS)
    feedback_due = feedback_due or sent_on + dt.timedelta(days=FEEDBACK_DAYS)
    if receipt_due < sent_on or feedback_due < receipt_due:
        raise LeadError("期限应满足：移送日期 ≤ 签收期限 ≤ 回告期限")
    transfer = LeadTransfer.objects.create(
        lead=lead,
        from_org=user.organisation,
        to_org=to_org,
        sent_on=sent_on,
        sent_by=user,
        note=note.strip(),
        include_reporter=include_reporter,
        receipt_due=receipt_due,
        feedback_due=feedback_due,
    )
    reporter = "，附举报人信息" if include_reporter else ""
    event_add(lead, user, "transfer_sent", f"移送{to_org.name}{reporter}", transfer=transfer)
    return transfer


@transaction.atomic
def transfer_receive(*, transfer: LeadTransfer, user: Any) -> LeadTransfer:
    """The receiving organisation signs for the lead today; a receipt after its deadline is recorded as late."""
    transfer = LeadTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_org_id != user.organisation_id:
        raise LeadError("只有接收单位可以签收")
    if transfer.received_on is not None:
        raise LeadError("已签收")
    transfer.received_on, transfer.received_by = timezone.localdate(), user
    transfer.save(update_fields=["received_on", "received_by"])
    late = "（逾期签收）" if transfer.received_on > transfer.receipt_due else ""
    event_add(
        transfer.lead, user, "transfer_received", f"{transfer.to_org.name}签收{late}", transfer=transfer
    )
    return transfer


@transaction.atomic
def transfer_feedback(*, transfer: LeadTransfer, user: Any, text: str) -> LeadTransfer:
    """The receiver returns the result of its handling; only after signing for the lead, and only once."""
    transfer = LeadTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_org_id != user.organisation_id:
        raise LeadError("只有接收单位可以回告")
    if transfer.received_on is None:
        raise LeadError("请先签收")
    if transfer.feedback_on is not None:
        raise LeadError("已回告")
    if not text.strip():
        raise LeadError("回告须填写办理结果")
    transfer.feedback_on, transfer.feedback_by, transfer.feedback = timezone.localdate(), user, text.strip()
    transfer.save(update_fields=["feedback_on", "feedback_by", "feedback"])
    late = "（逾期回告）" if transfer.feedback_on > transfer.feedback_due else ""
    event_add(
        transfer.lead,
        user,
        "transfer_feedback",
        f"{transfer.to_org.name}回告办理结果{late}",
        transfer=transfer,
    )
    return transfer
