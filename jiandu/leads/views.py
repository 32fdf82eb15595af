"""Lead pages: register, list, detail with disposal actions, intake from registry records.

Thin views: validate, obtain the object through selectors (404 on refusal), call one service, redirect.
Transfers and statistics are in views_transfers.py and views_stats.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.accounts.access import (
    AccessRefused,
    access_checked,
    person_shielded,
    record_for,
    records_for,
    require,
)
from jiandu.accounts.models import Organisation
from jiandu.accounts.roles import Capability
from jiandu.leads import selectors
from jiandu.leads.disclosure import reporter_panel
from jiandu.leads.disposal import lead_choose_way, lead_conclude, lead_step_record
from jiandu.leads.forms import ConcludeForm, FromRecordForm, RegisterForm, TransferForm, WayForm
from jiandu.leads.models import WAY_CHOICES, Lead
from jiandu.leads.procedures import WAYS
from jiandu.leads.ratelimits import limit_lead_registrations
from jiandu.leads.services import RECORD_SOURCES, LeadError, lead_from_record, lead_register
from jiandu.registry.models import REGISTRY
from jiandu.registry.recusal import PersonRef


def _errors(form: Any) -> str:
    return "提交的内容有误：" + "；".join(
        f"{form.fields[k].label if k in form.fields else k} {v[0]}" for k, v in form.errors.items()
    )


@login_required
@require_GET
def lead_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_LEADS)
    today = timezone.localdate()
    params = {k: request.GET.get(k, "").strip() for k in selectors.LIST_FILTERS}
    # Any: the page's rows become (lead, overdue, inside) triples below
    paginator: Paginator[Any] = Paginator(selectors.leads_listed(request.user, params, today), 50)
    page = paginator.get_page(request.GET.get("page"))
    # status, way and deadlines are the jurisdiction's business: a lead reached through a transfer shows none
    inside = set(
        selectors.leads_in_scope(request.user)
        .filter(pk__in=[lead.pk for lead in page])
        .values_list("pk", flat=True)
    )
    rows: Any = [
        (lead, selectors.lead_overdue(lead, today) if lead.pk in inside else "", lead.pk in inside)
        for lead in page
    ]
    page.object_list = rows
    return render(
        request,
        "leads/list.html",
        {
            "page": page,
            "params": params,
            "statuses": Lead.Status.choices,
            "ways": WAY_CHOICES,
            "sources": Lead.Source.choices,
            "can_register": _can_register(request.user),
        },
    )


def _can_register(user: Any) -> bool:
    return bool(user.can(Capability.HANDLE_LEADS) and user.organisation and not user.organisation.is_partner)


@login_required
@require_http_methods(["GET", "POST"])
@limit_lead_registrations
def lead_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.HANDLE_LEADS)
    if not _can_register(request.user):
        raise Http404("not found")
    user: Any = request.user
    form = RegisterForm(
        request.POST or None, initial={"received": timezone.localdate(), "scope_region": user.jurisdiction}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lead = lead_register(
                user=user,
                source=d["source"],
                source_agency=d["source_agency"],
                source_ref=d["source_ref"],
                received=d["received"],
                scope_region=d["scope_region"],
                category=d["category"],
                matter=d["matter"],
                summary=d["summary"],
                subjects=form.subjects(),
                reporter_name=d["reporter_name"],
                reporter_contact=d["reporter_contact"],
            )
        except LeadError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已登记问题线索 {lead.lead_no}")
            return redirect("lead_detail", pk=lead.pk)
    elif request.method == "POST":
        messages.error(request, _errors(form))
    return render(request, "leads/new.html", {"form": form})


@login_required
@require_POST
@limit_lead_registrations
def lead_from_registry(request: HttpRequest, table: str, rid: int) -> HttpResponse:
    """One action from a petition / audit finding / inspection finding page: register it as a lead."""
    require(request.user, Capability.HANDLE_LEADS)
    if table not in RECORD_SOURCES or not _can_register(request.user):
        raise Http404("not found")
    record = record_for(request.user, REGISTRY[table].objects.all(), rid)
    form = FromRecordForm(request.POST)
    form.is_valid()
    try:
        lead = lead_from_record(
            user=request.user,
            table=table,
            record=record,
            reporter_name=form.cleaned_data.get("reporter_name", ""),
            reporter_contact=form.cleaned_data.get("reporter_contact", ""),
        )
    except LeadError as exc:
        messages.error(request, str(exc))
        return redirect("registry_detail", table=table, pk=rid)
    messages.success(request, f"已登记问题线索 {lead.lead_no}")
    return redirect("lead_detail", pk=lead.pk)


def _partner_organisations(user: Any) -> Any:
    """Organisations a lead may be sent to: any other commission or agency of the user's city."""
    return Organisation.objects.exclude(pk=user.organisation_id).order_by("kind", "name")


