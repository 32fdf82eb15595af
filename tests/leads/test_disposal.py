"""The four ways and case filing through the web layer: order, required fields, deadlines, conclusion."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiandu.leads.models import Lead, LeadOutcome
from tests import builders
from tests.leads.helpers import client_for, conclude, days, messages_of, page, registered, step, way

pytestmark = pytest.mark.django_db


def fresh(lead: Lead) -> Lead:
    return Lead.objects.get(pk=lead.pk)


def test_talk_inquiry_full_procedure(people):
    owner = client_for(people["owner"])
    lead = registered(owner)
    way(owner, lead, "talk_inquiry")
    assert fresh(lead).status == "disposing" and fresh(lead).way == "talk_inquiry"
    # steps go in order, each with its fields
    response = step(owner, lead, "letter_sent", sent_on=days(0), letter_no="函〔2026〕1号")
    assert "下一步应为“谈话函询审批”" in messages_of(owner.get(reverse("lead_detail", args=[lead.pk])))
    assert response.status_code == 302 and not fresh(lead).steps.exists()
    step(owner, lead, "approved", approved_on=days(0))  # approver missing
    assert not fresh(lead).steps.exists()
    step(owner, lead, "approved", approved_on=days(0), approver="王书记")
    step(owner, lead, "letter_sent", sent_on=days(0), letter_no="函〔2026〕1号")
    # cannot close before the reply is in, nor switch to another way mid-procedure
    conclude(owner, lead, verdict="false", conclusion="说明属实，予以采信")
    way(owner, lead, "close")
    assert fresh(lead).status == "disposing" and fresh(lead).way == "talk_inquiry"
    step(owner, lead, "reply_received", received_on=days(0), reply_summary="本人书面说明已退还礼金")
    step(owner, lead, "opinion", opinion_on=days(0), opinion="说明基本属实，予以谈话提醒")
    assert [s.step for s in fresh(lead).steps.all()] == [
        "approved",
        "letter_sent",
        "reply_received",
        "opinion",
    ]
    # a lead cannot be closed without its conclusion; a form needs its measure
    conclude(owner, lead, verdict="partly")
    conclude(owner, lead, verdict="partly", conclusion="部分属实", form="第一种形态")
    assert fresh(lead).status == "disposing"
    conclude(
        owner, lead, verdict="partly", conclusion="部分属实，已退还", form="第一种形态", measure="谈话提醒"
    )
    done = fresh(lead)
    assert done.status == "closed" and done.closed is not None and done.form == "第一种形态"
    outcome = LeadOutcome.objects.get(lead=lead)
    assert (outcome.id_number_plain(), outcome.form, outcome.measure) == (
        builders.make_id(seq=11),
        "第一种形态",
        "谈话提醒",
    )
    person = owner.get(reverse("lead_person", args=[outcome.id_number_hash])).content.decode()
    assert "谈话提醒" in person and "第一种形态" in person
    body = page(owner, lead)
    assert "已办结" in body and "本人书面说明已退还礼金" in body


def test_preliminary_verification_then_case_filing(people):
    owner = client_for(people["owner"])
    lead = registered(owner)
    way(owner, lead, "preliminary_verification")
    step(owner, lead, "report", report_on=days(0), report="核实情况")  # plan not approved yet
    assert not fresh(lead).steps.exists()
    step(owner, lead, "plan_approved", approved_on=days(0), approver="王书记", plan="调取银行流水")
    step(owner, lead, "report", report_on=days(0), report="查实收受礼金3万元")
    step(owner, lead, "proposal", decided_on=days(0), proposal="建议立案审查调查")
    way(owner, lead, "case_filing")
    assert fresh(lead).status == "case_filed" and fresh(lead).way_round == 2
    step(owner, lead, "filed", filed_on=days(0), case_no="立〔2026〕5号")
    step(owner, lead, "investigated", report_on=days(0), report="审查调查报告")
    step(owner, lead, "tried", tried_on=days(0), trial_opinion="同意")
    step(owner, lead, "decided", decided_on=days(0), decision_no="处〔2026〕5号")
    conclude(owner, lead, verdict="true", conclusion="违纪事实清楚")  # case filing requires the form
    assert fresh(lead).status == "case_filed"
    conclude(owner, lead, verdict="true", conclusion="违纪事实清楚", form="第二种形态", measure="党内警告")
    assert fresh(lead).status == "closed" and fresh(lead).measure == "党内警告"
    assert len(fresh(lead).steps.all()) == 7


def test_shelved_lead_may_be_reopened_and_closed_lead_is_final(people):
    owner = client_for(people["owner"])
    lead = registered(owner)
    way(owner, lead, "shelve")
    step(owner, lead, "approved", approved_on=days(0), reason="暂不具备核查条件")
    assert fresh(lead).status == "shelved"
    way(owner, lead, "close")
    step(owner, lead, "approved", approved_on=days(0), approver="王书记", reason="反映问题失实")
    conclude(owner, lead, verdict="false", conclusion="经了解反映不实", form="第一种形态", measure="谈话提醒")
    assert fresh(lead).status == "disposing"  # a form for an unfounded report is refused
    conclude(owner, lead, verdict="false", conclusion="经了解反映不实")
    assert fresh(lead).status == "closed" and not LeadOutcome.objects.exists()
    way(owner, lead, "talk_inquiry")
    assert fresh(lead).way == "close"


def test_deadlines_are_inclusive(people):
    owner = client_for(people["owner"])
    on_time = registered(owner, received=days(-20))
    way(owner, on_time, "close", on=days(-15))  # approval due on day 0
    step(owner, on_time, "approved", approved_on=days(0), approver="王书记", reason="不实")
    row = fresh(on_time).steps.get()
    assert row.due.isoformat() == days(0) and row.on_time
    late = registered(owner, subject_id_1=builders.make_id(seq=21), received=days(-20))
    way(owner, late, "close", on=days(-16))
    step(owner, late, "approved", approved_on=days(0), approver="王书记", reason="不实")
    assert not fresh(late).steps.get().on_time
    assert "逾期" in page(owner, late)
    waiting = registered(owner, subject_id_1=builders.make_id(seq=22), received=days(-20))
    way(owner, waiting, "talk_inquiry", on=days(-16))
    due_today = registered(owner, subject_id_1=builders.make_id(seq=23), received=days(-20))
    way(owner, due_today, "talk_inquiry", on=days(-15))
    undecided_late = registered(owner, subject_id_1=builders.make_id(seq=24), received=days(-31))
    undecided_today = registered(owner, subject_id_1=builders.make_id(seq=25), received=days(-30))
    listing = owner.get(reverse("lead_list") + "?overdue=1").content.decode()

    def listed(lead: Lead) -> bool:
        return f'href="{reverse("lead_detail", args=[lead.pk])}"' in listing

    assert listed(waiting) and listed(undecided_late)
    assert not listed(due_today) and not listed(undecided_today)
    assert "逾期未确定处置方式" in page(owner, undecided_late)


def test_dates_in_the_future_and_before_the_way_are_refused(people):
    owner = client_for(people["owner"])
    lead = registered(owner)
    way(owner, lead, "close", on=days(1))
    assert not fresh(lead).way
    way(owner, lead, "close")
    step(owner, lead, "approved", approved_on=days(-1), approver="王书记", reason="不实")
    step(owner, lead, "approved", approved_on="2026-13-01", approver="王书记", reason="不实")
    assert not fresh(lead).steps.exists()


def test_only_the_jurisdiction_with_the_right_role_disposes(people):
    lead = registered(client_for(people["owner"]))
    auditor = builders.make_user("auditor_a", "auditor", builders.COUNTY_A)
    for user in (people["outsider"], people["clerk"], people["partner"], auditor):
        response = way(client_for(user), lead, "close")
        assert response.status_code == 404
        assert step(client_for(user), lead, "approved", approved_on=days(0)).status_code == 404
        assert conclude(client_for(user), lead, verdict="false", conclusion="x").status_code == 404
    assert not fresh(lead).way
    colleague, city = client_for(people["colleague"]), client_for(people["city"])
    way(colleague, lead, "close")
    # once a way runs, the lead is its handling office's (need-to-know): the city no longer disposes of it
    assert (
        step(city, lead, "approved", approved_on=days(0), approver="市纪委", reason="不实").status_code == 404
    )
    step(colleague, lead, "approved", approved_on=days(0), approver="县纪委", reason="不实")
    conclude(colleague, lead, verdict="false", conclusion="不实")
    assert fresh(lead).status == "closed"
    assert "移送其他单位" not in page(colleague, lead)
