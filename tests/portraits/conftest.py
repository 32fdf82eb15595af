"""The portrait scenario shared by page tests and end-to-end browser tests."""

from __future__ import annotations

import datetime as dt

import pytest

from jiandu.alerts.scanning import scan_run
from tests import builders

A = builders.COUNTY_A


@pytest.fixture
def city(people):  # type: ignore[no-untyped-def]
    """A director whose brother-in-law's company won the bureau's tender, with family, property, evaluations."""
    director = builders.make_id(A, "19700101", 1)
    spouse = builders.make_id(A, "19720202", 2)
    brother = builders.make_id(A, "19750303", 3)
    bureau = builders.make_uscc(A, 10)
    company = builders.make_uscc(A, 20)
    unit = builders.make_record(
        "units",
        A,
        unit_code=bureau,
        name="甲县住房和城乡建设局",
        region_code=A,
        kind="党政机关",
        level="县",
        sector="住建",
    )
    official = builders.make_record(
        "officials", A, id_number=director, name="王建国", birth_date=dt.date(1970, 1, 1)
    )
    builders.make_record(
        "positions",
        A,
        id_number=director,
        unit_code=bureau,
        title="局长",
        is_principal=True,
        is_team_member=True,
        start_date=dt.date(2019, 1, 1),
        oversees=["住建"],
    )
    for year in (2023, 2024):
        builders.make_record(
            "family_members",
            A,
            declarant_id=director,
            year=year,
            relation="配偶",
            name="李芳",
            id_number=spouse,
        )
    builders.make_record(
        "family_members",
        A,
        declarant_id=director,
        year=2024,
        relation="兄弟姐妹",
        name="王建军",
        id_number=brother,
    )
    builders.make_record(
        "companies", A, uscc=company, name="甲县宏达建筑工程有限公司", founded=dt.date(2018, 5, 1)
    )
    builders.make_record(
        "company_roles",
        A,
        uscc=company,
        holder_name="王建军",
        holder_id=brother,
        role="股东",
        start_date=dt.date(2020, 1, 1),
    )
    builders.make_record(
        "tenders",
        A,
        tender_no="JX-2024-001",
        title="县城道路改造工程",
        buyer_code=bureau,
        method="公开招标",
        category="工程",
        budget=5_000_000,
        notice_date=dt.date(2024, 3, 1),
        deadline=dt.date(2024, 3, 25),
        award_date=dt.date(2024, 4, 1),
    )
    builders.make_record(
        "bids",
        A,
        tender_no="JX-2024-001",
        bidder_code=company,
        bidder_name="甲县宏达建筑工程有限公司",
        price=4_900_000,
        won=True,
    )
    builders.make_record(
        "real_estate",
        A,
        unit_no="U-1",
        owner_name="王建国",
        owner_id=director,
        location="甲县幸福路1号",
        area_m2=120,
        registered=dt.date(2022, 6, 1),
        price=900_000,
    )
    for rater, score in (("纪委监委", 80), ("组织部", 85), ("干部群众", 60), ("家属", 90)):
        builders.make_record(
            "evaluations", A, id_number=director, year=2025, rater=rater, integrity=score, duty=80, conduct=80
        )
    scan_run(as_of=dt.date(2026, 6, 30), codes=["COI-01"])
    return {"official": official, "unit": unit, "director": director}