@login_required
@require_GET
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    lead = selectors.access_lead(request, pk)
    internals = selectors.sees_internals(user, lead)
    can_dispose = internals and selectors.may_dispose(user, lead)
    today = timezone.localdate()
    transfers = [
        (t, selectors.receipt_overdue(t, today), selectors.feedback_overdue(t, today))
        for t in selectors.transfers_visible(user, lead)
    ]
    transfer_ids = [t.pk for t, _, _ in transfers]
    events = lead.events.select_related("by")
    if not internals:
        events = events.filter(transfer_id__in=transfer_ids)
    pending = selectors.next_step(lead) if internals else None
    steps = [(s, *_step_labels(s.way, s.step)) for s in lead.steps.select_related("by")] if internals else []
    return render(
        request,
        "leads/detail.html",
        {
            "lead": lead,
            "subjects": lead.subjects.all(),
            "internals": internals,
            "can_dispose": can_dispose and lead.status != Lead.Status.CLOSED,
            # the identity itself is never on this page: see leads/disclosure.py
            "reporter_panel": reporter_panel(user, lead),
            "overdue": selectors.lead_overdue(lead, today) if internals else "",
            "pending": pending,
            "steps": steps,
            "transfers": transfers,
            "events": events,
            "way_form": WayForm(initial={"on": today}),
            "conclude_form": ConcludeForm(initial={"closed_on": today}),
            "transfer_form": TransferForm(organisations=_partner_organisations(user)),
            "user_org_id": user.organisation_id,
            "can_handle": user.can(Capability.HANDLE_LEADS),
            "outcomes": selectors.outcomes_of_lead(user, lead) if internals else [],
        },
    )


def _step_labels(way: str, step: str) -> tuple[str, str]:
    definition = WAYS.get(way)
    found = definition.step(step) if definition else None
    return (definition.label if definition else way), (found.label if found else step)


def _done(request: HttpRequest, lead: Lead, call: Any) -> HttpResponse:
    try:
        call()
    except LeadError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "操作已记录")
        if not selectors.leads_for(request.user).filter(pk=lead.pk).exists():
            messages.info(request, gettext("该线索已进入处置，仅承办单位及其授权人员可以查阅"))
            return redirect("lead_list")
    return redirect("lead_detail", pk=lead.pk)


@login_required
@require_POST
def lead_way(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.access_lead_for_disposal(request, pk)
    form = WayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("lead_detail", pk=lead.pk)
    d = form.cleaned_data
    return _done(
        request,
        lead,
        lambda: lead_choose_way(lead=lead, user=request.user, way=d["way"], on=d["on"], note=d["note"]),
    )


@login_required
@require_POST
def lead_step(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.access_lead_for_disposal(request, pk)
    step = request.POST.get("step", "")
    values = {k[2:]: str(request.POST.get(k, "")) for k in request.POST if k.startswith("f_")}
    return _done(
        request, lead, lambda: lead_step_record(lead=lead, user=request.user, step=step, values=values)
    )


@login_required
@require_POST
def lead_close(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.access_lead_for_disposal(request, pk)
    form = ConcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("lead_detail", pk=lead.pk)
    d = form.cleaned_data
    return _done(
        request,
        lead,
        lambda: lead_conclude(
            lead=lead,
            user=request.user,
            verdict=d["verdict"],
            conclusion=d["conclusion"],
            form=d["form"],
            measure=d["measure"],
            closed_on=d["closed_on"],
        ),
    )


@login_required
@require_GET
def person_leads(request: HttpRequest, id_number: str) -> HttpResponse:
    """Leads and four-forms outcomes about one person: the lead register's part of the portrait.

    The URL names the person by the keyed hash of their ID (never the ID: URLs end up in logs)."""
    require(request.user, Capability.VIEW_LEADS)
    if person_shielded(request.user, id_number):
        raise AccessRefused("out_of_scope", object_type="leads.person", capability=Capability.VIEW_LEADS)
    leads = selectors.leads_for_person(request.user, id_number)
    outcomes = selectors.outcomes_for_person(request.user, id_number)
    discipline: Any = REGISTRY["discipline_records"]
    records = (
        records_for(request.user, discipline.objects.filter(id_number_hash=id_number))
        if not selectors.is_partner(request.user)
        else discipline.objects.none()
    )
    official: Any = REGISTRY["officials"]
    officials = (
        records_for(request.user, official.objects.filter(id_number_hash=id_number))
        if not selectors.is_partner(request.user)
        else official.objects.none()
    )
    if not leads.exists() and not outcomes.exists() and not records.exists():
        raise Http404("not found")
    access_checked(request, PersonRef(id_number))
    return render(
        request,
        "leads/person.html",
        {
            "masked_id": next(
                (
                    s.id_number_masked
                    for lead in leads[:1]
                    for s in lead.subjects.filter(id_number_hash=id_number)
                ),
                "",
            )
            or next((o.id_number_masked for o in outcomes[:1]), ""),
            "officials": officials,
            "leads": leads,
            "outcomes": outcomes,
            "records": records.order_by("-decided"),
        },
    )
