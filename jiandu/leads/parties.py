"""What the access layer needs to know about leads, registered in LeadsConfig.ready (inversion: the lower
floors define the hooks and never import this app).

- recusal (registry/recusal.py): a lead's parties are its subjects, the registry row it was registered from
  and the alert it came from; in lists, a lead any of whose subjects, source row or alert subject is among the
  user's links is left out;
- the need-to-know circle page (accounts/grant_views.py): which matters it serves;
- the investigation shield (accounts/access.py): a lead under verification is an active matter of each of its
  subjects.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from jiandu.accounts.grant_views import MatterKind
from jiandu.accounts.models import NeedToKnowGrant
from jiandu.accounts.roles import Capability
from jiandu.alerts.models import Alert
from jiandu.leads import selectors
from jiandu.leads.models import Lead, LeadSubject
from jiandu.leads.services import RECORD_SOURCES
from jiandu.registry.models import REGISTRY
from jiandu.registry.recusal import Links, Parties, PartyRule, Proof, add_parties, conflicted_rows

R: dict[str, Any] = REGISTRY


def lead_parties_add(parties: Parties, lead: Lead) -> None:
    for subject in lead.subjects.all():
        if subject.id_number_hash:
            parties.add_person(subject.id_number_hash, Proof("leads.leadsubject", subject.pk))
    if lead.source_table in R and lead.source_rid is not None:
        row = R[lead.source_table].objects.filter(pk=lead.source_rid).first()
        if row is not None:
            add_parties(parties, row)
    if lead.alert_id is not None:
        add_parties(parties, lead.alert)


def leads_conflicted(links: Links) -> Q:
    """Leads with a subject, a source row (petitions, audit and inspection findings) or an alert among the
    links, as one Q of subqueries."""
    subjects = LeadSubject.objects.filter(lead=OuterRef("pk"), id_number_hash__in=sorted(links.persons))
    found = Q(Exists(subjects))
    alerts = conflicted_rows(Alert, links)
    if alerts is not None:
        found |= Q(alert__in=Alert.objects.filter(alerts).values("pk"))
    for table in sorted(RECORD_SOURCES):
        rows = conflicted_rows(R[table], links)
        if rows is not None:
            found |= Q(source_table=table, source_rid__in=R[table].objects.filter(rows).values("pk"))
    return found


def lead_matters(user: Any, person: Any) -> QuerySet[LeadSubject]:
    """Lead subjects naming `person` in a lead under verification; with a user, only leads that user may see."""
    leads = selectors.under_verification() if user is None else selectors.leads_in_scope(user)
    return LeadSubject.objects.filter(
        id_number_hash=person, lead__in=leads.filter(status__in=selectors.UNDER_VERIFICATION)
    )


MATTER_KIND = MatterKind(
    NeedToKnowGrant.Kind.LEAD,
    Lead,
    "handling_org_id",
    Capability.VIEW_LEADS,
    Capability.HANDLE_LEADS,
    "lead_detail",
    "lead_need_to_know",
    readable=selectors.leads_in_scope,
    restricted=selectors.restricted,
)
PARTY_RULE = PartyRule(add=lead_parties_add, conflicted=leads_conflicted)
