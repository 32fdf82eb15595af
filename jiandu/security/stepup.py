"""Step-up re-authentication before sensitive operations (ASVS 7.5.3).

A session that was signed in hours ago, left open on an unlocked desk, must not be enough to take a dossier
out of the building or to see who reported an official. Views that do such things are wrapped in
`step_up_required`: unless the user re-entered their password (and their TOTP code, when they must use one)
on the re-authentication page within the last `JIANDU_STEP_UP_MINUTES` minutes, they are sent there first and
come back to the same address afterwards. Signing in does not count as a step-up: the point is a fresh proof
at the moment of the operation, whatever happened at the start of the day.

The proof is a timestamp in the session (server-side), written only by the re-authentication page after both
factors passed; signing in again clears it. Failures there count towards the sign-in lockout, like a wrong
password at sign-in (jiandu/security/views.py: step_up).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from jiandu.security.signals import SESSION_STEP_UP_AT

View = Callable[..., HttpResponse]


def step_up_seconds() -> int:
    return int(settings.JIANDU_STEP_UP_MINUTES) * 60


def step_up_fresh(request: HttpRequest) -> bool:
    """Whether this session passed the re-authentication page within the window."""
    at = request.session.get(SESSION_STEP_UP_AT)
    if at is None:
        return False
    age = time.time() - float(at)
    return 0 <= age <= step_up_seconds()


def step_up_mark(request: HttpRequest) -> None:
    request.session[SESSION_STEP_UP_AT] = time.time()


def _return_to(request: HttpRequest) -> str:
    """Where to come back after re-authenticating: the same address for a GET; the page the form was on
    for a POST (a POST body cannot be replayed through a redirect, so the user submits it again)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def step_up_redirect(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('step_up')}?{urlencode({'next': _return_to(request)})}")


def step_up_required_if(condition: Callable[[HttpRequest], bool]) -> Callable[[View], View]:
    """Require a fresh step-up when `condition(request)` holds (e.g. only for the export of a list page)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if condition(request) and not step_up_fresh(request):
                return step_up_redirect(request)
            return view(request, *args, **kwargs)

        wrapped.step_up_required = True  # type: ignore[attr-defined]
        return wrapped

    return decorate


def step_up_required(view: View) -> View:
    """Require a fresh step-up for every request to `view`. Put it under `login_required`."""
    return step_up_required_if(lambda request: True)(view)


def exporting(request: HttpRequest) -> bool:
    """The list pages export through `?export=xlsx`: only that request needs the step-up."""
    return bool(request.GET.get("export"))
