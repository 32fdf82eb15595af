"""Planted rectification cases (RCT-01 … RCT-03). RCT-03 depends on the lead register, which is empty
in a fresh demo: a referred finding older than 30 days at the scan date has no lead and must hit."""

from __future__ import annotations

import datetime as dt

from jiandu.demo.oversight import add_finding
from jiandu.demo.plant.builders import D, Planter, unit_key


def plant_rct(p: Planter) -> None:
    rct01(p)
    rct02(p)
    rct03(p)


def _finding(p: Planter, unit, table, found, category="超预算支出", **kw):
    batch = (
        f"{'SJ' if table == 'audit_findings' else 'XC'}{found.year}-{p.world.serial('audit_batch', 4):04d}"
    )
    if table == "inspection_findings":
        batch = f"{unit.county}委第{p.world.counter('round') % 12 + 1}轮巡察"
    return add_finding(
        p.world,
        table,
        unit,
        batch,
        "专项审计" if table == "audit_findings" else None,
        category,
        found,
        leader=None,
        k=1,
        protected=True,
        **kw,
    )


def rct01(p: Planter) -> None:
    for shape, table, due, status, fixed, expect in (
        (
            "audit finding due the day before the scan date, 整改中",
            "audit_findings",
            D(2026, 6, 29),
            "整改中",
            None,
            "hit",
        ),
        (
            "inspection finding due 2025-12-31, 未整改 (over 90 days late)",
            "inspection_findings",
            D(2025, 12, 31),
            "未整改",
            None,
            "hit",
        ),
        (
            "audit finding fixed one day after its due date",
            "audit_findings",
            D(2025, 5, 1),
            "已整改",
            D(2025, 5, 2),
            "hit",
        ),
        (
            "finding due on the scan date itself, 整改中",
            "audit_findings",
            D(2026, 6, 30),
            "整改中",
            None,
            "miss",
        ),
        (
            "finding fixed on its due date",
            "inspection_findings",
            D(2025, 5, 1),
            "已整改",
            D(2025, 5, 1),
            "miss",
        ),
    ):
        u = p.unit("综合")
        row = _finding(p, u, table, due - dt.timedelta(days=90), due=due, status=status, fixed=fixed)
        p.case("RCT-01", expect, shape, unit_key(u), [p.ref(table, row)])


def rct02(p: Planter) -> None:
    r = "RCT-02"
    for shape, first_table, second_table, first_status, second_category, expect in (
        (
            "same category in a later audit after the first was rectified",
            "audit_findings",
            "audit_findings",
            "已整改",
            None,
            "hit",
        ),
        (
            "inspection finding rectified, same category found again by audit",
            "inspection_findings",
            "audit_findings",
            "已整改",
            None,
            "hit",
        ),
        (
            "the earlier finding is still 整改中 when found again",
            "audit_findings",
            "audit_findings",
            "整改中",
            None,
            "miss",
        ),
        (
            "a different category in the later round",
            "audit_findings",
            "inspection_findings",
            "已整改",
            "公务接待超标准",
            "miss",
        ),
    ):
        u = p.unit("综合")
        first = _finding(
            p,
            u,
            first_table,
            D(2021, 5, 10),
            "违规发放津补贴",
            due=D(2021, 9, 30),
            status=first_status,
            fixed=D(2021, 9, 1) if first_status == "已整改" else None,
        )
        second = _finding(
            p,
            u,
            second_table,
            D(2024, 5, 10),
            second_category or "违规发放津补贴",
            due=D(2024, 9, 30),
            status="已整改",
            fixed=D(2024, 9, 1),
        )
        p.case(r, expect, shape, unit_key(u), [p.ref(first_table, first), p.ref(second_table, second)])
    u = p.unit("综合")
    rows = [
        _finding(
            p,
            u,
            "audit_findings",
            D(2019 + 2 * i, 4, 1),
            "工程结算不实",
            due=D(2019 + 2 * i, 8, 1),
            status="已整改",
            fixed=D(2019 + 2 * i, 7, 1),
        )
        for i in range(3)
    ]
    p.hit(
        r,
        "the same category in three audits two years apart",
        unit_key(u),
        *[p.ref("audit_findings", x) for x in rows],
    )


def rct03(p: Planter) -> None:
    for shape, found, referred, expect in (
        ("referred 2025-11-01, no lead", D(2025, 11, 1), True, "hit"),
        ("referred 31 days before the scan date, no lead", D(2026, 5, 30), True, "hit"),
        ("referred in 2023, no lead", D(2023, 8, 15), True, "hit"),
        ("referred 29 days before the scan date (lead may still come)", D(2026, 6, 1), True, "miss"),
        ("old finding that was not referred", D(2024, 2, 1), False, "miss"),
    ):
        u = p.unit("综合")
        row = _finding(
            p,
            u,
            "audit_findings",
            found,
            "专项资金挪用",
            due=found + dt.timedelta(days=90),
            status="整改中" if found > D(2026, 1, 1) else "已整改",
            fixed=None if found > D(2026, 1, 1) else found + dt.timedelta(days=60),
            referred=referred,
        )
        p.case("RCT-03", expect, shape, unit_key(u), [p.ref("audit_findings", row)])
