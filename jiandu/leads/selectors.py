"""Reads over leads, built on the access module: the only way request code obtains a lead or a transfer.

Two ways to reach a lead:
- jurisdiction: a commission user sees the leads whose scope_region is inside their jurisdiction (a county its
  county, the city all); these users also see the lead's internals (steps, conclusion; never the reporter,
  which only leads/disclosure.py opens);
- transfer: any user (partner agency or another commission) whose organisation sent or received one of the
  lead's transfers sees the lead's register card and those transfers — the chain of custody — and nothing
  else. Partner agencies (巡察办, 审计局, 财政局, 公安局) reach leads *only* this way.
Refusals are Http404 (AccessRefused), as everywhere.

Need-to-know narrows the first way: once a way of disposal is chosen (谈话函询, 初步核实, 暂存待查, 予以了结,
立案审查调查) the lead is under verification and only its handling organisation's handling staff and leaders
(and the people its leader adds, NeedToKnowGrant) see it in the jurisdiction. When it is closed it returns to
the jurisdiction — except a lead that went through 立案审查调查: the file of an investigation stays with its
circle for good. A registered lead without a way is the jurisdiction's, as before. Everything derived from a
lead (its outcomes on the portrait, the feedback on its source record, the alert it came from) follows it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest

from jiandu.accounts.access import (
    AccessRefused,
    access_checked,
    marked,
    need_to_know,
    records_for,
    records_listed,
    records_of_organisation,
    records_under,
    require,
)
from jiandu.accounts.models import NeedToKnowGrant
from jiandu.accounts.roles import Capability
from jiandu.leads.models import FindingFeedback, Lead, LeadOutcome, LeadStep, LeadTransfer
from jiandu.leads.procedures import WAYS, StepDef


def _may(user: Any, capability: str) -> bool:
    try:
        require(user, capability)
    except Http404:
        return False
    return True


def is_partner(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return org is None or org.is_partner


# Under verification: a way of disposal is running (an "active matter" for the people it is about).
UNDER_VERIFICATION = (Lead.Status.DISPOSING, Lead.Status.SHELVED, Lead.Status.CASE_FILED)
INVESTIGATION = "case_filing"


def restricted() -> Q:
    """Leads only the handling circle may see: under verification, or closed after 立案审查调查."""
    investigated = LeadStep.objects.filter(lead_id=OuterRef("pk"), way=INVESTIGATION)
    closed_investigation = Q(status=Lead.Status.CLOSED) & (Q(way=INVESTIGATION) | Q(Exists(investigated)))
    return Q(status__in=UNDER_VERIFICATION) | closed_investigation


def _need_to_know(capability: str) -> Any:
    def build(user: Any) -> Q:
        return need_to_know(
            user,
            kind=NeedToKnowGrant.Kind.LEAD,
            restricted=restricted(),
            office_field="handling_org_id",
            handle_capability=Capability.HANDLE_LEADS,
            grants=capability != Capability.HANDLE_LEADS,
        )

    return build


def leads_in_scope(user: Any, capability: str = Capability.VIEW_LEADS) -> QuerySet[Lead]:
    """Leads of the user's jurisdiction (commission users only) the user may see under need-to-know.

    With HANDLE_LEADS: those the user may dispose of — a grant lets a person read a lead, not dispose of it."""
    if is_partner(user):
        return Lead.objects.none()
    return records_for(
        user, Lead.objects.all(), capability=capability, need_to_know=_need_to_know(capability)
    )


def under_verification() -> QuerySet[Lead]:
    """Every lead now under verification (no user: the set the portrait shield checks against)."""
    return Lead.objects.filter(status__in=UNDER_VERIFICATION)


def leads_for(user: Any) -> QuerySet[Lead]:
    """Every lead the user may open: in scope, or reached through a transfer of their organisation."""
    if not _may(user, Capability.VIEW_LEADS):
        return Lead.objects.none()
    if getattr(user, "organisation_id", None) is None:
        return leads_in_scope(user)
    reached = records_of_organisation(
        user,
        Lead.objects.all(),
        "transfers__to_org_id",
        "transfers__from_org_id",
        capability=Capability.VIEW_LEADS,
    ).values("pk")
    if is_partner(user):
        return marked(Lead.objects.filter(pk__in=reached))
    in_scope = leads_in_scope(user).values("pk")
    return marked(Lead.objects.filter(Q(pk__in=in_scope) | Q(pk__in=reached)))


def _refused(user: Any, pk: Any, capability: str) -> AccessRefused:
    """The refusal the access log records: the same reasons as access.record_for (need-to-know included in
    "out_of_scope", so the log does not single out leads under verification)."""
    if not _may(user, capability):
        reason = "no_capability"
    else:
        try:
            reason = "out_of_scope" if Lead.objects.filter(pk=pk).exists() else "not_found"
        except (ValueError, TypeError):
            reason = "not_found"
    return AccessRefused(reason, object_type="leads.lead", object_id=pk, capability=capability)


def lead_for(user: Any, pk: Any) -> Lead:
    try:
        rows = leads_for(user).select_related("handling_org", "alert", "duplicate_of")
        return with_duplicate_seen(user, rows).get(pk=pk)
    except (Lead.DoesNotExist, ValueError, TypeError) as exc:
        raise _refused(user, pk, Capability.VIEW_LEADS) from exc


def lead_for_disposal(user: Any, pk: Any) -> Lead:
    """A lead the user may dispose of: in their jurisdiction, their role handles leads, and — once a way is
    running — their organisation is its handling organisation."""
    try:
        return leads_in_scope(user, Capability.HANDLE_LEADS).get(pk=pk)
    except (Lead.DoesNotExist, ValueError, TypeError) as exc:
        raise _refused(user, pk, Capability.HANDLE_LEADS) from exc


def transfer_for_receiver(user: Any, pk: Any) -> LeadTransfer:
    """A transfer addressed to the user's organisation, for signing its receipt or returning feedback."""
    rows = records_of_organisation(
        user, LeadTransfer.objects.select_related("lead"), "to_org_id", capability=Capability.HANDLE_LEADS
    )
    try:
        return rows.get(pk=pk)
    except (LeadTransfer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("not found") from exc


def with_duplicate_seen(user: Any, rows: QuerySet[Lead]) -> QuerySet[Lead]:
    """Annotate `duplicate_seen`: the lead flagged as duplicate of this one is visible to the user. The flag
    names an open lead about the same person, so outside that lead's circle it is not shown at all."""
    return rows.annotate(duplicate_seen=Exists(leads_in_scope(user).filter(pk=OuterRef("duplicate_of_id"))))


def access_lead(request: HttpRequest, pk: Any) -> Lead:
    """A lead for a page: `lead_for` (404), then recusal (403)."""
    return access_checked(request, lead_for(request.user, pk))


def access_lead_for_disposal(request: HttpRequest, pk: Any) -> Lead:
    """A lead to act on: `lead_for_disposal` (404), then recusal (403)."""
    return access_checked(request, lead_for_disposal(request.user, pk))


def access_transfer_for_receiver(request: HttpRequest, pk: Any) -> LeadTransfer:
    """A transfer for its receiver: `transfer_for_receiver` (404), then recusal on its lead (403)."""
    transfer = transfer_for_receiver(request.user, pk)
    access_checked(request, transfer.lead)
    return transfer


def may_dispose(user: Any, lead: Lead) -> bool:
    return leads_in_scope(user, Capability.HANDLE_LEADS).filter(pk=lead.pk).exists()


def sees_internals(user: Any, lead: Lead) -> bool:
    return leads_in_scope(user).filter(pk=lead.pk).exists()


def sees_reporter(user: Any, lead: Lead) -> bool:
    """Whether the reporter is within the user's organisational reach: the lead's jurisdiction, or a receiver
    the sender included it for. Necessary, not sufficient: leads/disclosure.py adds the petition office, a
    second user's approval and a step-up before anything is shown."""
    if sees_internals(user, lead):
        return True
    return lead.transfers.filter(to_org_id=user.organisation_id, include_reporter=True).exists()


def transfers_visible(user: Any, lead: Lead) -> QuerySet[LeadTransfer]:
    rows = LeadTransfer.objects.filter(lead_id=lead.pk).select_related(
        "from_org", "to_org", "sent_by", "received_by", "feedback_by"
    )
    if sees_internals(user, lead):
        return records_under(rows, "lead", leads_in_scope(user))
    return records_of_organisation(user, rows, "to_org_id", "from_org_id", capability=Capability.VIEW_LEADS)


def transfers_of_org(user: Any) -> tuple[QuerySet[LeadTransfer], QuerySet[LeadTransfer]]:
    """(received, sent) transfers of the user's organisation."""
    rows = LeadTransfer.objects.select_related("lead", "from_org", "to_org").order_by("-id")
    return (
        records_of_organisation(user, rows, "to_org_id", capability=Capability.VIEW_LEADS),
        records_of_organisation(user, rows, "from_org_id", capability=Capability.VIEW_LEADS),
    )


# --- deadlines -------------------------------------------------------------------------------------------


def current_steps(lead: Lead) -> list[LeadStep]:
    """Steps of the way now running (uses prefetched `steps` when the caller prefetched them)."""
    rows = [s for s in lead.steps.all() if s.way == lead.way and s.round == lead.way_round]
    return sorted(rows, key=lambda s: s.pk)


def next_step(lead: Lead) -> tuple[StepDef, dt.date] | None:
    """The step the current way waits for and its deadline; None when no way or every step is done."""
    if not lead.way or lead.status == Lead.Status.CLOSED:
        return None
    done = current_steps(lead)
    way = WAYS[lead.way]
    if len(done) >= len(way.steps):
        return None
    step = way.steps[len(done)]
    start = done[-1].done_on if done else lead.way_started
    assert start is not None
    return step, start + dt.timedelta(days=step.due_days)


def lead_overdue(lead: Lead, today: dt.date) -> str:
    """Why the lead is late, in Chinese, or "" when it is not (the due day itself is on time)."""
    if lead.status == Lead.Status.CLOSED:
        return ""
    if not lead.way:
        return "逾期未确定处置方式" if lead.due < today else ""
    pending = next_step(lead)
    if pending and pending[1] < today:
        return f"“{pending[0].label}”逾期（期限 {pending[1]}）"
    return ""


def overdue(rows: QuerySet[Lead], today: dt.date) -> QuerySet[Lead]:
    """`lead_overdue` in the database: the rows late today (not closed; no way chosen past `due`, or the
    step the current way waits for past its deadline — the last step done, or the way's start, plus the
    step's `due_days`). The due day itself is on time, as in `lead_overdue`."""
    current = LeadStep.objects.filter(lead=OuterRef("pk"), way=OuterRef("way"), round=OuterRef("way_round"))
    done = current.order_by().values("lead").annotate(n=Count("pk")).values("n")
    last = current.order_by("-pk").values("done_on")[:1]
    rows = rows.annotate(
        steps_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
        waits_since=Coalesce(Subquery(last), F("way_started")),
    )
    late = Q(way="", due__lt=today)
    for code, way in WAYS.items():
        for done_count, step in enumerate(way.steps):
            since = today - dt.timedelta(days=step.due_days)
            late |= Q(way=code, steps_done=done_count, waits_since__lt=since)
    return rows.exclude(status=Lead.Status.CLOSED).filter(late)


LIST_FILTERS = ("status", "way", "source", "q", "overdue")


def leads_listed(user: Any, params: dict[str, str], today: dt.date) -> QuerySet[Lead]:
    """The lead list as the filter bar describes it, newest first, filtered and counted in the database.

    A lead reached only through a transfer shows no status, way or deadline (they are the jurisdiction's
    business), so it is never "overdue" for this user. A subject the user must recuse themselves from is
    not listed (access.records_listed)."""
    rows = records_listed(user, leads_for(user))
    for key in ("status", "way", "source"):
        if params.get(key):
            rows = rows.filter(**{key: params[key]})
    if params.get("q"):
        rows = rows.filter(
            Q(lead_no__icontains=params["q"])
            | Q(subjects__name__icontains=params["q"])
            | Q(matter__icontains=params["q"])
        ).distinct()
    if params.get("overdue") == "1":
        rows = overdue(rows, today).filter(pk__in=leads_in_scope(user).values("pk"))
    rows = rows.select_related("handling_org").prefetch_related("subjects", "steps")
    return with_duplicate_seen(user, rows).order_by("-id")


def receipt_overdue(t: LeadTransfer, today: dt.date) -> bool:
    if t.received_on is None:
        return t.receipt_due < today
    return t.received_on > t.receipt_due


def feedback_overdue(t: LeadTransfer, today: dt.date) -> bool:
    if t.feedback_on is None:
        return t.feedback_due < today
    return t.feedback_on > t.feedback_due


def overdue_transfers(rows: QuerySet[LeadTransfer], today: dt.date) -> dict[str, QuerySet[LeadTransfer]]:
    """Transfers still waiting past their deadline: receipt not signed, feedback not returned."""
    return {
        "receipt": rows.filter(received_on__isnull=True, receipt_due__lt=today),
        "feedback": rows.filter(feedback_on__isnull=True, feedback_due__lt=today),
    }


# --- portrait and findings -------------------------------------------------------------------------------


def _lead_visible(user: Any) -> Q:
    """Rows derived from a lead (outcomes, feedback) follow the lead's need-to-know."""
    return Q(Exists(leads_in_scope(user).filter(pk=OuterRef("lead_id"))))


def outcomes_of_lead(user: Any, lead: Lead) -> QuerySet[LeadOutcome]:
    """The outcomes of a lead the user sees the internals of (empty otherwise)."""
    return records_under(LeadOutcome.objects.filter(lead_id=lead.pk), "lead", leads_in_scope(user))


def outcomes_for_person(user: Any, id_hash: str) -> QuerySet[LeadOutcome]:
    """Four-forms outcomes of concluded leads about one person (by the keyed hash of their ID), for the
    portrait (with discipline_records).

    An outcome of a closed 立案审查调查 stays with the lead's circle; the sanction itself reaches everyone else
    as a discipline_records row (`jiandu leads outcomes-export` → the case-management office's delivery)."""
    if is_partner(user):
        return LeadOutcome.objects.none()
    rows = records_for(
        user, LeadOutcome.objects.filter(id_number_hash=id_hash), capability=Capability.VIEW_LEADS
    )
    return rows.filter(_lead_visible(user))


def leads_for_person(user: Any, id_hash: str) -> QuerySet[Lead]:
    """Leads about one person, by the keyed hash of their ID (pages and URLs never carry the ID itself)."""
    return leads_in_scope(user).filter(subjects__id_number_hash=id_hash).distinct()


def leads_from_record(user: Any, table: str, rid: int) -> QuerySet[Lead]:
    return leads_in_scope(user).filter(source_table=table, source_rid=rid)


def feedback_for_record(user: Any, table: str, rid: int) -> QuerySet[FindingFeedback]:
    if is_partner(user):
        return FindingFeedback.objects.none()
    rows = FindingFeedback.objects.filter(source_table=table, source_rid=rid).select_related("lead")
    return records_for(user, rows, capability=Capability.VIEW_LEADS).filter(_lead_visible(user))
