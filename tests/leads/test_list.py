"""The lead list: filters, the overdue flag and pagination are decided in the database, over every lead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiandu.leads import selectors
from jiandu.leads.models import Lead
from tests import builders
from tests.leads.helpers import TODAY, client_for, days, registered, step, way

pytestmark = pytest.mark.django_db


def _listed(html: str, lead: Lead) -> bool:
    return f'href="{reverse("lead_detail", args=[lead.pk])}"' in html


def test_an_overdue_lead_behind_two_thousand_newer_ones_is_listed(people):
    """The list used to cut at 2,000 rows before filtering overdue leads in Python: this one vanished."""
    owner = client_for(people["owner"])
    late = registered(owner, received=days(-40))  # no way chosen, due 30 days after receipt: overdue
    template = Lead.objects.get(pk=late.pk)
    newer = []
    for n in range(2000):
        template.pk = None
        template.lead_no = f"T{n:05d}"
        template.seq = 10000 + n
        template.received = TODAY
        template.due = TODAY
        newer.append(Lead(**{f.attname: getattr(template, f.attname) for f in Lead._meta.concrete_fields}))
    Lead.objects.bulk_create(newer)
    assert Lead.objects.filter(pk__gt=late.pk).count() == 2000  # the overdue lead is number 2,001 by date

    overdue = owner.get(reverse("lead_list") + "?overdue=1").content.decode()
    assert _listed(overdue, late)
    assert "共 1 条" in overdue  # the count is the database's, not the length of a cut list
    everything = owner.get(reverse("lead_list")).content.decode()
    assert "共 2001 条" in everything and not _listed(everything, late)  # page 1 holds the newest 50
    last = owner.get(reverse("lead_list") + "?page=41").content.decode()
    assert _listed(last, late)
    # the outsider's list stays empty, overdue or not
    outsider = client_for(people["outsider"])
    assert "共 0 条" in outsider.get(reverse("lead_list") + "?overdue=1").content.decode()


def test_overdue_in_the_database_agrees_with_the_detail_pages_rule(people):
    """selectors.overdue (the list's filter) and selectors.lead_overdue (the detail page's label) agree on
    leads waiting at each step, with and without a way, closed or not."""
    owner = client_for(people["owner"])

    def lead(seq: int, received: int) -> Lead:
        return registered(owner, subject_id_1=builders.make_id(seq=seq), received=days(received))

    undecided_late, undecided_on_time = lead(31, -31), lead(32, -30)
    first_step_late, first_step_on_time = lead(33, -20), lead(34, -20)
    way(owner, first_step_late, "talk_inquiry", on=days(-16))
    way(owner, first_step_on_time, "talk_inquiry", on=days(-15))
    second_step_late, second_step_on_time = lead(35, -40), lead(36, -40)
    for item, done in ((second_step_late, -16), (second_step_on_time, -15)):
        way(owner, item, "talk_inquiry", on=days(-30))
        step(owner, item, "approved", approved_on=days(done), approver="王书记")
    every = Lead.objects.all()
    by_rule = {lead.pk for lead in every if selectors.lead_overdue(lead, TODAY)}
    in_database = set(selectors.overdue(every, TODAY).values_list("pk", flat=True))
    assert by_rule == in_database
    assert by_rule == {undecided_late.pk, first_step_late.pk, second_step_late.pk}
    on_time = {undecided_on_time.pk, first_step_on_time.pk, second_step_on_time.pk}
    assert on_time <= set(every.values_list("pk", flat=True)) - in_database
