"""Refusals by the access module become "denied" events; the 404 the user sees is unchanged."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jiandu.accounts.access import AccessRefused
from jiandu.audit.services import record_denied


class AccessLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, AccessRefused):
            record_denied(
                request,
                reason=exception.reason,
                capability=exception.capability,
                object_type=exception.object_type,
                object_id=exception.object_id,
            )
        return None
