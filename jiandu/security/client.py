"""Where a request comes from: the client address and a keyed hash of the user agent.

Behind the intranet reverse proxy every request arrives from the proxy's address; the real client is in
X-Forwarded-For, which the client can also forge. So the header is read only when the deployment says how
many proxies it trusts (`JIANDU_TRUSTED_PROXIES`), and then the entry that the outermost trusted proxy
appended is taken, never the left-most one the client wrote.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from jiandu.security.crypto import keyed_hash


def client_address(request: HttpRequest) -> str:
    trusted = int(getattr(settings, "JIANDU_TRUSTED_PROXIES", 0))
    address = request.META.get("REMOTE_ADDR", "") or ""
    if trusted > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted:
            address = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def user_agent_hash(request: HttpRequest) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return keyed_hash(agent, purpose="audit-user-agent")[:32] if agent else ""
