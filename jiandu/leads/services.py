"""Intake of leads: numbering, duplicate check, and registration from each source.

Every write goes through a keyword-only `lead_*` function; views only validate input and call one of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from jiandu.accounts.models import region_prefix
from jiandu.alerts.models import Alert
from jiandu.alerts.workflow import WorkflowError
from jiandu.analytics.idcolumns import is_id_hash
from jiandu.leads.models import Lead, LeadCounter, LeadEvent, LeadSubject
from jiandu.leads.procedures import INTAKE_DAYS
from jiandu.leads.secrecy import seal
from jiandu.registry.models import REGISTRY
from jiandu.security.idnumbers import id_hash


class LeadError(ValueError):
    """A refused write; the message is shown to the user (Chinese)."""


@dataclass(frozen=True)
class SubjectIn:
    """A person a lead is about; `id_number` is the ID as typed, or its keyed hash when it comes from the
    registry or an alert (the lead then copies the registry's token and masked form)."""

    name: str
    id_number: str = ""
    unit: str = ""
    title: str = ""
    id_enc: str = ""  # with a hash in id_number: the registry's token and masked form, when at hand
    id_masked: str = ""


# Registry tables a lead can be registered from, with its source kind.
RECORD_SOURCES = {
    "petitions": Lead.Source.PETITION,
    "audit_findings": Lead.Source.AUDIT,
    "inspection_findings": Lead.Source.INSPECTION,
}


def lead_number(year: int) -> tuple[int, str]:
    """The next sequence of `year` and its lead number; call inside the registering transaction."""
    if not LeadCounter.objects.filter(year=year).exists():
        try:
            with transaction.atomic():  # savepoint: a concurrent first lead of the year may create it too
                LeadCounter.objects.create(year=year)
        except IntegrityError:
            pass
    counter = LeadCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"XS-{year}-{counter.last:06d}"


def find_duplicate(subjects: list[SubjectIn], category: str, source: tuple[str, int | None]) -> Lead | None:
    """An open lead on the same matter: the same source record, or a same subject with the same category."""
    open_leads = Lead.objects.exclude(status=Lead.Status.CLOSED)
    table, rid = source
    if table and rid is not None:
        same = open_leads.filter(source_table=table, source_rid=rid).order_by("id").first()
        if same:
            return same
    condition = Q()
    for s in subjects:
        if s.id_number:
            condition |= Q(subjects__id_number_hash=_id_hash(s.id_number))
        else:
            condition |= Q(subjects__name=s.name, subjects__unit=s.unit)
    if not condition:
        return None
    return open_leads.filter(condition, category=category).order_by("id").first()


def event_add(lead: Lead, user: Any, kind: str, label: str, **details: Any) -> LeadEvent:
    transfer = details.pop("transfer", None)
    return LeadEvent.objects.create(
        lead=lead, kind=kind, label=label, by=user, transfer=transfer, details=details
    )


def _check_scope(user: Any, scope_region: str) -> None:
    if not (len(scope_region) == 6 and scope_region.isdigit()):
        raise LeadError("管辖区划应为6位数字")
    if not scope_region.startswith(region_prefix(user.jurisdiction)):
        raise LeadError("只能登记本管辖范围内的问题线索")


@transaction.atomic
def lead_register(*, user: Any, scope_region: str, **fields: Any) -> Lead:
    """Register a lead for the user's own commission, inside the user's jurisdiction."""
    if user.organisation is None or user.organisation.is_partner:
        raise LeadError("问题线索由纪委监委登记；其他单位请通过线索移送")
    _check_scope(user, scope_region)
    return lead_register_for(organisation=user.organisation, user=user, scope_region=scope_region, **fields)


@transaction.atomic
def lead_register_for(
    *,
    organisation: Any,
    user: Any,
    source: str,
    category: str,
    matter: str,
    subjects: list[SubjectIn],
    scope_region: str,
    received: dt.date | None = None,
    summary: str = "",
    source_agency: str = "",
    source_ref: str = "",
    source_table: str = "",
    source_rid: int | None = None,
    alert: Any = None,
    reporter_name: str = "",
    reporter_contact: str = "",
) -> Lead:
    """Number and store a lead handled by `organisation`, with its subjects; flags an open lead on the same
    matter as a duplicate. Callers check who may register (lead_register, transfers.lead_transfer_in)."""
    if source not in Lead.Source.values:
        raise LeadError("请选择线索来源")
    if source == Lead.Source.TRANSFER and source_agency not in Lead.Agency.values:
        raise LeadError("外单位移送的线索需要选择移送机关")
    if source == Lead.Source.ASSIGNMENT and not source_ref.strip():
        raise LeadError("上级交办的线索需要填写交办文号")
    subjects = [s for s in subjects if s.name.strip()]
    if not subjects:
        raise LeadError("至少需要一名被反映人")
    if not category.strip() or not matter.strip():
        raise LeadError("请填写问题类别和反映事项")
    received = received or dt.date.today()
    duplicate = find_duplicate(subjects, category, (source_table, source_rid))
    seq, number = lead_number(received.year)
    lead = Lead.objects.create(
        lead_no=number,
        year=received.year,
        seq=seq,
        received=received,
        source=source,
        source_agency=source_agency if source == Lead.Source.TRANSFER else "",
        source_ref=source_ref.strip(),
        source_table=source_table,
        source_rid=source_rid,
        alert=alert,
        category=category.strip()[:32],
        matter=matter.strip()[:200],
        summary=summary.strip(),
        scope_region=scope_region,
        handling_org=organisation,
        due=received + dt.timedelta(days=INTAKE_DAYS),
        duplicate_of=duplicate,
        reporter_name=seal(reporter_name),
        reporter_contact=seal(reporter_contact),
        created_by=user,
    )
    LeadSubject.objects.bulk_create([_subject(lead, s) for s in subjects])
    event_add(
        lead,
        user,
        "registered",
        f"登记（来源：{lead.get_source_display()}）",
        duplicate_of=duplicate.lead_no if duplicate else "",
    )
    return lead


def _subject(lead: Lead, s: SubjectIn) -> LeadSubject:
    subject = LeadSubject(
        lead=lead, name=s.name.strip()[:50], unit=s.unit.strip()[:100], title=s.title.strip()[:100]
    )
    if s.id_enc and is_id_hash(s.id_number):
        subject.id_number_hash, subject.id_number_enc = s.id_number, s.id_enc
        subject.id_number_masked = s.id_masked
    else:
        subject.id_number = s.id_number.strip()
    return subject


def _id_hash(value: str) -> str:
    return value if is_id_hash(value) else id_hash(value)


def _official_names(id_hashes: list[str]) -> dict[str, str]:
    official: Any = REGISTRY["officials"]
    rows = official.objects.filter(id_number_hash__in=id_hashes).values_list("id_number_hash", "name")
    return dict(rows)


def subjects_of_finding(table: str, record: Any) -> list[SubjectIn]:
    """The people a petition, an audit finding or an inspection finding names, with names from `officials`."""
    if table == "petitions":
        return [
            SubjectIn(
                name=record.subject_name,
                id_number=record.subject_id_hash or "",
                unit=record.subject_unit or "",
                title=record.subject_title or "",
                id_enc=record.subject_id_enc or "",
                id_masked=record.subject_id_masked or "",
            )
        ]
    if table == "audit_findings":
        people = [(record.leader_id_hash, record.leader_id_enc, record.leader_id_masked)]
    else:
        people = list(
            zip(
                record.person_ids_hash or [],
                record.person_ids_enc or [],
                record.person_ids_masked or [],
                strict=False,
            )
        )
    people = [p for p in people if p[0]]
    names = _official_names([p[0] for p in people])
    subjects = [
        SubjectIn(name=names.get(h, "（未登记干部）"), id_number=h, id_enc=e or "", id_masked=m or "")
        for h, e, m in people
    ]
    if not subjects:
        subjects = [SubjectIn(name=f"被{'审计' if table == 'audit_findings' else '巡察'}单位有关人员")]
    return subjects


def lead_from_record(
    *, user: Any, table: str, record: Any, reporter_name: str = "", reporter_contact: str = ""
) -> Lead:
    """Register a lead from a petition, an audit finding or an inspection finding (the 巡审纪 one-action flow)."""
    source = RECORD_SOURCES.get(table)
    if source is None:
        raise LeadError("该类数据不能登记为问题线索")
    subjects = subjects_of_finding(table, record)
    if table == "petitions":
        category, matter, summary = record.category, record.summary[:200], record.summary
        ref = record.petition_no
    else:
        category, matter, summary = record.category, record.description[:200], record.description
        ref = record.finding_no
    return lead_register(
        user=user,
        source=source,
        category=category,
        matter=matter,
        summary=summary,
        subjects=subjects,
        scope_region=record.scope_region or user.jurisdiction,
        source_ref=ref,
        source_table=table,
        source_rid=record.pk,
        reporter_name=reporter_name if table == "petitions" else "",
        reporter_contact=reporter_contact if table == "petitions" else "",
    )


def lead_from_alert(*, alert: Any, user: Any, note: str) -> Lead:
    """Register the lead an alert is handed over to (called by the alert workflow's 转为问题线索 step)."""
    if alert.subject_type == "official" and alert.subject_key:
        subjects = [SubjectIn(name=alert.subject_label or "（未登记干部）", id_number=alert.subject_key)]
    else:
        subjects = [SubjectIn(name=alert.subject_label or alert.subject_key or "（预警对象）")]
    return lead_register(
        user=user,
        source=Lead.Source.ALERT,
        category=f"{alert.rule_code} {alert.title}"[:32],
        matter=f"{alert.title}：{alert.subject_label or alert.subject_key}",
        summary=note,
        subjects=subjects,
        scope_region=alert.scope_region or user.jurisdiction,
        source_ref=f"预警#{alert.pk}",
        source_table="alerts",
        source_rid=alert.pk,
        alert=alert,
    )


def lead_open_for_alert(alert: Alert, user: Any, note: str) -> tuple[str, int]:
    """The alert workflow's lead opener (registered in LeadsConfig.ready): a refusal becomes the step's error."""
    try:
        lead = lead_from_alert(alert=alert, user=user, note=note)
    except LeadError as exc:
        raise WorkflowError(str(exc)) from exc
    return lead.lead_no, lead.pk
