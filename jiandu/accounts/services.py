"""Writes for organisations and users (HackSoft style: keyword-only, named <thing>_<verb>)."""

from __future__ import annotations

from django.db import transaction

from jiandu.accounts.models import Organisation, User


def organisation_ensure(*, name: str, kind: str, region_code: str) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        name=name, defaults={"kind": kind, "region_code": region_code}
    )
    return org


@transaction.atomic
def user_ensure(
    *, username: str, password: str, role: str, organisation: Organisation, full_name: str = ""
) -> User:
    """Create or reset a user; jurisdiction follows the organisation's region."""
    user, _ = User.objects.get_or_create(username=username)
    user.role = role
    user.organisation = organisation
    user.jurisdiction = organisation.region_code
    user.first_name = full_name
    user.is_active = True
    user.set_password(password)
    user.save()
    return user
