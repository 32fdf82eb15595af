"""Ten years of cadre careers: leadership slots, tenures, rotations, promotions and departures.

Each unit has slots (title, rank, principal?, team member?, oversees). A slot's history is a chain of
tenures of 2.5–6 years (village secretaries sometimes 15+); when a tenure ends the holder either leaves
(retirement, transfer out of the city) or returns to a pool from which later vacancies of the same or the
next rank are filled — that is how rotations and promotions arise. Every appointment gets a 重要人事任免
decision of the unit a few weeks earlier (a few percent are missing: that is realistic DEC-06 noise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiandu.demo.records import add_decision
from jiandu.demo.world import AS_OF, Row, Unit, World

RANK_ORDER = {"正厅": 6, "副厅": 5, "正处": 4, "副处": 3, "正科": 2, "副科": 1}
SECTORS = ("住建", "交通", "水利", "教育", "医疗卫生", "国土", "农业", "环保", "文旅", "民政")
INTERNAL_AREAS = ("办公室", "计划财务", "行政审批", "工程建设", "安全监管", "人事", "政策法规", "项目管理")
BIRTH_YEARS = {
    "正厅": (1962, 1972),
    "副厅": (1964, 1976),
    "正处": (1964, 1980),
    "副处": (1966, 1984),
    "正科": (1968, 1988),
    "副科": (1972, 1993),
    None: (1962, 1992),
}


@dataclass
class Slot:
    unit: Unit
    title: str
    rank: str | None
    principal: bool
    team: bool
    oversees: tuple[str, ...] = ()


def unit_slots(world: World, unit: Unit, children: dict[str, list[Unit]]) -> list[Slot]:
    rng = world.rng
    city = unit.level == "市"
    top, deputy = ("正处", "副处") if city else ("正科", "副科")
    kids = children.get(unit.code, [])
    if unit.kind == "党政机关" and unit.sector == "综合":
        top, deputy = ("正厅", "副厅") if city else ("正处", "副处")
        place = "市" if city else unit.short[0]
        if "委员会" in unit.name and unit.name.startswith("中共"):
            return [
                Slot(unit, f"{place}委书记", top, True, True),
                Slot(unit, f"{place}委副书记", deputy, False, True, ("党建",)),
                Slot(unit, f"{place}委常委、组织部部长", deputy, False, True, ("组织",)),
            ]
        head = "市长" if city else {"县": "县长", "区": "区长", "市": "市长"}[place]
        slots = [
            Slot(unit, head, top, True, True),
            Slot(unit, f"常务副{head}", deputy, False, True, ("财政", "审计", "发改")),
        ]
        for _ in range(3):
            slots.append(Slot(unit, f"副{head}", deputy, False, True, tuple(rng.sample(SECTORS, 2))))
        return slots
    if unit.kind == "党政机关":
        head = "主任" if unit.name.endswith("委员会") else "局长"
        slots = [Slot(unit, f"党组书记、{head}", top, True, True)]
        for i in range(3):
            area = tuple(k.code for k in kids) if i == 0 and kids else tuple(rng.sample(INTERNAL_AREAS, 2))
            slots.append(Slot(unit, f"副{head}", deputy, False, True, area))
        for title in ("办公室主任", "计划财务科科长", "项目管理科科长", "法规科科长"):
            slots.append(
                Slot(
                    unit,
                    title if city else title.replace("科科长", "股股长"),
                    "正科" if city else None,
                    False,
                    False,
                )
            )
        return slots
    if unit.kind == "事业单位":
        head, vice = next(
            (
                (h, v)
                for k, h, v in (
                    ("医院", "院长", "副院长"),
                    ("卫生", "院长", "副院长"),
                    ("学", "校长", "副校长"),
                    ("站", "站长", "副站长"),
                    ("所", "所长", "副所长"),
                )
                if k in unit.name
            ),
            ("主任", "副主任"),
        )
        rank = None if unit.level == "乡" else deputy
        return [
            Slot(unit, f"党支部书记、{head}", rank, True, True),
            Slot(unit, vice, None, False, True, tuple(rng.sample(INTERNAL_AREAS, 2))),
            Slot(unit, "办公室主任", None, False, False),
        ]
    if unit.kind == "国有企业":
        return [
            Slot(unit, "党委书记、董事长", top, True, True),
            Slot(unit, "总经理", deputy, False, True),
            Slot(unit, "副总经理", None, False, True, ("工程建设",)),
            Slot(unit, "副总经理", None, False, True, ("计划财务",)),
        ]
    if unit.kind == "乡镇街道":
        head = {"镇": "镇长", "乡": "乡长", "街": "主任"}[unit.short[-1]]
        villages = [k.code for k in kids]
        slots = [
            Slot(unit, "党委书记" if head != "主任" else "党工委书记", "正科", True, True),
            Slot(unit, head, "正科", False, True),
        ]
        for i in range(2):
            slots.append(Slot(unit, f"副{head}", "副科", False, True, tuple(villages[i::2]) or ("农业",)))
        slots.append(Slot(unit, "纪委书记", "副科", False, True))
        return slots
    return [
        Slot(unit, "党支部书记、主任" if "村" in unit.short else "党委书记、主任", None, True, True),
        Slot(unit, "委员会副主任", None, False, True),
    ]


def build_careers(world: World) -> None:
    rng = world.rng
    children: dict[str, list[Unit]] = {}
    for unit in world.units:
        if unit.parent_code:
            children.setdefault(unit.parent_code, []).append(unit)
    tenures: list[tuple[dt.date, int, Slot, dt.date | None]] = []
    for unit in world.units:
        if unit.quiet:
            continue
        for slot in unit_slots(world, unit, children):
            start = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(0, 3100))
            while start <= AS_OF:
                long_village = slot.rank is None and unit.kind == "村社区" and rng.random() < 0.08
                length = rng.randrange(5400, 6200) if long_village else rng.randrange(900, 2200)
                finish = start + dt.timedelta(days=length)
                tenures.append((start, len(tenures), slot, finish if finish < AS_OF else None))
                start = finish + dt.timedelta(days=1)
    tenures.sort(key=lambda t: (t[0], t[1]))
    pool: dict[tuple[str, str | None], list[tuple[dt.date, str]]] = {}
    doc_seq: dict[tuple[str, int], int] = {}
    for start, _, slot, end in tenures:
        pid = _pick_from_pool(world, pool, slot, start)
        if pid is None:
            lo, hi = BIRTH_YEARS[slot.rank]
            birth = dt.date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))
            person = world.new_person(birth=birth, region=rng.choice(_county_codes(world, slot.unit)))
            pid = person.id_number
            world.officials.append(pid)
            world.add("officials", official_row(world, pid))
        doc_key = (slot.unit.county, start.year)
        doc_seq[doc_key] = doc_seq.get(doc_key, 0) + 1
        add_position(
            world,
            pid,
            slot.unit,
            slot.title,
            slot.rank,
            slot.principal,
            slot.team,
            slot.oversees,
            start,
            end,
            f"{slot.unit.county[:2]}组〔{start.year}〕{doc_seq[doc_key]}号",
            decision=rng.random() > 0.02,
        )
        if end is not None and rng.random() < 0.6:
            pool.setdefault(_pool_key(slot), []).append((end + dt.timedelta(days=1), pid))


def _county_codes(world: World, unit: Unit) -> list[str]:
    return [unit.region_code] * 4 + [world.home_region()]


def _pool_key(slot: Slot) -> tuple[str, str | None]:
    return (slot.unit.region_code[:4], slot.rank if slot.rank else slot.unit.region_code)


def _pick_from_pool(world: World, pool: dict, slot: Slot, start: dt.date) -> str | None:
    """A released cadre of the same rank (rotation) or one rank below (promotion), released within a year."""
    if world.rng.random() < 0.35:
        return None
    keys = [_pool_key(slot)]
    if slot.rank in RANK_ORDER:
        lower = [r for r, v in RANK_ORDER.items() if v == RANK_ORDER[slot.rank] - 1]
        keys += [(slot.unit.region_code[:4], r) for r in lower]
    for key in keys:
        entries = pool.get(key, [])
        ready = [
            i for i, (avail, _) in enumerate(entries) if start - dt.timedelta(days=365) <= avail <= start
        ]
        if ready:
            i = world.rng.choice(ready)
            return entries.pop(i)[1]
    return None


def official_row(world: World, pid: str) -> Row:
    person = world.persons[pid]
    return {
        "id_number": pid,
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth,
        "party": "中共党员"
        if world.rng.random() < 0.93
        else world.rng.choice(("群众", "民盟盟员", "九三学社社员")),
        "phone": person.phone,
        "_persons": {"id_number": pid},
    }


def add_position(
    world: World,
    pid: str,
    unit: Unit,
    title: str,
    rank: str | None,
    principal: bool,
    team: bool,
    oversees: tuple[str, ...],
    start: dt.date,
    end: dt.date | None,
    document_no: str,
    *,
    decision: bool = True,
    protected: bool = False,
) -> Row:
    """A position row plus, unless told otherwise, the unit's 重要人事任免 decision weeks before."""
    row = world.add(
        "positions",
        {
            "id_number": pid,
            "unit_code": unit.code,
            "title": title,
            "rank": rank,
            "is_principal": principal,
            "is_team_member": team,
            "oversees": list(oversees) or None,
            "start_date": start,
            "end_date": end,
            "document_no": document_no,
            "_persons": {"id_number": pid},
            "_protected": protected,
        },
    )
    if decision:
        held = start - dt.timedelta(days=world.rng.randrange(7, 45))
        add_decision(
            world,
            unit,
            held,
            f"关于{world.persons[pid].name}同志任职的议题",
            "重要人事任免",
            protected=protected,
        )
    return row
