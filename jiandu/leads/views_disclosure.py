"""Reporter identity pages: ask to see it (信访室), approve or refuse (委领导), show it (after a step-up).

Thin views over jiandu/leads/disclosure.py, which holds the rules and writes the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jiandu.accounts.access import require
from jiandu.accounts.roles import Capability
from jiandu.leads import selectors
from jiandu.leads.disclosure import (
    DisclosureError,
    disclosure_decide,
    disclosure_request,
    disclosure_reveal,
    disclosures_for,
    open_disclosure,
)
from jiandu.security.stepup import step_up_fresh, step_up_redirect


@login_required
@require_POST
def reporter_request(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.access_lead(request, pk)
    try:
        disclosure_request(request=request, lead=lead, reason=request.POST.get("reason", ""))
    except DisclosureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已提交查看举报人信息的申请，待领导审批")
    return redirect("lead_detail", pk=lead.pk)


@login_required
@require_GET
def reporter_show(request: HttpRequest, pk: int) -> HttpResponse:
    """The identity, for the requester of an open approval; re-authentication first when not fresh.

    The approval is checked before the step-up (so nobody is asked for a password for nothing) and again
    when showing, by disclosure_reveal, which also logs the showing.
    """
    lead = selectors.access_lead(request, pk)
    if open_disclosure(request.user, lead) is not None and not step_up_fresh(request):
        return step_up_redirect(request)
    name, contact, disclosure = disclosure_reveal(request=request, lead=lead)
    return render(
        request,
        "leads/reporter.html",
        {"lead": lead, "name": name, "contact": contact, "disclosure": disclosure},
    )


@login_required
@require_GET
def disclosure_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_LEADS)
    to_decide, mine = disclosures_for(request.user)
    user: Any = request.user
    return render(
        request, "leads/disclosures.html", {"to_decide": to_decide, "mine": mine, "user_id": user.pk}
    )


@login_required
@require_POST
def disclosure_decision(request: HttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    try:
        disclosure = disclosure_decide(request=request, pk=pk, approve=approve)
    except DisclosureError as exc:
        messages.error(request, str(exc))
    else:
        label = "已批准" if approve else "已不予批准"
        messages.success(request, f"{label}：线索 {disclosure.lead.lead_no} 的举报人信息查看申请")
    return redirect("lead_disclosures")
