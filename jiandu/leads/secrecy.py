"""Sealing the reporter's identity (举报人信息) at rest.

When the security area's `jiandu.security.crypto` is installed, values are encrypted (SM4-GCM by default) for
the purpose "lead-reporter" and stored as its versioned token; without it they are stored as entered — a known
gap, documented in docs/leads.md. Reading accepts both, so rows written before the crypto module arrived stay
readable after it does (and are sealed when next saved).
"""

from __future__ import annotations

from collections.abc import Callable

PURPOSE = "lead-reporter"
TOKEN_PREFIX = "j1."


def _crypto() -> tuple[Callable[..., str], Callable[..., str]] | None:
    try:
        from jiandu.security.crypto import decrypt, encrypt
    except ImportError:
        return None
    from django.conf import settings

    if not getattr(settings, "JIANDU_DATA_KEY", None):
        return None
    return encrypt, decrypt


def sealing_available() -> bool:
    return _crypto() is not None


def seal(value: str) -> str:
    value = value.strip()
    crypto = _crypto()
    if not value or crypto is None:
        return value
    return crypto[0](value, purpose=PURPOSE)


def unseal(stored: str) -> str:
    crypto = _crypto()
    if not stored.startswith(TOKEN_PREFIX) or crypto is None:
        return stored
    return crypto[1](stored, purpose=PURPOSE)
