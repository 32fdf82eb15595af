"""Writes for organisations and users (HackSoft style: keyword-only, named <thing>_<verb>)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from jiandu.accounts.events import account_event_record
from jiandu.accounts.models import Organisation, User
from jiandu.analytics.contract import load_contract
from jiandu.analytics.intake.scalar import CellValueError, normalise_value
from jiandu.security.crypto import decrypt, encrypt, keyed_hash


def organisation_ensure(*, name: str, kind: str, region_code: str) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        name=name, defaults={"kind": kind, "region_code": region_code}
    )
    return org


@transaction.atomic
def user_ensure(
    *,
    username: str,
    password: str,
    role: str,
    organisation: Organisation,
    full_name: str = "",
    office: str = "",
) -> User:
    """Create or reset a user; jurisdiction follows the organisation's region."""
    user, _ = User.objects.get_or_create(username=username)
    user.role = role
    user.office = office
    user.organisation = organisation
    user.jurisdiction = organisation.region_code
    user.first_name = full_name
    user.is_active = True
    user.set_password(password)
    user.save()
    return user


def user_sessions_end(*, user: User, by: Any) -> None:
    """End every session of `user` (sign out everywhere). `by` is the request or user asking, for the log."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    account_event_record(by=by, action="sessions_ended", obj=user)


@transaction.atomic
def user_deactivate(*, user: User, by: Any) -> None:
    """Disable an account and end its sessions now (ASVS 7.4.2); the account and its history stay."""
    User.objects.filter(pk=user.pk).update(is_active=False, session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["is_active", "session_epoch"])
    account_event_record(by=by, action="change", obj=user, details={"change": "deactivated"})


@transaction.atomic
def user_office_set(*, user: User, office: str, by: Any) -> None:
    """Put a user in (or take them out of) an internal office; logged, since the petition office is what
    may ask to see reporters' identities."""
    if office not in User.Office.values:
        raise ValueError(f"unknown office {office!r}")
    User.objects.filter(pk=user.pk).update(office=office)
    user.refresh_from_db(fields=["office"])
    account_event_record(by=by, action="change", obj=user, details={"change": "office", "office": office})


class IdentityLinkError(ValueError):
    """The id_number given for a user's identity link is not a valid one (Chinese reason)."""


def identity_normalise(raw: str) -> str:
    """The id_number as the importer stores it (half-width, upper-case X, 15 digits upgraded, check char
    verified), so a link matches the registry's rows; IdentityLinkError with the reason otherwise."""
    column = load_contract()["officials"].column("id_number")
    try:
        value = normalise_value(column, raw)
    except CellValueError as exc:
        raise IdentityLinkError(f"身份证号无效：{exc.reason}") from exc
    return str(value)


@transaction.atomic
def user_identity_link(*, user: User, id_number: str, by: Any) -> None:
    """Link a commission user to their own registry identity (for recusal, registry/recusal.py).

    Stored as a keyed hash (to match) and an encrypted copy (to re-key or re-hash later), both under the
    "id-number" purpose the registry's id columns use; the plain value is never stored or logged."""
    value = identity_normalise(id_number)
    User.objects.filter(pk=user.pk).update(
        id_number_hash=keyed_hash(value, purpose="id-number"),
        id_number_encrypted=encrypt(value, purpose="id-number"),
    )
    user.refresh_from_db(fields=["id_number_hash", "id_number_encrypted"])
    account_event_record(by=by, action="change", obj=user, details={"change": "identity_linked"})


def user_identity_plain(user: User) -> str | None:
    """The linked id_number, decrypted for a registry lookup; None when the user is not linked."""
    if not user.has_identity_link:
        return None
    return decrypt(user.id_number_encrypted, purpose="id-number")
