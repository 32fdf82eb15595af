"""Disposal of a lead: choose a way, record its steps in order, conclude with a verdict and the four forms.

The steps and deadlines come from procedures.WAYS; this module only enforces them. Concluding writes the
outcome where it is read: LeadOutcome rows (the portrait, next to discipline_records), FindingFeedback for a
lead that came from a registry record, and the finding and a note on the alert it came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiandu.alerts.models import Alert, AlertTransition
from jiandu.leads.models import FindingFeedback, Lead, LeadOutcome, LeadStep
from jiandu.leads.procedures import REOPENABLE_FROM, WAYS
from jiandu.leads.selectors import current_steps, next_step
from jiandu.leads.services import LeadError, event_add
from jiandu.leads.transfers import answer_inbound_on_conclusion

ALERT_FINDING = {"true": "true", "partly": "partly", "false": "false", "unverifiable": "unverifiable"}


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


def _not_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise LeadError(f"{what}不能晚于今天")


@transaction.atomic
def lead_choose_way(*, lead: Lead, user: Any, way: str, on: dt.date | None = None, note: str = "") -> Lead:
    """Choose (or, after a finished or shelved way, change) the way of disposal."""
    lead = _locked(lead)
    chosen = WAYS.get(way)
    if chosen is None:
        raise LeadError("请选择处置方式")
    if lead.status == Lead.Status.CLOSED:
        raise LeadError("线索已办结")
    if lead.way and lead.way not in REOPENABLE_FROM and next_step(lead) is not None:
        raise LeadError(f"“{WAYS[lead.way].label}”的步骤尚未完成，不能改变处置方式")
    on = on or timezone.localdate()
    _not_future(on, "处置方式确定日期")
    if on < lead.received:
        raise LeadError("处置方式确定日期不能早于受理日期")
    previous = lead.get_way_display() if lead.way else ""
    lead.way, lead.way_started, lead.way_round = way, on, lead.way_round + 1
    lead.status = chosen.status
    lead.save(update_fields=["way", "way_started", "way_round", "status"])
    label = f"处置方式：{chosen.label}" + (f"（原：{previous}）" if previous else "")
    event_add(lead, user, "way", label, way=way, on=on.isoformat(), note=note, on_time=on <= lead.due)
    return lead


def _parse_values(step_fields: Any, values: dict[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for field in step_fields:
        raw = (values.get(field.name) or "").strip()
        if not raw:
            raise LeadError(f"请填写“{field.label}”")
        if field.kind == "date":
            try:
                raw = dt.date.fromisoformat(raw).isoformat()
            except ValueError as exc:
                raise LeadError(f"“{field.label}”应为日期 YYYY-MM-DD") from exc
        clean[field.name] = raw
    return clean


@transaction.atomic
def lead_step_record(*, lead: Lead, user: Any, step: str, values: dict[str, str]) -> LeadStep:
    """Record the next step of the current way, with every field it requires; steps go in order."""
    lead = _locked(lead)
    pending = next_step(lead)
    if pending is None:
        raise LeadError("当前没有待办的处置步骤")
    expected, due = pending
    if step != expected.key:
        raise LeadError(f"下一步应为“{expected.label}”")
    clean = _parse_values(expected.fields, values)
    done_on = dt.date.fromisoformat(clean[expected.date_field])
    _not_future(done_on, "完成日期")
    done = current_steps(lead)
    start = done[-1].done_on if done else lead.way_started
    assert start is not None
    if done_on < start:
        raise LeadError(f"完成日期不能早于上一环节日期 {start}")
    row = LeadStep.objects.create(
        lead=lead,
        way=lead.way,
        round=lead.way_round,
        step=expected.key,
        done_on=done_on,
        due=due,
        values=clean,
        by=user,
    )
    late = "" if row.on_time else "（逾期）"
    event_add(lead, user, "step", f"{expected.label}{late}", step=expected.key, due=due.isoformat())
    return row


@transaction.atomic
def lead_conclude(
    *,
    lead: Lead,
    user: Any,
    verdict: str,
    conclusion: str,
    form: str = "",
    measure: str = "",
    closed_on: dt.date | None = None,
) -> Lead:
    """Close a lead: every step of its way done, a verdict and a written conclusion, the form with its measure."""
    lead = _locked(lead)
    if lead.status == Lead.Status.CLOSED:
        raise LeadError("线索已办结")
    if not lead.way:
        raise LeadError("请先确定处置方式")
    pending = next_step(lead)
    if pending is not None:
        raise LeadError(f"尚有处置步骤未完成：“{pending[0].label}”")
    if verdict not in Lead.Verdict.values:
        raise LeadError("请选择核查结论")
    if not conclusion.strip():
        raise LeadError("办结须填写结论")
    if form and form not in Lead.Form.values:
        raise LeadError("形态无效")
    if WAYS[lead.way].form_required and not form:
        raise LeadError("立案审查调查的线索办结时须选择形态")
    if form and verdict not in (Lead.Verdict.TRUE, Lead.Verdict.PARTLY):
        raise LeadError("只有属实或部分属实的线索才能认定形态")
    if form and not measure.strip():
        raise LeadError("认定形态时须填写处理方式（如谈话提醒、诫勉、警告）")
    closed_on = closed_on or timezone.localdate()
    _not_future(closed_on, "办结日期")
    done = current_steps(lead)
    if done and closed_on < done[-1].done_on:
        raise LeadError("办结日期不能早于最后一个处置步骤")
    lead.verdict, lead.conclusion, lead.form, lead.measure = (
        verdict,
        conclusion.strip(),
        form,
        measure.strip(),
    )
    lead.closed, lead.status = closed_on, Lead.Status.CLOSED
    lead.save(update_fields=["verdict", "conclusion", "form", "measure", "closed", "status"])
    if form:
        LeadOutcome.objects.bulk_create(
            [
                LeadOutcome(
                    lead=lead,
                    id_number_hash=s.id_number_hash,
                    id_number_enc=s.id_number_enc,
                    id_number_masked=s.id_number_masked,
                    name=s.name,
                    decided=closed_on,
                    form=form,
                    measure=lead.measure,
                    scope_region=lead.scope_region,
                )
                for s in lead.subjects.all()
            ]
        )
    summary = f"问题线索 {lead.lead_no} 已办结：{lead.get_verdict_display()}。{lead.conclusion}"
    if form:
        summary += f"（{form}，{lead.measure}）"
    if lead.source_table and lead.source_table != "alerts" and lead.source_rid is not None:
        FindingFeedback.objects.create(
            source_table=lead.source_table,
            source_rid=lead.source_rid,
            lead=lead,
            text=summary,
            scope_region=lead.scope_region,
        )
    if lead.alert_id is not None:
        _alert_write_back(lead, user, summary)
    answer_inbound_on_conclusion(lead, user, summary)
    event_add(lead, user, "concluded", f"办结：{lead.get_verdict_display()}", form=form, measure=lead.measure)
    return lead


def _alert_write_back(lead: Lead, user: Any, summary: str) -> None:
    """The alert that became this lead gets the verdict as its finding and the outcome as a note."""
    assert lead.alert_id is not None
    alert = Alert.objects.select_for_update().get(pk=lead.alert_id)
    alert.finding = ALERT_FINDING[lead.verdict]
    alert.save(update_fields=["finding", "updated_at"])
    AlertTransition.objects.create(
        alert=alert,
        from_status=alert.status,
        to_status=alert.status,
        by=user,
        note=summary,
        details={"lead_no": lead.lead_no, "verdict": lead.verdict, "form": lead.form},
    )
