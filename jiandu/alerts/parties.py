"""What the access layer needs to know about alerts, registered in AlertsConfig.ready (inversion: the lower
floors define the hooks and never import this app).

- recusal (registry/recusal.py): an alert's parties are its subject and every person and company of its
  evidence; in lists and exports, an alert whose subject is among the user's links is left out;
- the need-to-know circle page (accounts/grant_views.py): which matters it serves;
- the investigation shield (accounts/access.py): an alert being verified is an active matter of the official
  it is about.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jiandu.accounts.grant_views import MatterKind
from jiandu.accounts.models import NeedToKnowGrant
from jiandu.accounts.roles import Capability
from jiandu.alerts import selectors
from jiandu.alerts.models import Alert
from jiandu.registry.recusal import Links, Parties, PartyRule, Proof, evidence_add


def alert_parties_add(parties: Parties, alert: Alert) -> None:
    proof = Proof("alerts.alert", alert.pk)
    if alert.subject_type == "official":
        parties.add_person(alert.subject_key, proof)
    elif alert.subject_type == "company":
        parties.add_company(alert.subject_key, proof)
    evidence_add(parties, alert.evidence or [])


def alerts_conflicted(links: Links) -> Q:
    """Alerts whose subject is among the links (an evidence-only party is checked when the alert is opened)."""
    return Q(subject_type="official", subject_key__in=sorted(links.persons)) | Q(
        subject_type="company", subject_key__in=sorted(links.companies)
    )


def alert_matters(user: Any, person: Any) -> QuerySet[Alert]:
    """Alerts being verified about `person` (the keyed hash of an ID, or an OuterRef to one); with a user,
    only those that user may read."""
    alerts = selectors.under_verification() if user is None else selectors.alerts_for(user)
    return alerts.filter(status__in=selectors.UNDER_VERIFICATION, subject_type="official", subject_key=person)


MATTER_KIND = MatterKind(
    NeedToKnowGrant.Kind.ALERT,
    Alert,
    "office_id",
    Capability.VIEW_ALERTS,
    Capability.HANDLE_ALERTS,
    "alert_detail",
    "alert_need_to_know",
    readable=selectors.alerts_for,
    restricted=selectors.restricted,
)
PARTY_RULE = PartyRule(add=alert_parties_add, conflicted=alerts_conflicted)
