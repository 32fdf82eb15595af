"""Every protected view: the owner sees, the outsider county and roles without the right get 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.access import records_for
from jiandu.accounts.models import region_prefix
from jiandu.registry.models import REGISTRY
from tests import builders

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_region_prefix_strips_trailing_zero_pairs():
    assert region_prefix("349900") == "3499"
    assert region_prefix("340000") == "34"
    assert region_prefix("349902") == "349902"


@pytest.mark.parametrize("table", sorted(REGISTRY))
def test_registry_detail_refuses_outsider_and_roles_without_right(people, table):
    record = builders.make_record(table, builders.COUNTY_A)
    url = reverse("registry_detail", args=[table, record.pk])
    assert client_for(people["owner"]).get(url).status_code == 200
    assert client_for(people["colleague"]).get(url).status_code == 200
    assert client_for(people["city"]).get(url).status_code == 200
    assert client_for(people["outsider"]).get(url).status_code == 404
    assert client_for(people["clerk"]).get(url).status_code == 404
    assert client_for(people["admin"]).get(url).status_code == 404
    assert client_for(people["partner"]).get(url).status_code == 404


def test_registry_list_shows_only_own_county(people):
    mine = builders.make_record("units", builders.COUNTY_A, name="甲县住房和城乡建设局")
    theirs = builders.make_record(
        "units", builders.COUNTY_B, name="乙县住房和城乡建设局", unit_code=builders.make_uscc(serial=99)
    )
    url = reverse("registry_list", args=["units"])
    body = client_for(people["owner"]).get(url).content.decode()
    assert mine.name in body and theirs.name not in body
    body = client_for(people["city"]).get(url).content.decode()
    assert mine.name in body and theirs.name in body
    assert client_for(people["clerk"]).get(url).status_code == 200
    assert theirs.name not in client_for(people["clerk"]).get(url).content.decode()
    assert mine.name not in client_for(people["clerk"]).get(url).content.decode()


def test_unscoped_rows_visible_to_city_only(people):
    row = builders.make_record("companies", "")
    from jiandu.registry.models import Company

    assert records_for(people["city"], Company.objects.all()).filter(pk=row.pk).exists()
    assert not records_for(people["owner"], Company.objects.all()).filter(pk=row.pk).exists()


def test_unknown_table_and_missing_row_are_404(people):
    client = client_for(people["city"])
    assert client.get(reverse("registry_list", args=["nope"])).status_code == 404
    assert client.get(reverse("registry_detail", args=["units", 999999])).status_code == 404


def test_registry_index_requires_view_right(people):
    url = reverse("registry_index")
    assert client_for(people["owner"]).get(url).status_code == 200
    assert client_for(people["clerk"]).get(url).status_code == 404
    assert client_for(people["partner"]).get(url).status_code == 404


def test_inactive_user_sees_nothing(people):
    user = people["city"]
    builders.make_record("units", builders.COUNTY_A)
    from jiandu.registry.models import Unit

    user.is_active = False
    assert records_for(user, Unit.objects.all()).count() == 0


def test_anonymous_is_sent_to_login(db):
    response = Client().get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_registry_pages_mask_id_numbers(people):
    person = builders.make_id(seq=7)
    row = builders.make_record("officials", builders.COUNTY_A, id_number=person, name="张三")
    client = client_for(people["owner"])
    for url in (
        reverse("registry_detail", args=["officials", row.pk]),
        reverse("registry_list", args=["officials"]),
    ):
        body = client.get(url).content.decode()
        assert "张三" in body and person not in body and person[:6] + "********" + person[-4:] in body
