"""Sealing the reporter's identity (举报人信息) at rest.

Values are encrypted with `jiandu.security.crypto` (SM4-GCM by default) for the purpose "lead-reporter" and
stored as its versioned token. The crypto module is a hard dependency: it used to be imported inside a
`try … except ImportError`, which would have stored reporters in plaintext, silently, had it been missing.
Reading accepts plain values too, so rows written before the crypto module arrived stay readable (and are
sealed when next saved).
"""

from __future__ import annotations

from collections.abc import Callable

from jiandu.security.crypto import decrypt, encrypt

PURPOSE = "lead-reporter"
TOKEN_PREFIX = "j1."


def _crypto() -> tuple[Callable[..., str], Callable[..., str]]:
    """The sealing pair (a seam: tests put a readable stand-in here)."""
    return encrypt, decrypt


def seal(value: str) -> str:
    value = value.strip()
    if not value:
        return value
    return _crypto()[0](value, purpose=PURPOSE)


def unseal(stored: str) -> str:
    if not stored.startswith(TOKEN_PREFIX):
        return stored
    return _crypto()[1](stored, purpose=PURPOSE)
