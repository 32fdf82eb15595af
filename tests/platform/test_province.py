"""Beyond one prefecture (scale > 1): a provincial commission account sees every demo city; the city's accounts
stay with 349900; `jiandu bench-pages` samples only what its user may open."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from jiandu.accounts.access import records_for
from jiandu.accounts.models import Organisation, User
from jiandu.demo_accounts import demo_accounts
from jiandu.portraits.bench import bench_pages
from jiandu.registry.models import REGISTRY
from tests import builders

pytestmark = pytest.mark.django_db


def _city(prefix: str, serial: int) -> object:
    """A prefecture with its government (市), one county bureau (县) and one official there."""
    city, county = f"{prefix}00", f"{prefix}02"
    builders.make_record(
        "units",
        city,
        unit_code=builders.make_uscc(city, serial),
        name=f"{prefix}市人民政府",
        region_code=city,
        kind="党政机关",
        level="市",
    )
    bureau = builders.make_uscc(county, serial + 1)
    builders.make_record(
        "units",
        county,
        unit_code=bureau,
        name=f"{prefix}区住建局",
        region_code=county,
        kind="党政机关",
        level="县",
    )
    person = builders.make_id(county, "19700101", serial)
    builders.make_record(
        "positions",
        county,
        id_number=person,
        unit_code=bureau,
        title="局长",
        is_principal=True,
        is_team_member=True,
        start_date=dt.date(2020, 1, 1),
    )
    return builders.make_record("officials", county, id_number=person, name=f"官员{prefix}")


def _accounts() -> str:
    result = CliRunner().invoke(demo_accounts, [])
    assert result.exit_code == 0, result.output
    return result.output


def test_three_cities_get_a_province_account_that_sees_them_all():
    officials = [_city(prefix, n) for n, prefix in ((10, "3499"), (20, "3498"), (30, "3497"))]
    _accounts()
    province = User.objects.get(username="province")
    assert province.jurisdiction == "340000"
    assert province.organisation.kind == Organisation.Kind.PROVINCE_COMMISSION
    assert not province.organisation.is_partner  # a commission: registry and alerts are not withheld
    model = REGISTRY["officials"]
    assert set(records_for(province, model.objects.all())) == set(officials)
    # The city accounts stay with the demo's first city (349900), though 349700 sorts first; its counties too.
    supervisor = User.objects.get(username="supervisor")
    assert supervisor.jurisdiction == "349900"
    assert User.objects.get(username="county").jurisdiction.startswith("3499")
    assert set(records_for(supervisor, model.objects.all())) == {officials[0]}


def test_province_opens_an_official_of_another_city_the_city_is_refused():
    _city("3499", 10)
    other = _city("3497", 30)
    _accounts()
    url = reverse("official_portrait", args=[other.pk])
    for username, status in (("province", 200), ("supervisor", 404), ("county", 404)):
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == status, username


def test_one_city_has_no_province_account():
    _city("3499", 10)
    output = _accounts()
    assert "province" not in output and not User.objects.filter(username="province").exists()
    assert User.objects.get(username="supervisor").jurisdiction == "349900"


def test_bench_pages_samples_only_what_its_user_may_open():
    for n, prefix in ((10, "3499"), (20, "3498"), (30, "3497")):
        _city(prefix, n)
    # Every official and unit is sampled (samples > rows): on a city-bound user the 3497/3498 ones were 404s.
    result = CliRunner().invoke(bench_pages, ["--samples", "10"])
    assert result.exit_code == 0, result.output
    assert "user jurisdiction 340000" in result.output and "officials 3," in result.output
