"""Planted petition cases (PET-01 … PET-03). Many name the official only the way petitioners do (no ID,
"王局长", a misheard character), so they hit only once petitions are linked to officials."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.oversight import add_petition, subject_mention
from jiandu.demo.plant.builders import D, Planter, official_key, unit_key
from jiandu.demo.world import Row

DAY = dt.timedelta(days=1)


def plant_pet(p: Planter) -> None:
    pet01(p)
    pet02(p)
    pet03(p)


def _petition(
    p: Planter,
    o,
    unit,
    title,
    received,
    style="full",
    *,
    with_id=False,
    category="工作纪律",
    named=False,
    status="已办结",
):
    name, unit_text, title_text = subject_mention(p.world, o, unit, title, style)
    return add_petition(
        p.world,
        received,
        category,
        name,
        unit_text,
        title_text,
        subject=o,
        with_id=with_id,
        named=named,
        status=status,
        protected=True,
    )


def pet01(p: Planter) -> None:
    r = "PET-01"
    for shape, offsets, styles, with_id, expect in (
        ("3 petitions with ID number within 5 months", (0, 60, 150), ("full",) * 3, True, "hit"),
        (
            "3 petitions by name, unit abbreviation and title (no ID)",
            (0, 100, 300),
            ("full",) * 3,
            False,
            "hit",
        ),
        (
            "4 petitions: one '王局长' style, one misheard name, two full names",
            (0, 30, 90, 200),
            ("title_only", "homophone", "full", "full"),
            False,
            "hit",
        ),
        ("6 petitions within a year (red)", (0, 20, 50, 90, 130, 200), ("full",) * 6, False, "hit"),
        ("3 petitions, first and last 375 days apart", (0, 200, 375), ("full",) * 3, True, "miss"),
        ("2 petitions only", (0, 40), ("full",) * 2, True, "miss"),
    ):
        u = p.unit("住建", kind="党政机关")
        o, pos = p.official(u, "党组书记、局长", "正科", start=D(2019, 1, 1))
        rows = [
            _petition(p, o, u, pos["title"], D(2024, 9, 1) + dt.timedelta(days=k), style, with_id=with_id)
            for k, style in zip(offsets, styles, strict=True)
        ]
        p.case(r, expect, shape, official_key(o), [p.ref("petitions", x) for x in rows])
    u, other = p.unit("交通", kind="党政机关"), p.unit("交通", kind="党政机关")
    o, pos = p.official(u, start=D(2019, 1, 1))
    twin, tpos = p.official(
        other, start=D(2019, 1, 1), person=p.person(o.gender, D(1975, 1, 1), surname=o.name[0])
    )
    twin.name = o.name
    p.world.rows["officials"][-1]["name"] = o.name
    rows = [
        _petition(p, o, u, pos["title"], D(2025, 1, 5) + dt.timedelta(days=k), with_id=False) for k in (0, 90)
    ]
    rows.append(_petition(p, twin, other, tpos["title"], D(2025, 2, 5), with_id=False))
    p.miss(
        r,
        "2 petitions about him and 1 about a namesake heading another unit",
        official_key(o),
        *[p.ref("petitions", x) for x in rows],
    )


def pet02(p: Planter) -> None:
    r = "PET-02"
    quarters = [D(2024 + (3 + 3 * i) // 12, (3 + 3 * i) % 12 + 1, 1) for i in range(8)]  # 2024Q2 … 2026Q1
    last = D(2026, 4, 1)
    for shape, prior, recent, expect in (
        ("alternating 1/0 per quarter, then 5", (1, 0) * 4, 5, "hit"),
        ("no petitions for 8 quarters, then 3", (0,) * 8, 3, "hit"),
        ("alternating 2/1 per quarter, then 6", (2, 1) * 4, 6, "hit"),
        ("steady 3 per quarter, then 3 (not above)", (3,) * 8, 3, "miss"),
        ("no petitions for 8 quarters, then 2 (below 3)", (0,) * 8, 2, "miss"),
    ):
        u = p.unit("医疗卫生")
        staff = [p.official(u, "党支部书记、院长", None, start=D(2020, 1, 1))]
        staff += [p.official(u, "副院长", None, principal=False, start=D(2020, 1, 1)) for _ in range(2)]
        rows: list[Row] = []
        for q, count in list(zip(quarters, prior, strict=True)) + [(last, recent)]:
            for k in range(count):
                o, pos = staff[(len(rows)) % 3]
                status = "已办结" if q < last else "办理中"
                rows.append(
                    _petition(
                        p, o, u, pos["title"], q + dt.timedelta(days=5 + 12 * k), with_id=True, status=status
                    )
                )
        p.case(r, expect, shape, unit_key(u), [p.ref("petitions", x) for x in rows])


def pet03(p: Planter) -> None:
    r = "PET-03"
    for shape, received, named, status, expect in (
        ("named petition received 2026-03-01, still 办理中", D(2026, 3, 1), True, "办理中", "hit"),
        ("named petition a year old, still 待办", D(2025, 6, 1), True, "待办", "hit"),
        ("named petition 91 days old, 办理中", D(2026, 3, 31), True, "办理中", "hit"),
        ("named petition exactly 90 days old, 办理中", D(2026, 4, 1), True, "办理中", "miss"),
        ("anonymous petition 18 months old, 办理中", D(2025, 1, 1), False, "办理中", "miss"),
    ):
        u = p.unit("水利")
        o, pos = p.official(u, start=D(2019, 1, 1))
        row = _petition(p, o, u, pos["title"], received, with_id=True, named=named, status=status)
        p.case(r, expect, shape, official_key(o), [p.ref("petitions", row)])
