"""Planted asset cases (AST-01 … AST-03). Household income is flat over the years so any five-year
window gives the same ratio; purchases fall in 2021–2025 (the five calendar years before the scan date)."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.families import add_bank, add_income, add_property
from jiandu.demo.plant.builders import D, Planter, official_key
from jiandu.demo.world import yuan


def plant_ast(p: Planter) -> None:
    ast01(p)
    ast02(p)
    ast03(p)


def ast01(p: Planter) -> None:
    r = "AST-01"
    # household income: official 150,000 + spouse 100,000 a year → 1,250,000 over 5 years → 3× = 3,750,000
    for shape, buys, expect in (
        ("official buys a 4,000,000 flat", (("self", 4_000_000, D(2024, 5, 1)),), "hit"),
        (
            "spouse 2,500,000 and child 2,000,000 within the window",
            (("配偶", 2_500_000, D(2022, 3, 1)), ("子女", 2_000_000, D(2024, 8, 1))),
            "hit",
        ),
        (
            "purchases 0.01 yuan above three times the income",
            (("self", 2_000_000, D(2023, 1, 9)), ("配偶", 1_750_000.01, D(2025, 2, 2))),
            "hit",
        ),
        ("purchases exactly three times the income", (("self", 3_750_000, D(2023, 6, 6)),), "miss"),
        (
            "the official's brother buys a 10,000,000 villa (not the household)",
            (("兄弟姐妹", 10_000_000, D(2024, 4, 4)),),
            "miss",
        ),
    ):
        o, pos = p.host_official(start=D(2017, 1, 1))
        spouse = p.relative(o, "配偶")
        add_income(p.world, [o, spouse], annual=[yuan(150_000), yuan(100_000)], protected=True)
        records = []
        for who, price, day in buys:
            owner = o if who == "self" else spouse if who == "配偶" else p.relative(o, who)
            row = add_property(p.world, owner, registered=day, price=yuan(price), protected=True)
            records.append(p.ref("real_estate", row))
        p.declare(o, (2021,))
        records += [
            {"table": "tax_income", "key": {"id_number": x.id_number, "year": 2024}} for x in (o, spouse)
        ]
        p.case(r, expect, shape, official_key(o), records)


def ast02(p: Planter) -> None:
    r = "AST-02"
    for shape, owner_kind, registered, years, declared_as, expect in (
        ("flat registered 2024-05-10, never declared", "self", D(2024, 5, 10), (2024, 2025), None, "hit"),
        (
            "spouse's flat registered 2023-03-01, left out 2023–2025",
            "配偶",
            D(2023, 3, 1),
            (2023, 2024, 2025),
            None,
            "hit",
        ),
        (
            "flat registered 2025-12-20, left out of the 2025 report",
            "self",
            D(2025, 12, 20),
            (2025,),
            None,
            "hit",
        ),
        (
            "flat registered 2026-01-05, after the last declaration year",
            "self",
            D(2026, 1, 5),
            (2024, 2025),
            None,
            "miss",
        ),
        (
            "declared with a differently written address, same area",
            "self",
            D(2022, 7, 1),
            (2023, 2024),
            "text",
            "miss",
        ),
        (
            "declared with another address and an area 0.5 m² off",
            "配偶",
            D(2022, 7, 1),
            (2023, 2024),
            "area",
            "miss",
        ),
    ):
        o, pos = p.host_official(start=D(2017, 1, 1))
        spouse = p.relative(o, "配偶")
        add_property(p.world, o, registered=D(2012, 4, 1), area=yuan(89.5), protected=True)
        owner = o if owner_kind == "self" else spouse
        row = add_property(p.world, owner, registered=registered, area=yuan(132.0), protected=True)
        p.declare(o, years, omit={row["unit_no"]})
        if declared_as:
            for year in years:
                text = (
                    row["location"].replace("栋", "幢").replace("室", "")
                    if declared_as == "text"
                    else "城区住房一套"
                )
                area = row["area_m2"] if declared_as == "text" else row["area_m2"] - 50
                p.world.add(
                    "declared_assets",
                    {
                        "declarant_id": o.id_number,
                        "year": year,
                        "category": "房产",
                        "holder_relation": "本人" if owner is o else "配偶",
                        "description": text,
                        "counterpart_code": None,
                        "area_m2": area,
                        "amount": row["price"],
                        "_persons": {"declarant_id": o.id_number},
                        "_protected": True,
                    },
                )
        p.case(r, expect, shape, official_key(o), [p.ref("real_estate", row), p.ref("positions", pos)])


def ast03(p: Planter) -> None:
    r = "AST-03"
    for shape, who, txs, expect in (
        (
            "two cash deposits of 100,000 twenty days apart (exactly 200,000)",
            None,
            ((100_000, 0, "现金"), (100_000, 20, "现金")),
            "hit",
        ),
        ("spouse withdraws 250,000 in cash at once", "配偶", ((250_000, 0, "现金"),), "hit"),
        (
            "brother: three cash deposits of 70,000 within 25 days",
            "兄弟姐妹",
            ((70_000, 0, "现金"), (70_000, 12, "现金"), (70_000, 25, "现金")),
            "hit",
        ),
        (
            "100,000 + 99,999.99 in cash (just below)",
            None,
            ((100_000, 0, "现金"), (99_999.99, 10, "现金")),
            "miss",
        ),
        (
            "two cash deposits of 120,000 thirty-one days apart",
            None,
            ((120_000, 0, "现金"), (120_000, 31, "现金")),
            "miss",
        ),
        ("a 300,000 transfer (not cash)", None, ((300_000, 0, "转账"),), "miss"),
    ):
        o, pos = p.host_official(start=D(2018, 1, 1))
        holder = p.relative(o, who) if who else o
        p.declare(o, (2024, 2025))
        rows = [
            add_bank(
                p.world,
                holder,
                D(2025, 3, 3) + dt.timedelta(days=d),
                yuan(a),
                "收",
                mode,
                None if mode == "现金" else p.person(),
                protected=True,
            )
            for a, d, mode in txs
        ]
        p.case(r, expect, shape, official_key(o), [p.ref("bank_transactions", x) for x in rows])
