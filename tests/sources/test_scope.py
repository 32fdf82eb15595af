"""scope_region after each delivery: derived from units, positions, tenders and uscc, in any delivery order."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.analytics.contract import load_contract
from jiandu.registry.models import REGISTRY
from jiandu.sources.services import sheet_store
from tests import builders
from tests.sources.samples import sample_rows, sample_sheet

pytestmark = pytest.mark.django_db
CONTRACT = load_contract()


def deliver(table: str, rows) -> None:  # type: ignore[no-untyped-def]
    sheet_store(sheet=sample_sheet(table, rows), delivery=builders.make_delivery())


def one(table: str, **values):  # type: ignore[no-untyped-def]
    row = sample_rows(CONTRACT[table], 1)[0]
    row.update(values)
    return row


UNIT_A = builders.make_uscc(builders.COUNTY_A, 501)
UNIT_B = builders.make_uscc(builders.COUNTY_B, 502)
PERSON = builders.make_id(seq=42)


def scopes(table: str) -> list[str]:
    return list(REGISTRY[table].objects.order_by("id").values_list("scope_region", flat=True))


def test_units_rows_about_units_bids_and_people_follow_the_unit_region():
    deliver("units", [one("units", unit_code=UNIT_A, region_code=builders.COUNTY_A)])
    deliver("units", [one("units", unit_code=UNIT_B, region_code=builders.COUNTY_B)])
    deliver("payments", [one("payments", payer_code=UNIT_B)])
    deliver("tenders", [one("tenders", buyer_code=UNIT_A, tender_no="T1")])
    deliver("bids", [one("bids", tender_no="T1")])
    deliver(
        "positions", [one("positions", id_number=PERSON, unit_code=UNIT_A, start_date=dt.date(2020, 1, 1))]
    )
    deliver("officials", [one("officials", id_number=PERSON)])
    deliver("tax_income", [one("tax_income", id_number=PERSON)])
    deliver("petitions", [one("petitions", subject_id=None)])
    assert scopes("units") == [builders.COUNTY_A, builders.COUNTY_B]
    assert scopes("payments") == [builders.COUNTY_B]
    assert scopes("tenders") == [builders.COUNTY_A]
    assert scopes("bids") == [builders.COUNTY_A]
    assert scopes("officials") == [builders.COUNTY_A]
    assert scopes("tax_income") == [builders.COUNTY_A]
    assert scopes("petitions") == [""]
    # A later position in the other county moves the person and everything about them.
    deliver(
        "positions", [one("positions", id_number=PERSON, unit_code=UNIT_B, start_date=dt.date(2023, 5, 1))]
    )
    assert scopes("officials") == [builders.COUNTY_B]
    assert scopes("tax_income") == [builders.COUNTY_B]


def test_units_delivered_last_still_scope_earlier_rows():
    deliver("payments", [one("payments", payer_code=UNIT_A)])
    deliver("tenders", [one("tenders", buyer_code=UNIT_A, tender_no="T9")])
    deliver("bids", [one("bids", tender_no="T9")])
    assert scopes("payments") == [""] and scopes("bids") == [""]
    deliver("units", [one("units", unit_code=UNIT_A, region_code=builders.COUNTY_A)])
    assert scopes("payments") == [builders.COUNTY_A]
    assert scopes("bids") == [builders.COUNTY_A]


def test_companies_take_the_registering_region_from_the_uscc():
    deliver("companies", [one("companies", uscc=builders.make_uscc("330106", 7))])
    deliver("company_roles", [one("company_roles", uscc=builders.make_uscc("330106", 7))])
    assert scopes("companies") == ["330106"]
    assert scopes("company_roles") == ["330106"]
