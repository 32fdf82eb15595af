from __future__ import annotations

import pytest

from tests import builders


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    """The cast every access test needs: the city, an owner county, an outsider county, roles without rights."""
    from jiandu.accounts.models import Organisation
    from jiandu.accounts.roles import Role

    return {
        "city": builders.make_user("city", Role.SUPERVISOR, builders.CITY),
        "owner": builders.make_user("owner", Role.SUPERVISOR, builders.COUNTY_A),
        "colleague": builders.make_user("colleague", Role.LEADER, builders.COUNTY_A),
        "outsider": builders.make_user("outsider", Role.SUPERVISOR, builders.COUNTY_B),
        "clerk": builders.make_user("clerk", Role.CLERK, builders.COUNTY_A),
        "admin": builders.make_user("admin", Role.ADMIN, builders.CITY),
        "partner": builders.make_user(
            "partner", Role.AUDITOR, builders.CITY, kind=Organisation.Kind.AUDIT_BUREAU
        ),
    }


@pytest.fixture(autouse=True)
def audit_anchor_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Access-log anchors written by tests go to a temporary file, never to DATA_DIR's real anchor log."""
    settings.JIANDU_AUDIT_ANCHOR_PATH = str(tmp_path / "audit-anchor.log")


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests that do not examine hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def scratch_template(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One migrated scratch database per session, copied by `scratch` (tests/sources/scratch.py)."""
    from tests.sources.scratch import Scratch

    return Scratch(tmp_path_factory.mktemp("scratch-template"), suffix="kill_template")


@pytest.fixture
def scratch(scratch_template, tmp_path):  # type: ignore[no-untyped-def]
    """A migrated database of the suite's kind that child `jiandu` processes can use and be killed on."""
    from tests.sources.scratch import Scratch

    return Scratch(tmp_path, template=scratch_template)
