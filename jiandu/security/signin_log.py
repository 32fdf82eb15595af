"""Authentication events into the access log (ASVS 16.3.1): sign-in, failure, lockout, sign-out.

The receivers live with the sign-in mechanism (they read its lockout marker and username hash) and write
through audit's service: security is above audit on floor 1, so audit knows nothing of sign-in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from jiandu.audit.models import Action
from jiandu.audit.services import access_event_record
from jiandu.security.backends import LOCKOUT_ATTRIBUTE
from jiandu.security.lockout import username_hash


@receiver(user_logged_in, dispatch_uid="jiandu.audit.logged_in")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    access_event_record(
        request_or_user=request if _is_request(request) else user,
        action=Action.LOGIN,
        obj=user,
        actor=user,
        details={"method": "password"},
    )


@receiver(user_logged_out, dispatch_uid="jiandu.audit.logged_out")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    access_event_record(
        request_or_user=request if _is_request(request) else user, action=Action.LOGOUT, obj=user, actor=user
    )


@receiver(user_login_failed, dispatch_uid="jiandu.audit.login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username") or ""
    locked = request is not None and getattr(request, LOCKOUT_ATTRIBUTE, None) is not None
    known = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    access_event_record(
        request_or_user=request if _is_request(request) else None,
        action=Action.LOCKED_OUT if locked else Action.LOGIN_FAILED,
        object_type="accounts.user" if known else "",
        object_id=known or "",
        details={"username_hash": username_hash(username)[:32], "known_account": known is not None},
    )


def _is_request(value: Any) -> bool:
    return isinstance(value, HttpRequest)
