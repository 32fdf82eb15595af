"""Planted conflicts of interest (COI-01 … COI-06), following the relative semantics of
analytics-interface.md: close relatives from any year's declaration, 配偶父母 and in-laws through a
declaring spouse one grade lower, time-bounded roles and positions compared inclusively."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.plant.builders import NOTICE, D, Planter, official_key
from jiandu.demo.plant.coi_family import coi03, coi04, coi05, coi06

DAY = dt.timedelta(days=1)


def plant_coi(p: Planter) -> None:
    for fn in (coi01, coi02, coi03, coi04, coi05, coi06):
        fn(p)


def _winner_tender(p: Planter, unit, company, notice=NOTICE):
    t = p.tender(unit, company, notice=notice)
    return t, t.tender["award_date"]


def coi01(p: Planter) -> None:
    r = "COI-01"
    # 1 spouse shareholder, official principal of the buyer
    u = p.unit("住建")
    o, pos = p.official(u)
    s = p.relative(o, "配偶")
    c = p.company()
    role = p.role(c, s, "股东", D(2018, 6, 1))
    t, _ = _winner_tender(p, u, c)
    p.declare(o, (2023, 2024, 2025))
    p.hit(
        r,
        "spouse is shareholder of the winner; official is principal of the buyer",
        official_key(o),
        p.ref("positions", pos),
        p.ref("family_members", p.family_row(o, s, 2024)),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
        p.ref("tenders", t.tender),
    )
    # 2 brother is legal representative; deputy oversees the buyer by unit code
    parent = p.unit("交通", kind="党政机关")
    child = p.unit("交通", parent=parent)
    o, pos = p.official(parent, "副局长", "副科", principal=False, oversees=(child.code,))
    b = p.relative(o, "兄弟姐妹")
    c = p.company(legal_rep=b)
    t, _ = _winner_tender(p, child, c, D(2023, 9, 5))
    p.declare(o, (2023, 2024))
    p.hit(
        r,
        "brother is the winner's legal representative; deputy oversees the buyer (unit code)",
        official_key(o),
        p.ref("positions", pos),
        p.ref("family_members", p.family_row(o, b, 2023)),
        p.ref("companies", _crow(p, c)),
        p.ref("bids", t.bids[0]),
    )
    # 3 sister-in-law through the spouse's sibling (spouse is a declaring official too)
    u = p.unit("水利")
    o, pos = p.official(u, gender="男")
    spouse, spos = p.official(p.unit("教育"), "副校长", None, principal=False, gender="女")
    p.relative(o, "配偶", spouse)
    p.relative(spouse, "配偶", o)
    sil = p.relative(spouse, "兄弟姐妹", p.person("女", D(1980, 3, 3), surname=spouse.name[0]))
    c = p.company()
    role = p.role(c, sil, "股东", D(2016, 2, 1))
    t, _ = _winner_tender(p, u, c, D(2024, 8, 1))
    p.declare(o, (2024,))
    p.declare(spouse, (2024,))
    p.hit(
        r,
        "sister-in-law via spouse's sibling (spouse declares her sister; one grade lower)",
        official_key(o),
        p.ref("positions", pos),
        p.ref("family_members", p.family_row(o, spouse, 2024)),
        p.ref("family_members", p.family_row(spouse, sil, 2024)),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )
    # 4 child's role ends exactly on the award date (held at D)
    u = p.unit("医疗卫生")
    o, pos = p.official(u, "党支部书记、院长")
    k = p.relative(o, "子女")
    c = p.company("货物")
    t = p.tender(u, c, category="货物", budget=1_500_000, notice=D(2025, 3, 3))
    role = p.role(c, k, "股东", D(2021, 1, 1), t.tender["award_date"])
    p.declare(o, (2023, 2024, 2025))
    p.hit(
        r,
        "child's shareholding ends on the award date (held at D)",
        official_key(o),
        p.ref("positions", pos),
        p.ref("family_members", p.family_row(o, k, 2024)),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )
    # 5 payment to the company of a child's spouse declared without ID number
    u = p.unit("综合")
    o, pos = p.official(u)
    k = p.relative(o, "子女")
    ks = p.relative(o, "子女配偶")
    c = p.company("服务")
    role = p.role(c, ks, "股东", D(2019, 1, 1))
    pay = p.payment(u, c, 86_000, D(2025, 3, 18))
    p.declare(o, (2024, 2025), without_id={ks.id_number})
    del k
    p.hit(
        r,
        "payment to the company of a child's spouse declared without ID (needs resolution)",
        official_key(o),
        p.ref("positions", pos),
        p.ref("family_members", p.family_row(o, ks, 2025)),
        p.ref("company_roles", role),
        p.ref("payments", pay),
    )
    # 6 spouse's parent: counts one grade lower
    u = p.unit("住建")
    o, pos = p.official(u, "副主任", None, principal=False, oversees=("住建",))
    p.relative(o, "配偶")
    fil = p.relative(o, "配偶父母", p.person("男", D(1950, 5, 5)))
    c = p.company()
    role = p.role(c, fil, "股东", D(2017, 1, 1))
    t = p.tender(u, c, notice=D(2022, 6, 1))
    p.declare(o, (2022, 2023))
    p.hit(
        r,
        "spouse's father is shareholder (配偶父母, one grade lower)",
        official_key(o),
        p.ref("positions", pos),
        p.ref("family_members", p.family_row(o, fil, 2022)),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )
    # misses
    u = p.unit("交通")
    o, pos = p.official(u)
    s = p.relative(o, "配偶")
    c = p.company()
    t = p.tender(u, c, notice=D(2024, 5, 6))
    role = p.role(c, s, "股东", t.tender["award_date"] + DAY)
    p.declare(o, (2024, 2025))
    p.miss(
        r,
        "spouse becomes shareholder the day after the award",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )
    u = p.unit("水利")
    o, pos = p.official(u)
    b = p.relative(o, "兄弟姐妹")
    c = p.company()
    t = p.tender(u, c, notice=D(2023, 10, 9))
    role = p.role(c, b, "股东", D(2015, 1, 1), t.tender["award_date"] - DAY)
    p.declare(o, (2023, 2024))
    p.miss(
        r,
        "brother's shareholding ended the day before the award",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )
    u = p.unit("教育")
    c = p.company("货物")
    t = p.tender(u, c, category="货物", budget=1_200_000, notice=D(2024, 2, 1))
    o, pos = p.official(u, "党支部书记、校长", None, start=D(2018, 1, 1), end=t.tender["award_date"] - DAY)
    p.host_official(person=o, start=t.tender["award_date"])
    s = p.relative(o, "配偶")
    role = p.role(c, s, "股东", D(2016, 1, 1))
    p.declare(o, (2023, 2024))
    p.miss(
        r,
        "official left the buyer the day before the award (COI-04 territory, not COI-01)",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )
    u, other = p.unit("住建"), p.unit("住建")
    o, pos = p.official(u)
    k = p.relative(o, "子女")
    c = p.company()
    role = p.role(c, k, "股东", D(2018, 1, 1))
    t = p.tender(other, c, notice=D(2024, 9, 2))
    p.declare(o, (2024, 2025))
    p.miss(
        r,
        "child's company wins at a sibling unit the official has no power over",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
        p.ref("bids", t.bids[0]),
    )


def _crow(p: Planter, company) -> dict:
    return next(r for r in p.world.rows["companies"] if r["uscc"] == company.uscc)


def coi02(p: Planter) -> None:
    r = "COI-02"
    shapes = (
        ("shareholder throughout the position", "股东", D(2017, 1, 1), None, D(2019, 3, 1), None),
        (
            "role ends on the position's start date (one-day overlap)",
            "监事",
            D(2016, 1, 1),
            D(2020, 6, 1),
            D(2020, 6, 1),
            None,
        ),
        (
            "becomes legal representative while in office",
            "法定代表人",
            D(2023, 4, 1),
            None,
            D(2018, 1, 1),
            None,
        ),
        (
            "finance officer from the last day of the position (one-day overlap)",
            "财务负责人",
            D(2019, 1, 1),
            D(2019, 12, 31),
            D(2015, 1, 1),
            D(2019, 1, 1),
        ),
    )
    for shape, role_name, rs, re_, ps, pe in shapes:
        o, pos = p.host_official(start=ps, end=pe)
        c = p.company("其他")
        role = p.role(c, o, role_name, rs, re_)
        p.hit(r, shape, official_key(o), p.ref("positions", pos), p.ref("company_roles", role))
    o, pos = p.host_official(start=D(2020, 6, 1))
    c = p.company("其他")
    role = p.role(c, o, "股东", D(2014, 1, 1), D(2020, 5, 31))
    p.miss(
        r,
        "shareholding ended the day before the position started",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
    )
    o, pos = p.host_official(start=D(2016, 1, 1), end=D(2022, 3, 31))
    c = p.company("其他")
    role = p.role(c, o, "股东", D(2022, 4, 1))
    p.miss(
        r,
        "becomes shareholder the day after the last position ended",
        official_key(o),
        p.ref("positions", pos),
        p.ref("company_roles", role),
    )
    o, pos = p.host_official()
    namesake = p.person(o.gender, D(1990, 1, 1), surname=o.name[0])
    namesake.name = o.name
    c = p.company("其他", legal_rep=namesake)
    p.miss(
        r,
        "namesake (same name, different ID) is legal representative",
        official_key(o),
        p.ref("positions", pos),
        p.ref("companies", _crow(p, c)),
    )
