"""Planted conflicts of interest (COI-01 … COI-06), following the relative semantics of
analytics-interface.md: close relatives from any year's declaration, 配偶父母 and in-laws through a
declaring spouse one grade lower, time-bounded roles and positions compared inclusively."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.families import add_bank
from jiandu.demo.plant.builders import D, Planter, official_key
from jiandu.demo.world import yuan

DAY = dt.timedelta(days=1)


def plant_coi(p: Planter) -> None:
    for fn in (coi01, coi02, coi03, coi04, coi05, coi06):
        fn(p)


def _winner_tender(p: Planter, unit, company, notice=D(2024, 4, 1)):
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
    p.hit(r, "spouse is shareholder of the winner; official is principal of the buyer", official_key(o),
          p.ref("positions", pos), p.ref("family_members", p.family_row(o, s, 2024)), p.ref("company_roles", role),
          p.ref("bids", t.bids[0]), p.ref("tenders", t.tender))
    # 2 brother is legal representative; deputy oversees the buyer by unit code
    parent = p.unit("交通", kind="党政机关")
    child = p.unit("交通", parent=parent)
    o, pos = p.official(parent, "副局长", "副科", principal=False, oversees=(child.code,))
    b = p.relative(o, "兄弟姐妹")
    c = p.company(legal_rep=b)
    t, _ = _winner_tender(p, child, c, D(2023, 9, 5))
    p.declare(o, (2023, 2024))
    p.hit(r, "brother is the winner's legal representative; deputy oversees the buyer (unit code)", official_key(o),
          p.ref("positions", pos), p.ref("family_members", p.family_row(o, b, 2023)), p.ref("companies", _crow(p, c)),
          p.ref("bids", t.bids[0]))
    # 3 sister-in-law through the spouse's sibling (spouse is a declaring official too)
    u = p.unit("水利")
    o, pos = p.official(u, gender="男")
    spouse, spos = p.official(p.unit("教育"), "副校长", None, principal=False, gender="女")
    p.relative(o, "配偶", spouse)
    sil = p.relative(spouse, "兄弟姐妹", p.person("女", D(1980, 3, 3), surname=spouse.name[0]))
    c = p.company()
    role = p.role(c, sil, "股东", D(2016, 2, 1))
    t, _ = _winner_tender(p, u, c, D(2024, 8, 1))
    p.declare(o, (2024,))
    p.declare(spouse, (2024,))
    p.hit(r, "sister-in-law via spouse's sibling (spouse declares her sister; one grade lower)", official_key(o),
          p.ref("positions", pos), p.ref("family_members", p.family_row(o, spouse, 2024)),
          p.ref("family_members", p.family_row(spouse, sil, 2024)), p.ref("company_roles", role),
          p.ref("bids", t.bids[0]))
    # 4 child's role ends exactly on the award date (held at D)
    u = p.unit("医疗卫生")
    o, pos = p.official(u, "党支部书记、院长")
    k = p.relative(o, "子女")
    c = p.company("货物")
    t = p.tender(u, c, category="货物", budget=1_500_000, notice=D(2025, 3, 3))
    role = p.role(c, k, "股东", D(2021, 1, 1), t.tender["award_date"])
    p.declare(o, (2023, 2024, 2025))
    p.hit(r, "child's shareholding ends on the award date (held at D)", official_key(o), p.ref("positions", pos),
          p.ref("family_members", p.family_row(o, k, 2024)), p.ref("company_roles", role), p.ref("bids", t.bids[0]))
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
    p.hit(r, "payment to the company of a child's spouse declared without ID (needs resolution)", official_key(o),
          p.ref("positions", pos), p.ref("family_members", p.family_row(o, ks, 2025)), p.ref("company_roles", role),
          p.ref("payments", pay))
    # 6 spouse's parent: counts one grade lower
    u = p.unit("住建")
    o, pos = p.official(u, "副主任", None, principal=False, oversees=("住建",))
    fil = p.relative(o, "配偶父母", p.person("男", D(1950, 5, 5)))
    c = p.company()
    role = p.role(c, fil, "股东", D(2017, 1, 1))
    t = p.tender(u, c, notice=D(2022, 6, 1))
    p.declare(o, (2022, 2023))
    p.hit(r, "spouse's father is shareholder (配偶父母, one grade lower)", official_key(o), p.ref("positions", pos),
          p.ref("family_members", p.family_row(o, fil, 2022)), p.ref("company_roles", role), p.ref("bids", t.bids[0]))
    # misses
    u = p.unit("交通")
    o, pos = p.official(u)
    s = p.relative(o, "配偶")
    c = p.company()
    t = p.tender(u, c, notice=D(2024, 5, 6))
    role = p.role(c, s, "股东", t.tender["award_date"] + DAY)
    p.declare(o, (2024, 2025))
    p.miss(r, "spouse becomes shareholder the day after the award", official_key(o), p.ref("positions", pos),
           p.ref("company_roles", role), p.ref("bids", t.bids[0]))
    u = p.unit("水利")
    o, pos = p.official(u)
    b = p.relative(o, "兄弟姐妹")
    c = p.company()
    t = p.tender(u, c, notice=D(2023, 10, 9))
    role = p.role(c, b, "股东", D(2015, 1, 1), t.tender["award_date"] - DAY)
    p.declare(o, (2023, 2024))
    p.miss(r, "brother's shareholding ended the day before the award", official_key(o), p.ref("positions", pos),
           p.ref("company_roles", role), p.ref("bids", t.bids[0]))
    u = p.unit("教育")
    c = p.company("货物")
    t = p.tender(u, c, category="货物", budget=1_200_000, notice=D(2024, 2, 1))
    o, pos = p.official(u, "党支部书记、校长", None, start=D(2018, 1, 1), end=t.tender["award_date"] - DAY)
    p.official(p.unit("综合"), "副局长", "副科", principal=False, person=o, start=t.tender["award_date"])
    s = p.relative(o, "配偶")
    role = p.role(c, s, "股东", D(2016, 1, 1))
    p.declare(o, (2023, 2024))
    p.miss(r, "official left the buyer the day before the award (COI-04 territory, not COI-01)", official_key(o),
           p.ref("positions", pos), p.ref("company_roles", role), p.ref("bids", t.bids[0]))
    u, other = p.unit("住建"), p.unit("住建")
    o, pos = p.official(u)
    k = p.relative(o, "子女")
    c = p.company()
    role = p.role(c, k, "股东", D(2018, 1, 1))
    t = p.tender(other, c, notice=D(2024, 9, 2))
    p.declare(o, (2024, 2025))
    p.miss(r, "child's company wins at a sibling unit the official has no power over", official_key(o),
           p.ref("positions", pos), p.ref("company_roles", role), p.ref("bids", t.bids[0]))


def _crow(p: Planter, company) -> dict:
    return next(r for r in p.world.rows["companies"] if r["uscc"] == company.uscc)


def coi02(p: Planter) -> None:
    r = "COI-02"
    shapes = (("shareholder throughout the position", "股东", D(2017, 1, 1), None, D(2019, 3, 1), None),
              ("role ends on the position's start date (one-day overlap)", "监事", D(2016, 1, 1), D(2020, 6, 1),
               D(2020, 6, 1), None),
              ("becomes legal representative while in office", "法定代表人", D(2023, 4, 1), None, D(2018, 1, 1), None),
              ("financial officer role during an ended position", "财务负责人", D(2019, 1, 1), D(2019, 12, 31),
               D(2015, 1, 1), D(2019, 1, 1)))
    for shape, role_name, rs, re_, ps, pe in shapes:
        o, pos = p.official(p.unit("综合"), "副局长", "副科", principal=False, start=ps, end=pe)
        c = p.company("其他")
        role = p.role(c, o, role_name, rs, re_)
        p.hit(r, shape, official_key(o), p.ref("positions", pos), p.ref("company_roles", role))
    o, pos = p.official(p.unit("综合"), start=D(2020, 6, 1))
    c = p.company("其他")
    role = p.role(c, o, "股东", D(2014, 1, 1), D(2020, 5, 31))
    p.miss(r, "shareholding ended the day before the position started", official_key(o), p.ref("positions", pos),
           p.ref("company_roles", role))
    o, pos = p.official(p.unit("综合"), start=D(2016, 1, 1), end=D(2022, 3, 31))
    c = p.company("其他")
    role = p.role(c, o, "股东", D(2022, 4, 1))
    p.miss(r, "becomes shareholder the day after the last position ended", official_key(o),
           p.ref("positions", pos), p.ref("company_roles", role))
    o, pos = p.official(p.unit("综合"))
    namesake = p.person(o.gender, D(1990, 1, 1), surname=o.name[0])
    namesake.name = o.name
    c = p.company("其他", legal_rep=namesake)
    p.miss(r, "namesake (same name, different ID) is legal representative", official_key(o),
           p.ref("positions", pos), p.ref("companies", _crow(p, c)))


def coi03(p: Planter) -> None:
    r = "COI-03"
    cases = (("spouse is shareholder; 2024 and 2025 declarations omit it", "配偶", "股东", D(2023, 5, 1), None,
              (2024, 2025), True, "hit"),
             ("child is legal representative; omitted", "子女", "法定代表人", D(2022, 1, 10), None, (2024, 2025), True,
              "hit"),
             ("child's spouse becomes shareholder on 12-31 (held at 12-31)", "子女配偶", "股东", D(2025, 12, 31),
              None, (2025,), True, "hit"),
             ("spouse's company declared with its credit code", "配偶", "股东", D(2023, 5, 1), None, (2024, 2025),
              False, "miss"),
             ("spouse's role ended on 12-30 of the year", "配偶", "监事", D(2025, 3, 1), D(2025, 12, 30),
              (2024, 2025), True, "miss"),
             ("father's company (relation not covered by the declaration)", "父亲", "法定代表人", D(2020, 1, 1),
              None, (2024, 2025), True, "miss"))
    for shape, relation, role_name, rs, re_, years, omit, expect in cases:
        o, pos = p.official(p.unit("综合"), "党组书记、局长", "正科", start=D(2018, 3, 1))
        rel = p.relative(o, relation)
        c = p.company("其他", legal_rep=rel if role_name == "法定代表人" else None)
        role = p.role(c, rel, role_name, rs, re_) if role_name != "法定代表人" else next(
            x for x in p.world.rows["company_roles"] if x["uscc"] == c.uscc and x["role"] == "法定代表人")
        p.declare(o, years, omit={c.uscc} if omit else None)
        records = [p.ref("family_members", p.family_row(o, rel, years[-1])), p.ref("company_roles", role)]
        p.case(r, expect, shape, official_key(o), records)
    o, pos = p.official(p.unit("综合"), start=D(2018, 3, 1))
    s = p.relative(o, "配偶")
    c = p.company("其他")
    role = p.role(c, s, "股东", D(2025, 2, 1))
    p.declare(o, (2023, 2024), omit={c.uscc})
    p.miss(r, "spouse's shareholding starts in 2025, a year with no declaration filed", official_key(o),
           p.ref("family_members", p.family_row(o, s, 2024)), p.ref("company_roles", role))


def coi04(p: Planter) -> None:
    r = "COI-04"
    specs = (("son's company wins at the former unit 14 months after the official left", "子女", 425, "hit"),
             ("spouse's company wins 2 years 360 days after the official left", "配偶", 1090, "hit"),
             ("brother's company wins 3 years and 30 days after (outside cooling period)", "兄弟姐妹", 1125, "miss"))
    for shape, relation, delay, expect in specs:
        u = p.unit("住建")
        o, pos = p.official(u, start=D(2017, 1, 1), end=D(2022, 3, 31))
        p.official(p.unit("综合"), person=o, start=D(2022, 4, 1))
        rel = p.relative(o, relation)
        c = p.company()
        role = p.role(c, rel, "股东", D(2016, 1, 1))
        award = D(2022, 3, 31) + dt.timedelta(days=delay)
        t = p.tender(u, c, notice=award - dt.timedelta(days=35), days=25, award_after=10)
        p.declare(o, (2021, 2022, 2023))
        p.case(r, expect, shape, official_key(o), [p.ref("positions", pos), p.ref("company_roles", role),
                                                   p.ref("bids", t.bids[0])])
    u = p.unit("交通")
    o, pos = p.official(u, start=D(2015, 1, 1), end=D(2023, 1, 31))
    c = p.company()
    role = p.role(c, o, "股东", D(2023, 6, 1))
    con, _, _ = p.contract_for(u, c, 380_000, D(2025, 1, 20), None)
    p.hit(r, "retired official becomes shareholder; contract with his former unit 2 years later", official_key(o),
          p.ref("positions", pos), p.ref("company_roles", role), p.ref("contracts", con))
    u = p.unit("水利")
    o, pos = p.official(u, start=D(2016, 1, 1), end=D(2023, 6, 30))
    p.official(p.unit("综合"), person=o, start=D(2023, 7, 1))
    k = p.relative(o, "子女")
    c = p.company()
    t = p.tender(u, c, notice=D(2024, 11, 1))
    role = p.role(c, k, "股东", t.tender["award_date"] + DAY)
    p.declare(o, (2023, 2024))
    p.miss(r, "child becomes shareholder the day after the award", official_key(o), p.ref("positions", pos),
           p.ref("company_roles", role), p.ref("bids", t.bids[0]))


def coi05(p: Planter) -> None:
    r = "COI-05"
    u = p.unit("综合")
    a, apos = p.official(u, gender="男", start=D(2019, 1, 1))
    b, bpos = p.official(u, "办公室主任", None, principal=False, team=False, gender="女", start=D(2020, 5, 1))
    p.relative(a, "配偶", b)
    p.declare(a, (2024,))
    p.hit(r, "husband and wife in the same unit", official_key(a), p.ref("positions", apos),
          p.ref("positions", bpos), p.ref("family_members", p.family_row(a, b, 2024)))
    parent = p.unit("教育", kind="党政机关")
    child = p.unit("教育", parent=parent)
    f, fpos = p.official(parent, gender="男", start=D(2018, 1, 1))
    k, kpos = p.official(child, "副校长", None, principal=False, start=D(2021, 9, 1),
                         person=p.person("男", D(1993, 2, 2), surname=f.name[0]))
    p.relative(f, "子女", k)
    p.declare(f, (2022,))
    p.hit(r, "father heads the parent unit of his son's unit", official_key(f), p.ref("positions", fpos),
          p.ref("positions", kpos), p.ref("family_members", p.family_row(f, k, 2022)))
    for shape, b_start, expect in (("brothers in the same unit overlap by one day", D(2022, 6, 30), "hit"),
                                   ("brothers in the same unit: one left the day before the other came",
                                    D(2022, 7, 1), "miss")):
        u = p.unit("综合")
        a, apos = p.official(u, "副局长", "副科", principal=False, start=D(2018, 1, 1), end=D(2022, 6, 30))
        b, bpos = p.official(u, "办公室主任", None, principal=False, team=False, start=b_start,
                             person=p.person("男", D(1982, 1, 1), surname=a.name[0]))
        p.relative(a, "兄弟姐妹", b)
        p.declare(a, (2021,))
        p.case(r, expect, shape, official_key(a), [p.ref("positions", apos), p.ref("positions", bpos),
                                                    p.ref("family_members", p.family_row(a, b, 2021))])
    parent = p.unit("住建", kind="党政机关")
    x, y = p.unit("住建", parent=parent), p.unit("住建", parent=parent)
    a, apos = p.official(x, start=D(2019, 1, 1))
    b, bpos = p.official(y, start=D(2019, 1, 1), person=p.person("女", D(1979, 1, 1), surname=a.name[0]))
    p.relative(a, "兄弟姐妹", b)
    p.declare(a, (2023,))
    p.miss(r, "sisters head two sibling units (same parent, not a direct line)", official_key(a),
           p.ref("positions", apos), p.ref("positions", bpos))


def coi06(p: Planter) -> None:
    r = "COI-06"
    specs = (("official receives exactly 50,000 from his unit's supplier", None, 50_000, 150, "hit"),
             ("spouse receives 200,000 from a supplier paid 700 days earlier", "配偶", 200_000, 700, "hit"),
             ("brother receives 80,000 from a supplier", "兄弟姐妹", 80_000, 30, "hit"),
             ("49,999.99 from a supplier (below the amount)", None, 49_999.99, 60, "miss"),
             ("last supply 731 days before the transaction", "配偶", 300_000, 731, "miss"))
    for shape, relation, amount, gap, expect in specs:
        u = p.unit("医疗卫生")
        o, pos = p.official(u, "党支部书记、院长", None)
        holder = p.relative(o, relation) if relation else o
        c = p.company("货物")
        pay = p.payment(u, c, 120_000, D(2023, 5, 10))
        tx = add_bank(p.world, holder, pay["paid"] + dt.timedelta(days=gap), yuan(amount), "收", "转账", c,
                      protected=True)
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
    p.miss(r, "the company supplies another unit, not one under the official", official_key(o),
           p.ref("positions", pos), p.ref("payments", pay), p.ref("bank_transactions", tx))
