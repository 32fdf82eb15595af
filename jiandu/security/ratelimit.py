"""Anti-automation for reading pages (ASVS 2.4.1): a cap on list and search pages per user per minute.

Exfiltration through the UI looks like paging through every list or searching name after name. The access
log already holds one event per list page and search, so the count comes from it: no second store, and the
limit is enforced across processes. A refusal is itself logged (denied, reason rate_limited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from jiandu.audit.models import AccessEvent, Action

COUNTED_ACTIONS = (Action.LIST, Action.SEARCH)


def reading_rate_exceeded(user: Any) -> bool:
    limit = int(settings.JIANDU_READ_PAGES_PER_MINUTE)
    if limit <= 0:
        return False
    since = timezone.now() - dt.timedelta(minutes=1)
    recent = AccessEvent.objects.filter(actor_id=user.pk, action__in=COUNTED_ACTIONS, at__gte=since)
    return recent.count() >= limit
