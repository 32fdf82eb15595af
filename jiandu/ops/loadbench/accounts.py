"""The benchmark's accounts and what they may open (run in a child process against the run's database).

Users are city supervisors of the demo's commission (349900) with a TOTP device and an identity link, as
production requires both (JIANDU_REQUIRE_TOTP, JIANDU_RECUSAL_REQUIRE_LINK); they sign in through the real
login and second-factor pages. The linked identities are valid GB 11643 numbers of a region outside the demo
city (110101), so no recusal relation exists and every page opens. Passwords are fresh for each run.
"""

from __future__ import annotations

import random
import secrets
from typing import Any

SAMPLE = 400


def _identity(n: int) -> str:
    from jiandu.analytics.identifiers import id_check_char

    first17 = f"11010119800101{n:03d}"
    return first17 + id_check_char(first17)


def _account(username: str, role: str, org: Any, n: int) -> dict[str, str]:
    from jiandu.accounts.services import user_ensure, user_identity_link
    from jiandu.security.totp import totp_device_issue

    password = secrets.token_urlsafe(18) + "-Aa1"
    user = user_ensure(username=username, password=password, role=role, organisation=org, full_name=username)
    user_identity_link(user=user, id_number=_identity(n), by=None)
    return {"username": username, "password": password, "totp": totp_device_issue(user)}


def accounts_and_targets(users: int, seed: int = 1) -> dict[str, Any]:
    from jiandu.accounts.access import records_for
    from jiandu.accounts.models import Organisation
    from jiandu.accounts.roles import Role
    from jiandu.accounts.services import organisation_ensure
    from jiandu.alerts.selectors import alerts_for
    from jiandu.registry.models import REGISTRY
    from jiandu.registry.selectors import demo_regions

    city = demo_regions()[0]
    org = organisation_ensure(
        name="负载测试（市纪委监委）", kind=Organisation.Kind.CITY_COMMISSION, region_code=city
    )
    readers = [_account(f"load-{i:02d}", Role.SUPERVISOR, org, i) for i in range(1, users + 1)]
    clerk = _account("load-clerk", Role.CLERK, org, 900)
    from jiandu.accounts.models import User

    probe = User.objects.get(username="load-01")
    rng = random.Random(seed)

    def sample(queryset: Any) -> list[int]:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        return sorted(rng.sample(pks, min(SAMPLE, len(pks))))

    targets = {
        "official": sample(records_for(probe, REGISTRY["officials"].objects.all())),
        "unit": sample(records_for(probe, REGISTRY["units"].objects.all())),
        "alert": sample(alerts_for(probe)),
    }
    return {"city": city, "users": readers, "clerk": clerk, "targets": targets}
