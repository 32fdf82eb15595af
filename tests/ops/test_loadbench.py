"""The load benchmark's own parts: its accounts pass the real sign-in (password + TOTP) and open exactly what
their jurisdiction allows; its figures (percentiles, failures per status) are computed as stated."""

from __future__ import annotations

import pyotp
import pytest
from django.test import Client

from jiandu.ops.loadbench.accounts import accounts_and_targets
from jiandu.ops.loadbench.client import Sample, page_path
from jiandu.ops.loadbench.report import failures, page_table, percentile
from tests import builders

pytestmark = pytest.mark.django_db


def _city_with_outsider() -> tuple[object, object]:
    mine = builders.make_record(
        "units",
        "349902",
        unit_code=builders.make_uscc("349902", 1),
        name="本市局",
        region_code="349902",
        kind="党政机关",
        level="县",
    )
    builders.make_record(
        "units",
        "349900",
        unit_code=builders.make_uscc("349900", 2),
        name="市政府",
        region_code="349900",
        kind="党政机关",
        level="市",
    )
    other = builders.make_record(
        "units",
        "349702",
        unit_code=builders.make_uscc("349702", 3),
        name="外市局",
        region_code="349702",
        kind="党政机关",
        level="县",
    )
    builders.make_record("officials", "349902", id_number=builders.make_id("349902"), name="本市干部")
    return mine, other


def test_accounts_sign_in_with_password_and_totp_and_see_only_their_city(settings):
    settings.JIANDU_REQUIRE_TOTP = True
    settings.JIANDU_RECUSAL_REQUIRE_LINK = True
    mine, other = _city_with_outsider()
    plan = accounts_and_targets(2)
    assert plan["city"] == "349900" and [u["username"] for u in plan["users"]] == ["load-01", "load-02"]
    assert other.pk not in plan["targets"]["unit"] and mine.pk in plan["targets"]["unit"]
    account = plan["users"][0]
    client = Client()
    client.post("/login/", {"username": account["username"], "password": account["password"]})
    assert client.get(f"/units/{mine.pk}/").status_code == 302  # second factor first
    client.post("/account/totp/verify/", {"code": pyotp.TOTP(account["totp"]).now()})
    # Linked identity (recusal can be checked) and TOTP passed: the unit opens; the other city's does not.
    assert client.get(f"/units/{mine.pk}/").status_code == 200
    assert client.get(f"/units/{other.pk}/").status_code == 404
    clerk = Client()
    clerk.post("/login/", {"username": plan["clerk"]["username"], "password": plan["clerk"]["password"]})
    clerk.post("/account/totp/verify/", {"code": pyotp.TOTP(plan["clerk"]["totp"]).now()})
    assert clerk.get("/deliveries/upload/").status_code == 200


def test_figures():
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile(list(map(float, range(1, 101))), 0.95) == 95.0
    samples = [Sample("unit", "busy", 200, float(ms)) for ms in range(1, 21)]
    samples += [Sample("unit", "busy", 502, 9999.0), Sample("unit", "busy", 0, 60000.0, "ReadTimeout")]
    [unit, everything] = page_table(samples, {"busy": 11.0})
    assert (unit["page"], unit["n"], unit["5xx"], unit["other_failures"], unit["per_s"]) == (
        "unit",
        22,
        1,
        1,
        2.0,
    )
    assert unit["p95_ms"] == 19.0 and unit["max_ms"] == 20.0  # failed requests are counted, not timed
    assert everything["page"] == "all" and everything["n"] == 22
    assert failures(samples) == {"502": 1, "0 ReadTimeout": 1}


def test_page_paths_stay_inside_the_targets():
    import random

    targets = {"official": [7], "unit": [8], "alert": [9]}
    rng = random.Random(1)
    assert page_path("official", targets, rng) == "/officials/7/"
    assert page_path("unit", targets, rng) == "/units/8/"
    assert page_path("alert", targets, rng) == "/alerts/9/"
    assert page_path("dashboard", targets, rng) == "/dashboard/"
