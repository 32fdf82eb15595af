"""The authentication backend: Django's model backend behind the lockout check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jiandu.security.client import client_address
from jiandu.security.lockout import lockout_state

LOCKOUT_ATTRIBUTE = "jiandu_lockout"


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is not None and username:
            state = lockout_state(username=username, address=client_address(request))
            if state.locked:
                # Checked before the password, so a locked pair cannot be used to test passwords at all.
                setattr(request, LOCKOUT_ATTRIBUTE, state)
                raise PermissionDenied("locked out")
        return super().authenticate(request, username=username, password=password, **kwargs)
