"""Django REST framework: refusals inside API views become "denied" events too.

DRF turns an Http404 raised in a view into a response itself, so the middleware's process_exception never
sees it; this handler (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]) records it, then lets DRF answer.
"""

from __future__ import annotations

from typing import Any

from rest_framework.views import exception_handler as drf_exception_handler

from jiandu.accounts.access import AccessRefused
from jiandu.audit.services import record_denied


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    request = context.get("request")
    if isinstance(exc, AccessRefused) and request is not None:
        record_denied(
            getattr(request, "_request", request),
            reason=exc.reason,
            capability=exc.capability,
            object_type=exc.object_type,
            object_id=exc.object_id,
        )
    return drf_exception_handler(exc, context)
