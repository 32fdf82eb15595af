"""Planted conduct and personnel cases (CND-01 … CND-05): approval windows with the one-day grace on
return, exactly ten years as principal, promotion on the day the discipline effect ends."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.families import add_crossing, add_trip
from jiandu.demo.oversight import add_discipline, add_evaluation, add_petition
from jiandu.demo.plant.builders import D, Planter, official_key

DAY = dt.timedelta(days=1)
PORT = "上海浦东国际机场口岸"


def plant_cnd(p: Planter) -> None:
    for fn in (cnd01, cnd02, cnd03, cnd04, cnd05):
        fn(p)


def cnd01(p: Planter) -> None:
    r = "CND-01"
    leave, back = D(2025, 7, 10), D(2025, 7, 18)
    for shape, approved, out_day, in_day, expect in (
        ("left the country with no approval at all", False, leave, back, "hit"),
        ("left one day before the approved departure date", True, leave - DAY, back, "hit"),
        ("returned two days after the approved return date", True, leave, back + 2 * DAY, "hit"),
        (
            "left on the approved date, returned the day after the approved return (grace day)",
            True,
            leave,
            back + DAY,
            "miss",
        ),
    ):
        o, pos = p.host_official(start=D(2018, 1, 1))
        rows = add_trip(
            p.world,
            o,
            leave,
            back,
            "日本",
            PORT,
            approved=approved,
            out_day=out_day,
            in_day=in_day,
            protected=True,
        )
        p.case(
            r,
            expect,
            shape,
            official_key(o),
            [
                p.ref(t, x)
                for t, x in zip(
                    (["travel_approvals"] if approved else []) + ["border_crossings", "border_crossings"],
                    rows,
                    strict=True,
                )
            ],
        )
    o, pos = p.host_official(start=D(2018, 1, 1))
    spouse = p.relative(o, "配偶")
    p.declare(o, (2025,))
    out = add_crossing(p.world, spouse, leave, "出境", PORT, "泰国", protected=True)
    p.miss(
        r,
        "the spouse (not an official) travelled without approval",
        official_key(o),
        p.ref("positions", pos),
        p.ref("border_crossings", out),
    )


def cnd02(p: Planter) -> None:
    r = "CND-02"
    for shape, start, end, principal, expect in (
        ("principal since 2016-06-29: ten years and one day", D(2016, 6, 29), None, True, "hit"),
        ("principal since 2012-03-01", D(2012, 3, 1), None, True, "hit"),
        ("principal since exactly 2016-06-30: ten years to the day", D(2016, 6, 30), None, True, "miss"),
        ("principal for 12 years but left on 2025-12-31", D(2013, 1, 1), D(2025, 12, 31), True, "miss"),
        ("deputy (not principal) for 15 years", D(2011, 5, 1), None, False, "miss"),
    ):
        u = p.unit("综合")
        o, pos = p.official(
            u,
            "党组书记、局长" if principal else "副局长",
            "正科" if principal else "副科",
            start=start,
            end=end,
            principal=principal,
        )
        p.case(r, expect, shape, official_key(o), [p.ref("positions", pos)])
    u = p.unit("综合")
    o, first = p.official(u, "局长", "正科", start=D(2015, 1, 1), end=D(2019, 12, 31))
    second = p.position(o, u, "党组书记、局长", "正科", start=D(2020, 1, 1), principal=True)
    p.hit(
        r,
        "principal through two consecutive posts in the same unit since 2015",
        official_key(o),
        p.ref("positions", first),
        p.ref("positions", second),
    )


def cnd03(p: Planter) -> None:
    r = "CND-03"
    decided, until = D(2024, 3, 1), D(2025, 3, 1)
    for shape, new_start, new_rank, new_team, expect in (
        ("promoted from 副科 to 正科 during the effect period", D(2024, 9, 1), "正科", True, "hit"),
        (
            "moved into a team-member post of the same rank during the effect period",
            D(2024, 6, 1),
            "副科",
            True,
            "hit",
        ),
        ("promoted the day before the effect period ends", until - DAY, "正科", False, "hit"),
        ("promoted on the day the effect period ends", until, "正科", True, "miss"),
        (
            "lateral non-team post of the same rank during the effect period",
            D(2024, 8, 1),
            "副科",
            False,
            "miss",
        ),
    ):
        o, old = p.official(
            p.unit("综合"),
            "办公室主任",
            "副科",
            principal=False,
            team=False,
            start=D(2019, 1, 1),
            end=new_start - DAY,
        )
        rec = add_discipline(p.world, o.id_number, decided, "第二种形态", "警告", until, protected=True)
        new = p.position(
            o,
            p.unit("综合"),
            "副局长" if new_team else "综合科科长",
            new_rank,
            start=new_start,
            team=new_team,
        )
        p.case(
            r,
            expect,
            shape,
            official_key(o),
            [p.ref("discipline_records", rec), p.ref("positions", old), p.ref("positions", new)],
        )


def cnd04(p: Planter) -> None:
    r = "CND-04"
    for shape, received, start, category, status, expect in (
        (
            "廉洁纪律 petition 办理中 since before the new team post",
            D(2025, 1, 10),
            D(2025, 3, 1),
            "廉洁纪律",
            "办理中",
            "hit",
        ),
        (
            "廉洁纪律 petition 待办 two months before the new post",
            D(2025, 12, 1),
            D(2026, 2, 1),
            "廉洁纪律",
            "待办",
            "hit",
        ),
        (
            "廉洁纪律 petition 办理中 a year before the new post",
            D(2024, 6, 1),
            D(2025, 6, 1),
            "廉洁纪律",
            "办理中",
            "hit",
        ),
        ("廉洁纪律 petition already 已办结", D(2025, 1, 10), D(2025, 3, 1), "廉洁纪律", "已办结", "miss"),
        (
            "unresolved petition of another category (工作纪律)",
            D(2025, 1, 10),
            D(2025, 3, 1),
            "工作纪律",
            "办理中",
            "miss",
        ),
        (
            "廉洁纪律 petition received after the new post started",
            D(2025, 5, 1),
            D(2025, 3, 1),
            "廉洁纪律",
            "办理中",
            "miss",
        ),
    ):
        u = p.unit("综合")
        o, old = p.official(
            u, "办公室主任", "副科", principal=False, team=False, start=D(2018, 1, 1), end=start - DAY
        )
        pet = add_petition(
            p.world,
            received,
            category,
            o.name,
            u.short,
            "主任",
            subject=o,
            with_id=True,
            named=False,
            status=status,
            protected=True,
        )
        new = p.position(o, p.unit("综合"), "副局长", "副科", start=start, team=True)
        p.case(r, expect, shape, official_key(o), [p.ref("petitions", pet), p.ref("positions", new)])


def cnd05(p: Planter) -> None:
    r = "CND-05"
    for shape, scores, expect in (
        ("组织部 rates integrity 69", (88, 69, 85, 90), "hit"),
        ("spread of 26 (96 vs 70)", (96, 80, 85, 70), "hit"),
        ("干部群众 rate integrity 50", (90, 88, 50, 92), "hit"),
        ("lowest exactly 70 and spread exactly 25", (95, 70, 80, 85), "miss"),
        ("all raters between 85 and 92", (92, 88, 85, 90), "miss"),
    ):
        o, pos = p.host_official(start=D(2019, 1, 1))
        rows = [
            add_evaluation(p.world, o.id_number, 2025, rater, score, protected=True)
            for rater, score in zip(("纪委监委", "组织部", "干部群众", "家属"), scores, strict=True)
        ]
        p.case(r, expect, shape, official_key(o), [p.ref("evaluations", x) for x in rows])
