"""Transfer pages: send (from the lead's jurisdiction), sign for and answer (by the receiving organisation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.accounts.access import require
from jiandu.accounts.models import Organisation
from jiandu.accounts.roles import Capability
from jiandu.leads import selectors
from jiandu.leads.forms import AgencyTransferForm, FeedbackForm, TransferForm
from jiandu.leads.ratelimits import limit_lead_registrations
from jiandu.leads.services import LeadError
from jiandu.leads.transfers import (
    COMMISSIONS,
    lead_transfer,
    lead_transfer_in,
    transfer_feedback,
    transfer_receive,
)


@login_required
@require_POST
def transfer_send(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    lead = selectors.access_lead_for_disposal(request, pk)
    form = TransferForm(request.POST, organisations=Organisation.objects.exclude(pk=user.organisation_id))
    if not form.is_valid():
        messages.error(request, "请选择接收单位并检查日期")
        return redirect("lead_detail", pk=lead.pk)
    d = form.cleaned_data
    try:
        transfer = lead_transfer(
            lead=lead,
            user=user,
            to_org=d["to_org"],
            note=d["note"],
            include_reporter=d["include_reporter"],
            sent_on=d["sent_on"],
            receipt_due=d["receipt_due"],
            feedback_due=d["feedback_due"],
        )
    except LeadError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已移送{transfer.to_org.name}，签收期限 {transfer.receipt_due}")
    return redirect("lead_detail", pk=lead.pk)


def _back(request: HttpRequest, lead_pk: int) -> HttpResponse:
    return redirect("lead_detail", pk=lead_pk)


@login_required
@require_POST
def transfer_sign(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.access_transfer_for_receiver(request, pk)
    try:
        transfer_receive(transfer=transfer, user=request.user)
    except LeadError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已签收")
    return _back(request, transfer.lead_id)


@login_required
@require_POST
def transfer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.access_transfer_for_receiver(request, pk)
    form = FeedbackForm(request.POST)
    form.is_valid()
    try:
        transfer_feedback(transfer=transfer, user=request.user, text=form.cleaned_data.get("text", ""))
    except LeadError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "办理结果已回告")
    return _back(request, transfer.lead_id)


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    """The organisation's received and sent transfers, with overdue receipts and feedback flagged."""
    require(request.user, Capability.VIEW_LEADS)
    today = timezone.localdate()
    received, sent = selectors.transfers_of_org(request.user)

    def flagged(rows: Any) -> list[tuple[Any, bool, bool]]:
        return [
            (t, selectors.receipt_overdue(t, today), selectors.feedback_overdue(t, today)) for t in rows[:500]
        ]

    return render(
        request,
        "leads/transfers.html",
        {"received": flagged(received), "sent": flagged(sent), "can_send": _is_sending_agency(request.user)},
    )


def _is_sending_agency(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return bool(org is not None and org.is_partner and user.can(Capability.HANDLE_LEADS))


@login_required
@require_http_methods(["GET", "POST"])
@limit_lead_registrations
def transfer_in(request: HttpRequest) -> HttpResponse:
    """A partner agency sends a lead to a commission (公安/审计/巡察 → 纪委监委), in one form."""
    require(request.user, Capability.HANDLE_LEADS)
    if not _is_sending_agency(request.user):
        raise Http404("not found")
    commissions = Organisation.objects.filter(kind__in=COMMISSIONS).order_by("region_code")
    form = AgencyTransferForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            transfer = lead_transfer_in(
                user=request.user,
                to_org=d["to_org"],
                category=d["category"],
                matter=d["matter"],
                summary=d["summary"],
                subjects=form.subjects(),
                source_ref=d["source_ref"],
                finding_no=d["finding_no"],
            )
        except LeadError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已移送{transfer.to_org.name}，线索编号 {transfer.lead.lead_no}")
            return redirect("lead_detail", pk=transfer.lead_id)
    elif request.method == "POST":
        messages.error(request, "提交的内容有误，请检查各项")
    return render(request, "leads/send.html", {"form": form})
