"""Sign-in bookkeeping on Django's authentication signals: lockout counts and session markers.

Kept to bookkeeping only: the decisions (lock or not, second factor or not) live in lockout.py and
middleware.py, where they are tested directly.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from jiandu.security.backends import LOCKOUT_ATTRIBUTE
from jiandu.security.client import client_address
from jiandu.security.lockout import sign_in_failure_record, sign_in_failures_clear

SESSION_AUTH_AT = "jiandu_auth_at"
SESSION_STEP_UP_AT = "jiandu_step_up_at"  # jiandu/security/stepup.py
SESSION_TOTP_OK = "jiandu_totp_ok"


@receiver(user_login_failed, dispatch_uid="jiandu.security.login_failed")
def _count_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username") or ""
    if request is None or not username or getattr(request, LOCKOUT_ATTRIBUTE, None) is not None:
        return
    sign_in_failure_record(username=username, address=client_address(request))


@receiver(user_logged_in, dispatch_uid="jiandu.security.logged_in")
def _start_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_AUTH_AT] = int(time.time())
        session.pop(SESSION_TOTP_OK, None)
        session.pop(SESSION_STEP_UP_AT, None)
    if getattr(request, "META", None) is not None and "REMOTE_ADDR" in request.META:
        sign_in_failures_clear(username=user.get_username(), address=client_address(request))
