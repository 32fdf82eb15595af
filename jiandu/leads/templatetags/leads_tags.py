"""Blocks the lead register adds to other areas' pages without touching their views.

`{% record_leads table record %}` on a registry record page (petition, audit or inspection finding): the leads
registered from it, the results sent back (FindingFeedback) and the one-action "移送纪委，登记为问题线索".
`{% alert_leads alert %}` on an alert page: the lead the alert was handed over to.
"""

from __future__ import annotations

from typing import Any

from django import template

from jiandu.accounts.roles import Capability
from jiandu.leads import selectors
from jiandu.leads.services import RECORD_SOURCES

register = template.Library()


@register.inclusion_tag("leads/_record_block.html", takes_context=True)
def record_leads(context: dict[str, Any], table: Any, record: Any) -> dict[str, Any]:
    name = getattr(table, "name", str(table))
    user = context["request"].user
    if name not in RECORD_SOURCES:
        return {"show": False}
    can_register = bool(
        user.can(Capability.HANDLE_LEADS) and user.organisation and not user.organisation.is_partner
    )
    return {
        "show": True,
        "table": name,
        "record": record,
        "leads": selectors.leads_from_record(user, name, record.pk),
        "feedback": selectors.feedback_for_record(user, name, record.pk),
        "can_register": can_register,
        "referred": getattr(record, "referred", None),
        "petition": name == "petitions",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("leads/_alert_block.html", takes_context=True)
def alert_leads(context: dict[str, Any], alert: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"leads": selectors.leads_in_scope(user).filter(alert_id=alert.pk)}
