"""Planted procurement red flags (PRC-01 … PRC-12). Thresholds are exercised at their boundaries: 20 vs
19 days, a sum of exactly 1,000,000, +10 % exactly, founded 180 vs 179 days before the notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.demo.plant.builders import D, Planter, company_key, tender_key, unit_key

DAY = dt.timedelta(days=1)


def plant_prc(p: Planter) -> None:
    for fn in (prc01, prc02, prc03, prc04, prc05, prc06, prc07, prc08, prc09, prc10, prc11, prc12):
        fn(p)


def _refs(p: Planter, t) -> list[dict]:
    return [p.ref("tenders", t.tender)] + [p.ref("bids", b) for b in t.bids]


def prc01(p: Planter) -> None:
    for shape, method, category, others, expect in (
        ("公开招标 with a single bid", "公开招标", "工程", 0, "hit"),
        ("邀请招标 with a single bid", "邀请招标", "工程", 0, "hit"),
        ("公开招标 goods tender with a single bid", "公开招标", "货物", 0, "hit"),
        ("单一来源 with its one bid (not competitive by design)", "单一来源", "货物", 0, "miss"),
        ("公开招标 with two bids", "公开招标", "工程", 1, "miss"),
    ):
        t = p.tender(
            p.unit("住建"),
            p.company(category),
            others=others,
            method=method,
            category=category,
            budget=900_000 if method == "单一来源" else 5_000_000,
        )
        p.case("PRC-01", expect, shape, tender_key(t), _refs(p, t))


def prc02(p: Planter) -> None:
    r = "PRC-02"
    for shape, amounts, gap, expect in (
        ("two goods contracts 600,000 + 450,000 within 40 days", (600_000, 450_000), 40, "hit"),
        ("two contracts summing to exactly 1,000,000 within 89 days", (500_000, 500_000), 89, "hit"),
        ("600,000 + 399,999.99 = 999,999.99 (just below)", (600_000, 399_999.99), 30, "miss"),
        ("600,000 + 500,000 but 120 days apart", (600_000, 500_000), 120, "miss"),
    ):
        u, c = p.unit("教育"), p.company("货物")
        rows = [
            p.contract_for(u, c, a, D(2024, 3, 1) + dt.timedelta(days=gap * i), None)[0]
            for i, a in enumerate(amounts)
        ]
        p.case(r, expect, shape, unit_key(u), [p.ref("contracts", x) for x in rows])
    u, c = p.unit("交通"), p.company("工程")
    ts = [
        p.tender(
            u,
            c,
            method="竞争性磋商",
            budget=1_700_000,
            days=12,
            amount=1_500_000,
            notice=D(2023, 5, 1) + dt.timedelta(days=25 * i),
        )
        for i in range(3)
    ]
    p.hit(
        r,
        "three 1,500,000 works contracts within 60 days (works threshold 4,000,000)",
        unit_key(u),
        *[p.ref("contracts", t.signed) for t in ts],
    )


def prc03(p: Planter) -> None:
    for shape, method, category, days, expect in (
        ("公开招标 with 19 days", "公开招标", "工程", 19, "hit"),
        ("竞争性磋商 with 9 days", "竞争性磋商", "服务", 9, "hit"),
        ("询价 with 2 days", "询价", "货物", 2, "hit"),
        ("公开招标 with exactly 20 days", "公开招标", "工程", 20, "miss"),
        ("竞争性谈判 with exactly 3 days", "竞争性谈判", "服务", 3, "miss"),
    ):
        t = p.tender(
            p.unit("水利"),
            p.company(category),
            method=method,
            category=category,
            days=days,
            budget=5_000_000 if method == "公开招标" else 600_000,
        )
        p.case("PRC-03", expect, shape, tender_key(t), [p.ref("tenders", t.tender)])


def prc04(p: Planter) -> None:
    r = "PRC-04"
    # device id and IP address shared by two bidders
    shared: tuple[tuple[str, dict[str, Any]], ...] = (  # shape, keyword arguments of Planter.tender
        ("two bidders' files made on the same machine", {"devices": {1: "7C8AE1F03B21", 2: "7C8AE1F03B21"}}),
        ("two bidders submit from the same IP", {"ips": {1: "183.62.17.45", 2: "183.62.17.45"}}),
    )
    for shape, kw in shared:
        t = p.tender(p.unit("住建"), p.company(), others=3, **kw)
        p.hit(r, shape, tender_key(t), p.ref("bids", t.bids[1]), p.ref("bids", t.bids[2]))
    boss = p.person("男", D(1975, 5, 5))
    x, y = p.company(legal_rep=boss), p.company(legal_rep=boss)
    t = p.tender(p.unit("住建"), p.company(), others=[x, y])
    p.hit(
        r,
        "two bidders have the same legal representative",
        tender_key(t),
        p.ref("bids", t.bids[1]),
        p.ref("bids", t.bids[2]),
        p.ref("companies", _crow(p, x)),
        p.ref("companies", _crow(p, y)),
    )
    owner = p.person("女", D(1980, 8, 8))
    x, y = p.company(), p.company()
    rx, ry = p.role(x, owner, "股东", D(2018, 1, 1)), p.role(y, owner, "股东", D(2019, 1, 1))
    t = p.tender(p.unit("交通"), p.company(), others=[x, y])
    p.hit(
        r,
        "two bidders share a shareholder",
        tender_key(t),
        p.ref("bids", t.bids[1]),
        p.ref("bids", t.bids[2]),
        p.ref("company_roles", rx),
        p.ref("company_roles", ry),
    )
    phone = p.world.ids.landline()
    x, y = p.company(phone=phone), p.company(phone=phone)
    t = p.tender(p.unit("交通"), x, others=[y, p.company()])
    p.hit(
        r,
        "winner and a losing bidder registered the same phone",
        tender_key(t),
        p.ref("bids", t.bids[0]),
        p.ref("bids", t.bids[1]),
    )
    x, y = p.company(), p.company()
    t1 = p.tender(p.unit("水利"), p.company(), others=[x], devices={1: "55AB01CC9D7E"})
    t2 = p.tender(p.unit("水利"), p.company(), others=[y], devices={1: "55AB01CC9D7E"})
    p.miss(
        r,
        "same machine code but in two different tenders",
        tender_key(t1),
        p.ref("bids", t1.bids[1]),
        p.ref("bids", t2.bids[1]),
    )
    owner = p.person("男", D(1970, 2, 2))
    x, y = p.company(), p.company()
    rx = p.role(x, owner, "股东", D(2015, 1, 1), D(2022, 12, 31))
    ry = p.role(y, owner, "股东", D(2016, 1, 1))
    t = p.tender(p.unit("水利"), p.company(), others=[x, y], notice=D(2024, 3, 1))
    p.miss(
        r,
        "former shareholder of one bidder (stake ended a year before the notice)",
        tender_key(t),
        p.ref("bids", t.bids[1]),
        p.ref("bids", t.bids[2]),
        p.ref("company_roles", rx),
        p.ref("company_roles", ry),
    )


def _crow(p: Planter, company) -> dict:
    return next(r for r in p.world.rows["companies"] if r["uscc"] == company.uscc)


def prc05(p: Planter) -> None:
    r = "PRC-05"
    for shape, n_bids, shared, expect in (
        ("6 bids, no win, same winner in 4 of them", 6, 4, "hit"),
        ("8 bids, no win, same winner in exactly 3", 8, 3, "hit"),
        ("exactly 5 bids, no win, same winner in all 5", 5, 5, "hit"),
        ("4 bids only (below min_bids), same winner in all", 4, 4, "miss"),
        ("6 bids, no win, but the same winner only twice", 6, 2, "miss"),
    ):
        cover, boss = p.company(), p.company()
        bids = []
        for i in range(n_bids):
            winner = boss if i < shared else p.company()
            t = p.tender(
                p.unit("住建"),
                winner,
                others=[cover, p.company()],
                notice=D(2021, 3, 1) + dt.timedelta(days=70 * i),
            )
            bids.append(p.ref("bids", t.bids[1]))
        p.case(r, expect, shape, company_key(cover), bids)


def prc06(p: Planter) -> None:
    r = "PRC-06"
    for shape, king, others, expect in (
        ("3 of 4 awards, 75 % of the value", (1_000_000,) * 3, (1_000_000,), "hit"),
        ("3 awards, exactly 50 % of the value", (500_000,) * 3, (750_000, 750_000), "hit"),
        ("all 5 awards of the buyer in a year", (800_000,) * 5, (), "hit"),
        ("2 awards with 90 % (below min_awards)", (1_800_000,) * 2, (400_000,), "miss"),
        ("3 awards but only 45 % of the value", (450_000,) * 3, (550_000, 550_000, 550_000), "miss"),
    ):
        u, s = p.unit("住建"), p.company()
        refs = []
        values = [(v, s) for v in king] + [(v, None) for v in others]
        for i, (value, winner) in enumerate(values):
            w = winner or p.company()
            t = p.tender(
                u,
                w,
                method="竞争性磋商",
                days=12,
                budget=value / 0.9,
                prices=[value, value * 1.05, value * 1.1],
                notice=D(2024, 1, 8) + dt.timedelta(days=45 * i),
            )
            if winner is s:
                refs.append(p.ref("contracts", t.signed))
        p.case(r, expect, shape, company_key(s), refs)


def prc07(p: Planter) -> None:
    r = "PRC-07"
    notice = D(2024, 6, 3)
    for shape, age, expect in (
        ("winner founded 179 days before the notice", 179, "hit"),
        ("winner founded 30 days before the notice", 30, "hit"),
        ("winner founded exactly 180 days before the notice", 180, "miss"),
        ("winner founded 400 days before the notice", 400, "miss"),
    ):
        c = p.company(founded=notice - dt.timedelta(days=age))
        t = p.tender(p.unit("交通"), c, notice=notice)
        p.case(
            r,
            expect,
            shape,
            tender_key(t),
            [p.ref("tenders", t.tender), p.ref("bids", t.bids[0]), p.ref("companies", _crow(p, c))],
        )
    signed = D(2025, 2, 10)
    c = p.company("服务", founded=signed - dt.timedelta(days=100))
    u = p.unit("综合")
    con, _, _ = p.contract_for(u, c, 260_000, signed, None)
    p.hit(
        r,
        "contract without tender; supplier founded 100 days before signing",
        unit_key(u),
        p.ref("contracts", con),
        p.ref("companies", _crow(p, c)),
    )


def prc08(p: Planter) -> None:
    r = "PRC-08"
    for shape, prices, rejected, expect in (
        ("runner-up 0.1 % above the winner", [1_000_000, 1_001_000, 1_080_000], (), "hit"),
        ("runner-up 0.5 % above the winner", [2_000_000, 2_010_000, 2_150_000, 2_200_000], (), "hit"),
        ("runner-up 0.2 % above, a third bid far off", [800_000, 801_600, 950_000], (), "hit"),
        ("runner-up 4 % above the winner (typical)", [1_000_000, 1_040_000, 1_100_000], (), "miss"),
        (
            "a rejected bid 0.01 % above; the next valid bid is 5 % above",
            [1_000_000, 1_000_100, 1_050_000],
            (1,),
            "miss",
        ),
    ):
        t = p.tender(
            p.unit("水利"),
            p.company(),
            others=len(prices) - 1,
            prices=prices,
            rejected=rejected,
            budget=prices[0] / 0.9,
        )
        p.case(r, expect, shape, tender_key(t), _refs(p, t))


def prc09(p: Planter) -> None:
    r = "PRC-09"
    for shape, prices, expect in (
        ("two losing bidders quote the same price", [1_000_000, 1_052_300, 1_052_300], "hit"),
        ("winner and a losing bidder quote the same price", [760_000, 760_000, 800_000], "hit"),
        ("three bidders quote the same price", [1_200_000, 1_260_000, 1_260_000, 1_260_000], "hit"),
        ("two prices differ by 0.01 yuan", [1_000_000, 1_052_300, 1_052_300.01], "miss"),
    ):
        t = p.tender(
            p.unit("交通"), p.company(), others=len(prices) - 1, prices=prices, budget=prices[0] / 0.9
        )
        p.case(r, expect, shape, tender_key(t), [p.ref("bids", b) for b in t.bids])
    t1 = p.tender(p.unit("交通"), p.company(), others=2, prices=[900_000, 955_500, 990_000], budget=1_000_000)
    t2 = p.tender(p.unit("交通"), p.company(), others=2, prices=[910_000, 955_500, 999_000], budget=1_000_000)
    p.miss(
        r,
        "the same price in two different tenders",
        tender_key(t1),
        p.ref("bids", t1.bids[1]),
        p.ref("bids", t2.bids[1]),
    )


def prc10(p: Planter) -> None:
    for shape, n_others, rejected, expect in (
        ("3 bids, the 2 others rejected", 2, (1, 2), "hit"),
        ("2 bids, the other rejected", 1, (1,), "hit"),
        ("5 bids, 4 rejected", 4, (1, 2, 3, 4), "hit"),
        ("3 bids, 1 rejected (two valid)", 2, (2,), "miss"),
        ("a single bid, nobody rejected", 0, (), "miss"),
    ):
        t = p.tender(
            p.unit("医疗卫生"),
            p.company("货物"),
            others=n_others,
            rejected=rejected,
            category="货物",
            budget=1_500_000,
        )
        p.case("PRC-10", expect, shape, tender_key(t), _refs(p, t))


def prc11(p: Planter) -> None:
    for shape, amount, final, expect in (
        ("final amount 10 % + 0.01 yuan above", 1_000_000, 1_100_000.01, "hit"),
        ("final amount 30 % above", 2_000_000, 2_600_000, "hit"),
        ("final amount 33 % above on a small contract", 300_000, 400_000, "hit"),
        ("final amount exactly 10 % above", 1_000_000, 1_100_000, "miss"),
        ("final amount decreased", 1_000_000, 900_000, "miss"),
    ):
        u = p.unit("住建")
        t = p.tender(
            u, p.company(), method="竞争性磋商", days=12, budget=amount / 0.9, amount=amount, final=final
        )
        p.case("PRC-11", expect, shape, unit_key(u), [p.ref("contracts", t.signed)])


def prc12(p: Planter) -> None:
    r = "PRC-12"
    u = p.unit("教育")
    con, _, _ = p.contract_for(u, p.company("货物"), 1_000_000, D(2024, 10, 8), None)
    p.hit(r, "goods contract of exactly 1,000,000 without a tender", unit_key(u), p.ref("contracts", con))
    u = p.unit("教育")
    con, _, _ = p.contract_for(u, p.company("货物"), 999_999.99, D(2024, 10, 8), None)
    p.miss(r, "goods contract of 999,999.99 without a tender", unit_key(u), p.ref("contracts", con))
    for shape, method, category, amount, expect in (
        ("works contract of 5,000,000 through 单一来源", "单一来源", "工程", 5_000_000, "hit"),
        ("goods contract of 1,500,000 through 直接采购", "直接采购", "货物", 1_500_000, "hit"),
        (
            "works contract of 3,999,999.99 through 单一来源 (below works threshold)",
            "单一来源",
            "工程",
            3_999_999.99,
            "miss",
        ),
    ):
        u = p.unit("住建")
        t = p.tender(
            u,
            p.company(category),
            others=0,
            method=method,
            category=category,
            budget=amount / 0.9,
            amount=amount,
        )
        p.case(r, expect, shape, unit_key(u), [p.ref("contracts", t.signed), p.ref("tenders", t.tender)])
