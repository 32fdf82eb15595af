"""Writes for organisations and users (HackSoft style: keyword-only, named <thing>_<verb>)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from jiandu.accounts.models import Organisation, User


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
    from jiandu.audit.models import Action
    from jiandu.audit.services import access_event_record

    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    access_event_record(request_or_user=by, action=Action.SESSIONS_ENDED, obj=user)


@transaction.atomic
def user_deactivate(*, user: User, by: Any) -> None:
    """Disable an account and end its sessions now (ASVS 7.4.2); the account and its history stay."""
    from jiandu.audit.models import Action
    from jiandu.audit.services import access_event_record

    User.objects.filter(pk=user.pk).update(is_active=False, session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["is_active", "session_epoch"])
    access_event_record(request_or_user=by, action=Action.CHANGE, obj=user, details={"change": "deactivated"})


@transaction.atomic
def user_office_set(*, user: User, office: str, by: Any) -> None:
    """Put a user in (or take them out of) an internal office; logged, since the petition office is what
    may ask to see reporters' identities."""
    from jiandu.audit.models import Action
    from jiandu.audit.services import access_event_record

    if office not in User.Office.values:
        raise ValueError(f"unknown office {office!r}")
    User.objects.filter(pk=user.pk).update(office=office)
    user.refresh_from_db(fields=["office"])
    access_event_record(
        request_or_user=by, action=Action.CHANGE, obj=user, details={"change": "office", "office": office}
    )
