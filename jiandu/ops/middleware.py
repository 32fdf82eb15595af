"""GET /healthz, answered before the rest of the stack (sessions, host check, HTTPS redirect, second factor).

Monitoring probes the app server directly (http://127.0.0.1:8000/healthz) as well as through the proxy, has
no session and often no proper Host header; none of the layers below help it, and the answer holds nothing
that needs them. Access is by client address only (JIANDU_HEALTH_ALLOW, loopback by default, the proxy's
forwarded address honoured per JIANDU_TRUSTED_PROXIES): anyone else gets the site's ordinary 404.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound, JsonResponse

from jiandu.ops.health import health_report
from jiandu.security.client import client_address

HEALTH_PATH = "/healthz"


def health_allowed(request: HttpRequest) -> bool:
    address = client_address(request)
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in settings.JIANDU_HEALTH_ALLOW)


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        response: HttpResponse
        if not health_allowed(request):
            response = HttpResponseNotFound(b"", content_type="text/plain")
        elif request.method not in ("GET", "HEAD"):
            response = HttpResponseNotAllowed(["GET", "HEAD"])
        else:
            healthy, body = health_report()
            response = JsonResponse(
                body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False}
            )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
