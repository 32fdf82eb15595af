"""Intake limit on leads (ASVS 2.4.1): leads one user registered in the last hour, by any intake path.

The count is of Lead rows in a sliding window (jiandu/security/ratelimit.py has the mechanism).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_noop

from jiandu.leads.models import Lead
from jiandu.security.ratelimit import HOUR, RateState, posts_limited, rate_state


def lead_registration_rate(user: Any) -> RateState:
    """Leads this user registered in the last hour (any intake path: the form, a record, an agency)."""
    rows = Lead.objects.filter(created_by_id=user.pk)
    limit = int(settings.JIANDU_LEADS_PER_HOUR)
    return rate_state(rows, limit=limit, window=HOUR, at_field="created_at")


limit_lead_registrations = posts_limited(
    lead_registration_rate,
    object_type="leads.lead",
    what=gettext_noop("登记问题线索"),
    limit_name="leads_per_hour",
)
