"""Anti-automation (ASVS 2.4.1): caps on reading pages and on intake, per user or per API token.

Exfiltration through the UI looks like paging through every list or searching name after name; flooding
looks like a script uploading files, pushing deliveries or registering leads in a loop. Each of these acts
already leaves a row behind — an access-log event for a list page or search, a Delivery for an uploaded or
pushed file, a Lead for a registration — so a limit is one count of those rows in a sliding window: no
second store, and the limit holds across processes and workers. A refusal is answered with 429 and a
Chinese message, and is itself logged (denied, reason rate_limited).

The counting and the 429 are here; the limits on intake count rows of the areas above (sources/ratelimits.py
for deliveries, leads/ratelimits.py for leads), which use `rate_state` and `posts_limited`.

Limits (0 switches one off; all are off outside production so other areas' tests and the demo are not
throttled): `JIANDU_READ_PAGES_PER_MINUTE`, `JIANDU_UPLOADS_PER_HOUR` (web upload and API use by a signed-in
user), `JIANDU_API_PUSHES_PER_HOUR` (per partner token), `JIANDU_LEADS_PER_HOUR`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.audit.models import AccessEvent, Action
from jiandu.audit.services import access_event_record

COUNTED_ACTIONS = (Action.LIST, Action.SEARCH)
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class RateState:
    exceeded: bool
    limit: int = 0
    retry_after_seconds: int = 0


def rate_state(rows: QuerySet[Any], *, limit: int, window: dt.timedelta, at_field: str) -> RateState:
    """Whether `rows` (the acts of one user or token) reached `limit` within the last `window`.

    `retry_after_seconds` is when the oldest act in the window leaves it, i.e. when one more is allowed.
    """
    if limit <= 0:
        return RateState(False)
    now = timezone.now()
    recent = rows.filter(**{f"{at_field}__gte": now - window})
    if recent.count() < limit:
        return RateState(False, limit)
    # the act that must leave the window before one more is allowed: the limit-th newest
    oldest = recent.order_by(f"-{at_field}").values_list(at_field, flat=True)[limit - 1]
    return RateState(True, limit, max(1, int((oldest + window - now).total_seconds()) + 1))


def reading_rate_exceeded(user: Any) -> bool:
    rows = AccessEvent.objects.filter(actor_id=user.pk, action__in=COUNTED_ACTIONS)
    limit = int(settings.JIANDU_READ_PAGES_PER_MINUTE)
    return rate_state(rows, limit=limit, window=MINUTE, at_field="at").exceeded


def rate_limited_message(state: RateState | None = None, *, what: str = "") -> str:
    if state is None or not what:
        return _("访问过于频繁，请稍后再试。")
    minutes = max(1, (state.retry_after_seconds + 59) // 60)
    return _("%(what)s过于频繁：每小时最多 %(limit)s 次，请 %(minutes)s 分钟后再试。") % {
        "what": what,
        "limit": state.limit,
        "minutes": minutes,
    }


def rate_limited_record(
    request: HttpRequest, *, object_type: str, object_id: str | int = "", limit_name: str = ""
) -> None:
    """Log the refusal like any other refusal: action denied, reason rate_limited, and which limit."""
    details = {"reason": "rate_limited", "limit": limit_name} if limit_name else {"reason": "rate_limited"}
    access_event_record(
        request_or_user=request,
        action=Action.DENIED,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )


def rate_limited_response(
    request: HttpRequest,
    *,
    object_type: str,
    state: RateState | None = None,
    what: str = "",
    limit_name: str = "",
) -> HttpResponse:
    """The 429 a page answers with: logged, a plain Chinese sentence, Retry-After when known."""
    rate_limited_record(request, object_type=object_type, limit_name=limit_name)
    response = HttpResponse(
        rate_limited_message(state, what=what), status=429, content_type="text/plain; charset=utf-8"
    )
    if state is not None and state.retry_after_seconds:
        response["Retry-After"] = str(state.retry_after_seconds)
    return response


def posts_limited(
    rate: Callable[[Any], RateState], *, object_type: str, what: str, limit_name: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer a page's POST with 429 once `rate(user)` is exceeded; GET (the form itself) stays open.
    Put it under `login_required`. `what` is the act in Chinese ("上传文件"), wrapped for translation."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                state = rate(request.user)
                if state.exceeded:
                    return rate_limited_response(
                        request, object_type=object_type, state=state, what=_(what), limit_name=limit_name
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
