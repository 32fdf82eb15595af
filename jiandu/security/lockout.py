"""Lockout after repeated failures, per account *and* address, with a cool-off.

Behind an intranet proxy or NAT many officials share one address, so locking an address would lock out a
whole building because of one person's typos (or one attacker). The lock is therefore on the pair
(account, address): `JIANDU_LOCKOUT_FAILURES` failures (default 5) within `JIANDU_LOCKOUT_COOL_OFF_SECONDS`
(default 15 min) lock that account from that address until the window passes. A second, much higher
threshold on the address alone (`JIANDU_LOCKOUT_ADDRESS_FAILURES`, default 100 in the window) brakes
password spraying — one guess against each of many accounts — which the per-pair count never sees.

Attempts made while locked are logged (action locked_out) but not counted, so the lock ends one cool-off
after the last real failure. A successful sign-in clears the pair's failures. Whether the account exists
does not matter: unknown usernames lock the same way, so lockout reveals nothing about which accounts exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from jiandu.security.crypto import keyed_hash
from jiandu.security.models import SignInFailure


@dataclass(frozen=True)
class LockoutState:
    locked: bool
    reason: str = ""  # account | address
    retry_after_seconds: int = 0


def username_hash(username: str) -> str:
    return keyed_hash(username.strip(), purpose="signin-username")


def _cool_off() -> dt.timedelta:
    return dt.timedelta(seconds=int(settings.JIANDU_LOCKOUT_COOL_OFF_SECONDS))


def lockout_state(*, username: str, address: str) -> LockoutState:
    now = timezone.now()
    since = now - _cool_off()
    recent = SignInFailure.objects.filter(at__gte=since)
    pair = recent.filter(username_hash=username_hash(username), address=address)
    if pair.count() >= int(settings.JIANDU_LOCKOUT_FAILURES):
        last = pair.order_by("-at").values_list("at", flat=True).first()
        return LockoutState(True, "account", _retry_after(last, now))
    if address:
        from_address = recent.filter(address=address)
        if from_address.count() >= int(settings.JIANDU_LOCKOUT_ADDRESS_FAILURES):
            last = from_address.order_by("-at").values_list("at", flat=True).first()
            return LockoutState(True, "address", _retry_after(last, now))
    return LockoutState(False)


def _retry_after(last: dt.datetime | None, now: dt.datetime) -> int:
    if last is None:
        return 0
    return max(1, int((last + _cool_off() - now).total_seconds()))


def sign_in_failure_record(*, username: str, address: str, kind: str = "password") -> None:
    SignInFailure.objects.create(
        username_hash=username_hash(username), address=address, at=timezone.now(), kind=kind
    )


def sign_in_failures_clear(*, username: str, address: str) -> None:
    SignInFailure.objects.filter(username_hash=username_hash(username), address=address).delete()


def sign_in_failures_prune() -> int:
    """Drop failures older than the window (they no longer count); returns how many were removed."""
    deleted, _ = SignInFailure.objects.filter(at__lt=timezone.now() - _cool_off()).delete()
    return deleted
