"""Row builders shared by the background city and the planted cases (so both look alike)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.demo.world import AS_OF, Row, Unit, World

MEETING_TYPES = {
    "党政机关": "党组会",
    "事业单位": "党委会",
    "国有企业": "董事会",
    "乡镇街道": "党委会",
    "村社区": "党委会",
}


def meeting_no(world: World, unit: Unit, held: dt.date, meeting_type: str) -> tuple[str, int]:
    """Meetings are numbered per unit and day; items on the same meeting get 1, 2, 3 …"""
    counters: dict[str, int] = world.__dict__.setdefault("_meeting_items", {})
    number = f"{unit.name}{meeting_type}〔{held:%Y%m%d}〕"
    counters[number] = counters.get(number, 0) + 1
    return number, counters[number]


def add_decision(
    world: World,
    unit: Unit,
    held: dt.date,
    topic: str,
    matter: str,
    *,
    amount: int | None = None,
    refs: list[str] | None = None,
    outcome: str = "通过",
    expected: int | None = None,
    present: int | None = None,
    principal_order: int | None = None,
    due: dt.date | None = None,
    done: str | None = None,
    meeting_type: str | None = None,
    protected: bool = False,
    sink: list[Row] | None = None,
) -> Row:
    rng = world.rng
    meeting_type = meeting_type or MEETING_TYPES[unit.kind]
    number, item = meeting_no(world, unit, held, meeting_type)
    if expected is None:
        expected = rng.randint(5, 9)
    if present is None:
        present = expected - (1 if rng.random() < 0.25 else 0)
    if principal_order is None:
        principal_order = present if rng.random() > 0.015 else rng.randint(1, present - 1)
    if due is None and outcome == "通过" and matter in ("重大项目安排", "大额资金使用", "重大决策"):
        due = held + dt.timedelta(days=rng.choice((90, 180, 365)))
    if done is None and due is not None:
        done = "已落实" if due < AS_OF else rng.choice(("落实中", "未落实", "已落实"))
    row: dict[str, Any] = {
        "meeting_no": number,
        "unit_code": unit.code,
        "meeting_type": meeting_type,
        "meeting_date": held,
        "item_no": item,
        "topic": topic,
        "matter": matter,
        "amount": amount,
        "expected": expected,
        "present": present,
        "principal_order": principal_order,
        "outcome": outcome,
        "due": due,
        "done": done,
        "refs": refs or None,
        "_protected": protected,
    }
    if sink is not None:
        sink.append(row)
        return row
    return world.add("decisions", row)
