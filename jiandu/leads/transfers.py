"""线索移送: a lead sent to another organisation, signed for (签收) by a deadline, answered (办理结果回告).

Both sides see the chain: every act is a LeadEvent tied to the transfer. The reporter's identity travels only
when the sender ticks `include_reporter` on that transfer (see selectors.sees_reporter).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiandu.accounts.models import Organisation, region_prefix
from jiandu.leads.models import Lead, LeadTransfer
from jiandu.leads.services import LeadError, SubjectIn, event_add, lead_register_for, subjects_of_finding
from jiandu.registry.models import REGISTRY

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


# A partner agency's kind → the agency named on the lead, and the registry table of its own findings.
AGENCY_OF_KIND = {
    Organisation.Kind.PUBLIC_SECURITY: Lead.Agency.POLICE,
    Organisation.Kind.AUDIT_BUREAU: Lead.Agency.AUDIT,
    Organisation.Kind.INSPECTION_OFFICE: Lead.Agency.INSPECTION,
    Organisation.Kind.FINANCE_BUREAU: Lead.Agency.OTHER,
}
FINDINGS_OF_KIND = {
    Organisation.Kind.AUDIT_BUREAU: "audit_findings",
    Organisation.Kind.INSPECTION_OFFICE: "inspection_findings",
}
COMMISSIONS = Organisation.COMMISSION_KINDS


def _own_finding(org: Organisation, commission: Organisation, finding_no: str) -> tuple[str, Any] | None:
    """The registry finding the agency names by its number, inside the receiving commission's jurisdiction."""
    table = FINDINGS_OF_KIND.get(org.kind)  # type: ignore[call-overload]
    if not finding_no or table is None:
        return None
    model: Any = REGISTRY[table]
    record = model.objects.filter(
        finding_no=finding_no, scope_region__startswith=region_prefix(commission.region_code)
    ).first()
    if record is None:
        raise LeadError(f"接收单位的登记数据中没有问题编号 {finding_no}（请先报送该问题）")
    return table, record


@transaction.atomic
def lead_transfer_in(
    *,
    user: Any,
    to_org: Organisation,
    category: str,
    matter: str,
    summary: str,
    subjects: list[Any],
    source_ref: str = "",
    finding_no: str = "",
    receipt_due: dt.date | None = None,
    feedback_due: dt.date | None = None,
) -> LeadTransfer:
    """A partner agency sends a lead to a commission (公安/审计/巡察 → 纪委): the lead is registered in the
    commission's jurisdiction and the transfer waits for the commission's receipt and feedback.

    An audit office or inspection office may name one of its delivered findings by number (巡审纪): the lead is
    then linked to it, and the commission's result is written back to the finding when the lead concludes.
    """
    org = user.organisation
    if org is None or not org.is_partner:
        raise LeadError("纪委监委请直接登记问题线索")
    if to_org.kind not in COMMISSIONS:
        raise LeadError("请选择接收的纪委监委")
    found = _own_finding(org, to_org, finding_no.strip())
    named = [s for s in subjects if s.name.strip()]
    if not named and found:
        named = subjects_of_finding(found[0], found[1])
    lead = lead_register_for(
        organisation=to_org,
        user=user,
        source=Lead.Source.TRANSFER,
        source_agency=AGENCY_OF_KIND.get(org.kind, Lead.Agency.OTHER),  # type: ignore[call-overload]
        source_ref=source_ref or (finding_no if found else ""),
        source_table=found[0] if found else "",
        source_rid=found[1].pk if found else None,
        category=category,
        matter=matter,
        summary=summary,
        subjects=named or [SubjectIn(name="")],
        scope_region=to_org.region_code,
    )
    today = timezone.localdate()
    transfer = LeadTransfer.objects.create(
        lead=lead,
        from_org=org,
        to_org=to_org,
        sent_on=today,
        sent_by=user,
        note=f"{org.name}移送：{matter.strip()}",
        receipt_due=receipt_due or today + dt.timedelta(days=RECEIPT_DAYS),
        feedback_due=feedback_due or today + dt.timedelta(days=FEEDBACK_DAYS),
    )
    event_add(lead, user, "transfer_sent", f"{org.name}移送{to_org.name}", transfer=transfer)
    return transfer


def answer_inbound_on_conclusion(lead: Lead, user: Any, summary: str) -> int:
    """When the commission concludes a lead another agency sent it, the signed, unanswered transfers get the
    conclusion as their feedback (办理结果回告); unsigned ones stay flagged until someone signs them."""
    rows = LeadTransfer.objects.select_for_update().filter(
        lead=lead, to_org_id=lead.handling_org_id, received_on__isnull=False, feedback_on__isnull=True
    )
    n = 0
    for t in rows:
        t.feedback_on, t.feedback_by, t.feedback = timezone.localdate(), user, summary
        t.save(update_fields=["feedback_on", "feedback_by", "feedback"])
        event_add(lead, user, "transfer_feedback", f"向{t.from_org.name}回告办理结果", transfer=t)
        n += 1
    return n
