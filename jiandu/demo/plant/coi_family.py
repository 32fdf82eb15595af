"""Planted conflicts of interest COI-03 … COI-06: undeclared businesses, the cooling-off period after
leaving a post, relatives in the same line of command, money from a unit's suppliers."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.families import add_bank
from jiandu.demo.plant.builders import D, Planter, official_key
from jiandu.demo.world import yuan

DAY = dt.timedelta(days=1)


def coi03(p: Planter) -> None:
    r = "COI-03"
    cases = (
        (
            "spouse is shareholder; 2024 and 2025 declarations omit it",
            "配偶",
            "股东",
            D(2023, 5, 1),
            None,
            (2024, 2025),
            True,
            "hit",
        ),
        (
            "child is legal representative; omitted",
            "子女",
            "法定代表人",
            D(2022, 1, 10),
            None,
            (2024, 2025),
            True,
            "hit",
        ),
        (
            "child's spouse becomes shareholder on 12-31 (held at 12-31)",
            "子女配偶",
            "股东",
            D(2025, 12, 31),
            None,
            (2025,),
            True,
            "hit",
        ),
        (
            "spouse's company declared with its credit code",
            "配偶",
            "股东",
            D(2023, 5, 1),
            None,
            (2024, 2025),
            False,
            "miss",
        ),
        (
            "spouse's role ended on 12-30 of the year",
            "配偶",
            "监事",
            D(2025, 3, 1),
            D(2025, 12, 30),
            (2024, 2025),
            True,
            "miss",
        ),
        (
            "father's company (relation not covered by the declaration)",
            "父亲",
            "法定代表人",
            D(2020, 1, 1),
            None,
            (2024, 2025),
            True,
            "miss",
        ),
    )
    for shape, relation, role_name, rs, re_, years, omit, expect in cases:
        o, pos = p.host_official(start=D(2018, 3, 1))
        rel = p.relative(o, relation)
        c = p.company("其他", legal_rep=rel if role_name == "法定代表人" else None)
        role = (
            p.role(c, rel, role_name, rs, re_)
            if role_name != "法定代表人"
            else next(
                x for x in p.world.rows["company_roles"] if x["uscc"] == c.uscc and x["role"] == "法定代表人"
            )
        )
        p.declare(o, years, omit={c.uscc} if omit else None)
        records = [p.ref("family_members", p.family_row(o, rel, years[-1])), p.ref("company_roles", role)]
        p.case(r, expect, shape, official_key(o), records)
    o, pos = p.host_official(start=D(2018, 3, 1))
    s = p.relative(o, "配偶")
    c = p.company("其他")
    role = p.role(c, s, "股东", D(2025, 2, 1))
    p.declare(o, (2023, 2024), omit={c.uscc})
    p.miss(
        r,
        "spouse's shareholding starts in 2025, a year with no declaration filed",
        official_key(o),
        p.ref("family_members", p.family_row(o, s, 2024)),
        p.ref("company_roles", role),
    )


def coi04(p: Planter) -> None:
    r = "COI-04"
    specs = (
        ("son's company wins at the former unit 14 months after the official left", "子女", 425, "hit"),
        ("spouse's company wins 2 years 360 days after the official left", "配偶", 1090, "hit"),
        (
            "brother's company wins 3 years and 30 days after (outside cooling period)",
            "兄弟姐妹",
            1125,
            "miss",
        ),
    )
    for shape, relation, delay, expect in specs:
        u = p.unit("住建")
        o, pos = p.official(u, start=D(2017, 1, 1), end=D(2022, 3, 31))
        p.host_official(person=o, start=D(2022, 4, 1))
        rel = p.relative(o, relation)
        c = p.company()
        role = p.role(c, rel, "股东", D(2016, 1, 1))
        award = D(2022, 3, 31) + dt.timedelta(days=delay)
        t = p.tender(u, c, notice=award - dt.timedelta(days=35), days=25, award_after=10)
        p.declare(o, (2021, 2022, 2023))
        p.case(
            r,
            expect,
            shape,
            official_key(o),
            [p.ref("positions", pos), p.ref("company_roles", role), p.ref("bids", t.bids[0])],
        )
    u = p.unit("交通")
    o, pos = p.official(u, start=D(2015, 1, 1), end=D(2023, 1, 31))
    c = p.company()
    role = p.role(c, o, "股东", D(2023, 6, 1))
    con, _, _ = p.contract_for(u, c, 380_000, D(2025, 1, 20), None)
    p.hit(
        r,
        "retired official becomes shareholder; contract with his former unit 2 years later",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
        p.ref("contracts", con),
    )
    u = p.unit("水利")
    o, pos = p.official(u, start=D(2016, 1, 1), end=D(2023, 6, 30))
    p.host_official(person=o, start=D(2023, 7, 1))
    k = p.relative(o, "子女")
    c = p.company()
    t = p.tender(u, c, notice=D(2024, 11, 1))
    role = p.role(c, k, "股东", t.tender["award_date"] + DAY)
    p.declare(o, (2023, 2024))
    p.miss(
        r,
        "child becomes shareholder the day after the award",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )


def coi05(p: Planter) -> None:
    r = "COI-05"
    u = p.unit("综合")
    a, apos = p.official(u, gender="男", start=D(2019, 1, 1))
    b, bpos = p.official(u, "办公室主任", None, principal=False, team=False, gender="女", start=D(2020, 5, 1))
    p.relative(a, "配偶", b)
    p.declare(a, (2024,))
    p.hit(
        r,
        "husband and wife in the same unit",
        official_key(a),
        p.ref("positions", apos),
        p.ref("positions", bpos),
        p.ref("family_members", p.family_row(a, b, 2024)),
    )
    parent = p.unit("教育", kind="党政机关")
    child = p.unit("教育", parent=parent)
    f, fpos = p.official(parent, gender="男", start=D(2018, 1, 1))
    k, kpos = p.official(
        child,
        "副校长",
        None,
        principal=False,
        start=D(2021, 9, 1),
        person=p.person("男", D(1993, 2, 2), surname=f.name[0]),
    )
    p.relative(f, "子女", k)
    p.declare(f, (2022,))
    p.hit(
        r,
        "father heads the parent unit of his son's unit",
        official_key(f),
        p.ref("positions", fpos),
        p.ref("positions", kpos),
        p.ref("family_members", p.family_row(f, k, 2022)),
    )
    for shape, b_start, expect in (
        ("brothers in the same unit overlap by one day", D(2022, 6, 30), "hit"),
        ("brothers in the same unit: one left the day before the other came", D(2022, 7, 1), "miss"),
    ):
        u = p.unit("综合")
        a, apos = p.official(u, "副局长", "副科", principal=False, start=D(2018, 1, 1), end=D(2022, 6, 30))
        b, bpos = p.official(
            u,
            "办公室主任",
            None,
            principal=False,
            team=False,
            start=b_start,
            person=p.person("男", D(1982, 1, 1), surname=a.name[0]),
        )
        p.relative(a, "兄弟姐妹", b)
        p.declare(a, (2021,))
        p.case(
            r,
            expect,
            shape,
            official_key(a),
            [
                p.ref("positions", apos),
                p.ref("positions", bpos),
                p.ref("family_members", p.family_row(a, b, 2021)),
            ],
        )
    parent = p.unit("住建", kind="党政机关")
    x, y = p.unit("住建", parent=parent), p.unit("住建", parent=parent)
    a, apos = p.official(x, start=D(2019, 1, 1))
    b, bpos = p.official(y, start=D(2019, 1, 1), person=p.person("女", D(1979, 1, 1), surname=a.name[0]))
    p.relative(a, "兄弟姐妹", b)
    p.declare(a, (2023,))
    p.miss(
        r,
        "sisters head two sibling units (same parent, not a direct line)",
        official_key(a),
        p.ref("positions", apos),
        p.ref("positions", bpos),
    )


def coi06(p: Planter) -> None:
    r = "COI-06"
    specs = (
        ("official receives exactly 50,000 from his unit's supplier", None, 50_000, 150, "hit"),
        ("spouse receives 200,000 from a supplier paid 700 days earlier", "配偶", 200_000, 700, "hit"),
        ("brother receives 80,000 from a supplier", "兄弟姐妹", 80_000, 30, "hit"),
        ("49,999.99 from a supplier (below the amount)", None, 49_999.99, 60, "miss"),
        ("last supply 731 days before the transaction", "配偶", 300_000, 731, "miss"),
    )
    for shape, relation, amount, gap, expect in specs:
        u = p.unit("医疗卫生")
        o, pos = p.official(u, "党支部书记、院长", None)
        holder = p.relative(o, relation) if relation else o
        c = p.company("货物")
        pay = p.payment(u, c, 120_000, D(2023, 5, 10))
        tx = add_bank(
            p.world,
            holder,
            pay["paid"] + dt.timedelta(days=gap),
            yuan(amount),
            "收",
            "转账",
            c,
            protected=True,
        )
        p.declare(o, (2023, 2024, 2025))
        records = [p.ref("positions", pos), p.ref("payments", pay), p.ref("bank_transactions", tx)]
        if relation:
            records.insert(1, p.ref("family_members", p.family_row(o, holder, 2024)))
        p.case(r, expect, shape, official_key(o), records)
    u, other = p.unit("医疗卫生"), p.unit("医疗卫生")
    o, pos = p.official(u, "党支部书记、院长", None)
    c = p.company("货物")
    pay = p.payment(other, c, 90_000, D(2024, 1, 10))
    tx = add_bank(p.world, o, D(2024, 3, 1), yuan(100_000), "收", "转账", c, protected=True)
    p.miss(
        r,
        "the company supplies another unit, not one under the official",
        official_key(o),
        p.ref("positions", pos),
        p.ref("payments", pay),
        p.ref("bank_transactions", tx),
    )
