"""Intake limits on deliveries (ASVS 2.4.1): files uploaded by a user, files pushed with an API token.

The count is of Delivery rows in a sliding window (jiandu/security/ratelimit.py has the mechanism).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_noop

from jiandu.security.ratelimit import HOUR, RateState, posts_limited, rate_state
from jiandu.sources.models import Delivery


def _deliveries() -> QuerySet[Any]:
    # one row per file: the sheets of one workbook after the first hang under it as `parent`
    return Delivery.objects.filter(parent__isnull=True)


def upload_rate(user: Any) -> RateState:
    """Files a signed-in user submitted (web page or API with the session) in the last hour."""
    rows = _deliveries().filter(submitted_by_id=user.pk)
    return rate_state(rows, limit=int(settings.JIANDU_UPLOADS_PER_HOUR), window=HOUR, at_field="created_at")


def api_push_rate(token: Model) -> RateState:
    """Files a partner system pushed with this API token in the last hour."""
    rows = _deliveries().filter(api_token_id=token.pk)
    limit = int(settings.JIANDU_API_PUSHES_PER_HOUR)
    return rate_state(rows, limit=limit, window=HOUR, at_field="created_at")


limit_uploads = posts_limited(
    upload_rate, object_type="sources.delivery", what=gettext_noop("上传文件"), limit_name="uploads_per_hour"
)
