"""Planted collective-decision failures (DEC-01 … DEC-06): 180- and 90-day windows at their edges,
a quorum of exactly two thirds, a due date equal to the scan date."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.plant.builders import D, Planter, unit_key

DAY = dt.timedelta(days=1)


def plant_dec(p: Planter) -> None:
    for fn in (dec01, dec02, dec03, dec04, dec05, dec06):
        fn(p)


def dec01(p: Planter) -> None:
    r = "DEC-01"
    signed = D(2025, 4, 15)
    for shape, amount, decision_days, decision_amount, refs, outcome, expect in (
        ("contract of 800,000 with no decision at all", 800_000, None, None, True, "通过", "hit"),
        ("contract of exactly 500,000 with no decision", 500_000, None, None, True, "通过", "hit"),
        (
            "decision referencing the contract was held 181 days before",
            700_000,
            181,
            700_000,
            True,
            "通过",
            "hit",
        ),
        ("the matching decision was deferred (缓议), not passed", 650_000, 20, 650_000, True, "缓议", "hit"),
        ("contract of 499,999.99 with no decision", 499_999.99, None, None, True, "通过", "miss"),
        (
            "decision referencing the contract held exactly 180 days before",
            720_000,
            180,
            720_000,
            True,
            "通过",
            "miss",
        ),
        (
            "decision without reference, amount within 5 % (910,000 vs 950,000)",
            950_000,
            30,
            910_000,
            False,
            "通过",
            "miss",
        ),
    ):
        u, c = p.unit("综合"), p.company("服务")
        con, _, _ = p.contract_for(u, c, amount, signed, None, decision=False)
        records = [p.ref("contracts", con)]
        if decision_days is not None:
            assert decision_amount is not None  # every case with a decision gives its amount
            d = p.decision(
                u,
                signed - dt.timedelta(days=decision_days),
                f"关于{c.name}服务项目的议题",
                "大额资金使用",
                amount=round(decision_amount * 100),
                refs=[con["contract_no"]] if refs else None,
                outcome=outcome,
            )
            records.append(p.ref("decisions", d))
        p.case(r, expect, shape, unit_key(u), records)


def _decision_case(p: Planter, rule: str, expect: str, shape: str, **kwargs) -> None:
    u = p.unit("综合")
    d = p.decision(
        u,
        kwargs.pop("held", D(2025, 9, 10)),
        kwargs.pop("topic", "关于年度预算调整的议题"),
        kwargs.pop("matter", "重大决策"),
        **kwargs,
    )
    p.case(rule, expect, shape, unit_key(u), [p.ref("decisions", d)])


def dec02(p: Planter) -> None:
    for shape, expected, present, order, expect in (
        ("principal spoke first (1 of 7 present)", 7, 7, 1, "hit"),
        ("principal spoke second to last (6 of 7)", 7, 7, 6, "hit"),
        ("principal spoke second (2 of 5 present)", 6, 5, 2, "hit"),
        ("principal spoke last (7 of 7)", 7, 7, 7, "miss"),
        ("principal spoke last (5 of 5 present, 7 expected)", 7, 5, 5, "miss"),
    ):
        _decision_case(p, "DEC-02", expect, shape, expected=expected, present=present, principal_order=order)


def dec03(p: Planter) -> None:
    for shape, expected, present, outcome, expect in (
        ("5 of 9 present, passed", 9, 5, "通过", "hit"),
        ("4 of 7 present, passed", 7, 4, "通过", "hit"),
        ("3 of 6 present, passed", 6, 3, "通过", "hit"),
        ("6 of 9 present: exactly two thirds", 9, 6, "通过", "miss"),
        ("3 of 6 present but the item was not passed", 6, 3, "未通过", "miss"),
    ):
        _decision_case(p, "DEC-03", expect, shape, expected=expected, present=present, outcome=outcome)


def dec04(p: Planter) -> None:
    for shape, due, done, outcome, expect in (
        ("due the day before the scan date, 未落实", D(2026, 6, 29), "未落实", "通过", "hit"),
        ("due 2025-10-01, still 落实中", D(2025, 10, 1), "落实中", "通过", "hit"),
        ("due 2024-12-31, 未落实", D(2024, 12, 31), "未落实", "通过", "hit"),
        ("due on the scan date itself, 落实中", D(2026, 6, 30), "落实中", "通过", "miss"),
        ("deferred (缓议) item with a past due date", D(2025, 6, 1), "未落实", "缓议", "miss"),
    ):
        _decision_case(
            p,
            "DEC-04",
            expect,
            shape,
            due=due,
            done=done,
            outcome=outcome,
            matter="重大项目安排",
            held=due - dt.timedelta(days=200),
        )


def dec05(p: Planter) -> None:
    r = "DEC-05"
    for shape, times, types, expect in (
        ("deferred twice", 2, ("党组会", "党组会"), "hit"),
        ("deferred three times", 3, ("党组会",) * 3, "hit"),
        ("deferred at a 党组会 and again at an 办公会", 2, ("党组会", "办公会"), "hit"),
        ("deferred once, then passed", 1, ("党组会",), "miss"),
    ):
        u = p.unit("综合")
        topic = f"关于{u.name[:3]}{p.world.rng.choice(('老旧小区改造', '办公用房调整', '农村公路提升'))}项目的议题"
        rows = [
            p.decision(
                u,
                D(2025, 1, 10) + dt.timedelta(days=40 * i),
                topic,
                "重大项目安排",
                outcome="缓议",
                meeting_type=types[i],
                due=None,
                done=None,
            )
            for i in range(times)
        ]
        if times == 1:
            rows.append(p.decision(u, D(2025, 3, 1), topic, "重大项目安排"))
        p.case(r, expect, shape, unit_key(u), [p.ref("decisions", d) for d in rows])
    topic = "关于机关食堂承包经营的议题"
    u1, u2 = p.unit("综合"), p.unit("综合")
    rows = [
        p.decision(u, D(2025, 5, 6), topic, "重大决策", outcome="缓议", due=None, done=None) for u in (u1, u2)
    ]
    p.miss(
        r,
        "the same topic deferred once in each of two units",
        unit_key(u1),
        *[p.ref("decisions", d) for d in rows],
    )


def dec06(p: Planter) -> None:
    r = "DEC-06"
    start = D(2025, 3, 1)
    for shape, days, outcome, expect in (
        ("appointment with no personnel decision at all", None, None, "hit"),
        ("the personnel decision was held 91 days before", 91, "通过", "hit"),
        ("the personnel decision 30 days before was not passed", 30, "未通过", "hit"),
        ("personnel decision exactly 90 days before", 90, "通过", "miss"),
        ("personnel decision the day before", 1, "通过", "miss"),
    ):
        u = p.unit("综合")
        o, pos = p.official(u, "副局长", "副科", principal=False, start=start, decision=False)
        records = [p.ref("positions", pos)]
        if days is not None:
            d = p.decision(
                u,
                start - dt.timedelta(days=days),
                f"关于{o.name}同志任职的议题",
                "重要人事任免",
                outcome=outcome,
            )
            records.append(p.ref("decisions", d))
        p.case(r, expect, shape, unit_key(u), records)
