"""Session rules applied to every request: an absolute lifetime, and the TOTP step before any page.

The idle timeout is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST: every request pushes
the expiry forward, so a session dies after that long without use). An idle timeout alone lets a session
that is used steadily live for ever, so SessionLifetimeMiddleware also ends any session older than
JIANDU_SESSION_ABSOLUTE_SECONDS since its sign-in (ASVS 7.3.2).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.security.signals import SESSION_AUTH_AT, SESSION_TOTP_OK
from jiandu.security.totp import confirmed_device, totp_required

# Pages a signed-in user may reach before passing the second factor.
PRE_TOTP_URL_NAMES = ("totp_verify", "totp_setup", "logout", "login", "set_language")


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_AUTH_AT)
            now = int(time.time())
            if started is None:
                request.session[SESSION_AUTH_AT] = now
            elif now - int(started) > int(settings.JIANDU_SESSION_ABSOLUTE_SECONDS):
                logout(request)
                messages.info(request, _("会话已超过最长时限，请重新登录。"))
                return _to(reverse("login"), request)
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def _exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = tuple(reverse(name) for name in PRE_TOTP_URL_NAMES)
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(SESSION_TOTP_OK)
            and not self._is_exempt(request.path_info)
            and totp_required(user)
        ):
            target = "totp_verify" if confirmed_device(user) is not None else "totp_setup"
            return _to(reverse(target), request)
        return self.get_response(request)

    def _is_exempt(self, path: str) -> bool:
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return path in self._exempt_paths()


def _to(url: str, request: HttpRequest) -> HttpResponseRedirect:
    if request.method == "GET":
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    return HttpResponseRedirect(url)


class RecusalMiddleware:
    """Renders a Recused refusal (security/recusal_guard.py) as the 403 page that names the relation types,
    or as JSON for the graph's data endpoint. The event and the report were filed before the raise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from jiandu.security.recusal_guard import Recused, recused_message

        if not isinstance(exception, Recused):
            return None
        message = recused_message(exception)
        if request.path.endswith(".json") or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": message, "recused": True}, status=403)
        return render(request, "security/recused.html", {"message": message}, status=403)
