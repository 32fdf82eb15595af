"""Officials' households: declared family, property, income, large transactions and private travel.

The truth is `world.families`; declarations (个人有关事项报告) are filed for 2021–2025 by officials who
hold a 副处-or-above rank or a principal post at year end. Background declarations are honest: every
property and every covered relative's business held at 12-31 is listed, so AST-02 and COI-03 fire only
on planted cases (and on what noise removes).
"""

from __future__ import annotations

import datetime as dt

from jiandu.demo.business import CompanyFactory
from jiandu.demo.world import AS_OF, Person, Row, World, yuan

DECLARATION_YEARS = tuple(range(2021, 2026))
COVERED = ("配偶", "子女", "子女配偶")  # relations whose business the declaration must report
JOBS = (
    ("教师", "{county}第一中学"),
    ("医生", "{county}人民医院"),
    ("职员", "{county}农村商业银行"),
    ("会计", "{company}"),
    ("个体经营", "个体工商户"),
    ("退休", "无"),
    ("公务员", "{county}税务局"),
)
DESTINATIONS = (
    ("泰国", "上海浦东国际机场口岸"),
    ("日本", "上海浦东国际机场口岸"),
    ("新加坡", "广州白云国际机场口岸"),
    ("香港", "深圳罗湖口岸"),
    ("澳门", "珠海拱北口岸"),
    ("马来西亚", "广州白云国际机场口岸"),
    ("韩国", "南京禄口国际机场口岸"),
    ("越南", "南宁吴圩国际机场口岸"),
)


def build_families(world: World, factory: CompanyFactory) -> None:
    rng = world.rng
    for pid in world.officials:
        official = world.persons[pid]
        members = make_family(world, official)
        world.families[pid] = members
        for relation, person in members:
            if relation in COVERED and person.birth.year < 2000 and rng.random() < 0.05:
                company = factory.create(
                    business="其他", place=world.cities[0]["name"], legal_rep=person, bidder=False
                )
                company.related = True
    positions_by_person: dict[str, list[Row]] = {}
    for row in world.rows.get("positions", []):
        positions_by_person.setdefault(row["id_number"], []).append(row)
    for pid in world.officials:
        household = [world.persons[pid]] + [p for r, p in world.families[pid] if r == "配偶"]
        for owner in household:
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                add_property(world, owner, registered=_random_date(world, dt.date(2003, 1, 1), AS_OF))
        add_income(world, household)
        for year in DECLARATION_YEARS:
            if files_declaration(positions_by_person.get(pid, []), year):
                declare(world, pid, year)
        add_bank_and_travel(world, pid)


def make_family(world: World, official: Person) -> list[tuple[str, Person]]:
    rng = world.rng
    surname = official.name[0]
    by = official.birth.year
    members: list[tuple[str, Person]] = []

    def born(lo: int, hi: int) -> dt.date:
        return dt.date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))

    spouse = None
    if rng.random() < 0.9:
        spouse = world.new_person("女" if official.gender == "男" else "男", born(by - 3, by + 3))
        members.append(("配偶", spouse))
    for _ in range(rng.choice((1, 1, 2))):
        child_birth = born(by + 24, by + 34)
        if child_birth >= AS_OF:
            continue
        child_surname = surname if official.gender == "男" or spouse is None else spouse.name[0]
        child = world.new_person(rng.choice("男女"), child_birth, surname=child_surname)
        members.append(("子女", child))
        if child_birth.year < 1996 and rng.random() < 0.5:
            members.append(
                (
                    "子女配偶",
                    world.new_person(
                        "女" if child.gender == "男" else "男",
                        born(child_birth.year - 2, child_birth.year + 2),
                    ),
                )
            )
    if by > 1958:
        members.append(("父亲", world.new_person("男", born(by - 32, by - 22), surname=surname)))
    if by > 1960 and rng.random() < 0.85:
        members.append(("母亲", world.new_person("女", born(by - 30, by - 21))))
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        members.append(
            ("兄弟姐妹", world.new_person(rng.choice("男女"), born(by - 8, by + 8), surname=surname))
        )
    if spouse is not None and rng.random() < 0.5:
        members.append(
            ("配偶父母", world.new_person(rng.choice("男女"), born(by - 30, by - 22), surname=spouse.name[0]))
        )
    names: set[str] = set()
    for _, person in members:  # a declaration lists each relative once by name: siblings never share one
        while person.name in names:
            person.name = world.ids.person_name(person.gender, person.name[0])
        names.add(person.name)
    return members


def files_declaration(positions: list[Row], year: int) -> bool:
    end = dt.date(year, 12, 31)
    for row in positions:
        if row["start_date"] <= end and (row["end_date"] is None or row["end_date"] >= end):
            if row["rank"] in ("正厅", "副厅", "正处", "副处") or (
                row["is_principal"] and row["rank"] == "正科"
            ):
                return True
    return False


def declare(
    world: World,
    pid: str,
    year: int,
    *,
    omit: set[str] | None = None,
    protected: bool = False,
    family: list[tuple[str, Person]] | None = None,
    without_id: set[str] | None = None,
) -> None:
    """One year's 个人有关事项报告: family rows, properties and covered relatives' businesses.

    `omit` lists uscc codes or property unit numbers the declarant leaves out (planted COI-03 / AST-02).
    """
    rng = world.rng
    omit = omit or set()
    year_end = dt.date(year, 12, 31)
    members = family if family is not None else world.families.get(pid, [])
    for relation, person in members:
        with_id = rng.random() < {"配偶": 0.97, "子女": 0.95, "子女配偶": 0.7}.get(relation, 0.55)
        world.add(
            "family_members",
            {
                "declarant_id": pid,
                "year": year,
                "relation": relation,
                "name": person.name,
                "id_number": None
                if person.id_number in (without_id or set())
                else person.id_number
                if with_id or protected
                else None,
                **_occupation(world, person, relation, year),
                "_persons": {"declarant_id": pid, "name": person.id_number},
                "_protected": protected,
            },
        )
    owners = {pid: "本人"} | {p.id_number: "配偶" for r, p in members if r == "配偶"}
    for owner, holder_relation in owners.items():
        for unit_no, location, area, registered, price in world.properties.get(owner, []):
            if registered <= year_end and unit_no not in omit:
                world.add(
                    "declared_assets",
                    {
                        "declarant_id": pid,
                        "year": year,
                        "category": "房产",
                        "holder_relation": holder_relation,
                        "description": location,
                        "counterpart_code": None,
                        "area_m2": area,
                        "amount": price,
                        "_persons": {"declarant_id": pid},
                        "_protected": protected,
                    },
                )
    holders = {p.id_number: r for r, p in members if r in COVERED}
    listed: set[str] = set()
    for holder, relation in holders.items():
        for uscc, start, end in world.holdings.get(holder, []):
            held = start <= year_end and (end is None or end >= year_end)
            if held and uscc not in omit and uscc not in listed:
                listed.add(uscc)  # one row per company even when the relative holds several roles in it
                name = world.company_by_uscc[uscc].name
                world.add(
                    "declared_assets",
                    {
                        "declarant_id": pid,
                        "year": year,
                        "category": "经商办企业",
                        "holder_relation": "配偶" if relation == "配偶" else "子女",
                        "description": f"{name}（{relation}）",
                        "counterpart_code": uscc,
                        "area_m2": None,
                        "amount": None,
                        "_persons": {"declarant_id": pid},
                        "_companies": {"counterpart_code": uscc},
                        "_protected": protected,
                    },
                )
    world.add(
        "declared_assets",
        {
            "declarant_id": pid,
            "year": year,
            "category": "存款",
            "holder_relation": "共同",
            "description": "银行存款",
            "counterpart_code": None,
            "area_m2": None,
            "amount": yuan(rng.randrange(5, 120) * 10000),
            "_persons": {"declarant_id": pid},
            "_protected": protected,
        },
    )


def _occupation(world: World, person: Person, relation: str, year: int) -> dict[str, str | None]:
    """Employer and job as declared: pupils and students, retired parents, working adults."""
    rng = world.rng
    age = year - person.birth.year
    if age < 23:
        return {"employer": None if age < 7 else "在读", "job": "学生" if age >= 7 else "学龄前"}
    if age >= 62 or relation in ("父亲", "母亲", "配偶父母") and age >= 58:
        return {"employer": "无", "job": "退休"}
    job, employer = rng.choice(JOBS[:5] + JOBS[6:])
    unit = rng.choice(world.units)
    place = unit.county
    return {"employer": employer.format(county=place, company=f"{place}个体工商户"), "job": job}


def _random_date(world: World, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=world.rng.randrange(0, (hi - lo).days + 1))


def add_property(
    world: World,
    owner: Person,
    *,
    registered: dt.date,
    price: int | None = None,
    area: int | None = None,
    location: str | None = None,
    protected: bool = False,
) -> Row:
    rng = world.rng
    seq = [world.serial("property", 7)]
    county_code = owner.region if owner.region.startswith("34") else world.cities[0]["county_codes"][0]
    unit_no = (
        f"{county_code}{rng.randrange(1, 20):03d}{rng.randrange(1, 40):03d}GB{rng.randrange(1, 99999):05d}"
        f"F{seq[0]:08d}"
    )
    area = area if area is not None else yuan(rng.randrange(70, 170) + rng.randrange(0, 100) / 100)
    if location is None:
        community = rng.choice(("锦绣", "阳光", "翰林", "滨江", "世纪", "御景", "书香", "金色"))
        location = (
            f"{world.cities[0]['name']}{community}{rng.choice(('花园', '家园', '华府', '苑'))}"
            f"{rng.randint(1, 30)}栋{rng.randint(1, 3)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
        )
    if price is None:
        price = yuan(area / 100 * rng.randrange(4500, 13000)) if rng.random() < 0.9 else None
    world.properties.setdefault(owner.id_number, []).append((unit_no, location, area, registered, price))
    return world.add(
        "real_estate",
        {
            "unit_no": unit_no,
            "owner_name": owner.name,
            "owner_id": owner.id_number,
            "location": location,
            "area_m2": area,
            "registered": registered,
            "acquired_by": "购买" if price is not None else "继承",
            "price": price,
            "_persons": {"owner_id": owner.id_number},
            "_protected": protected,
        },
    )


def add_income(
    world: World,
    household: list[Person],
    *,
    annual: list[int] | None = None,
    years: range = range(2016, 2026),
    protected: bool = False,
) -> None:
    rng = world.rng
    for i, person in enumerate(household):
        base = annual[i] if annual else yuan(rng.randrange(60, 220) * 1000)
        for year in years:
            income = base if annual else int(base * (1.03 ** (year - 2016)))
            world.add(
                "tax_income",
                {
                    "id_number": person.id_number,
                    "year": year,
                    "income": income,
                    "tax": max(0, (income - yuan(60000)) // 10),
                    "_persons": {"id_number": person.id_number},
                    "_protected": protected,
                },
            )


def add_bank_and_travel(world: World, pid: str) -> None:
    rng = world.rng
    person = world.persons[pid]
    for _ in range(rng.choice((0, 0, 1, 2))):
        tx_date = _random_date(world, dt.date(2017, 1, 1), AS_OF)
        if rng.random() < 0.5:
            add_bank(world, person, tx_date, yuan(rng.randrange(50, 90) * 1000), "付", "现金", None)
        else:
            add_bank(
                world, person, tx_date, yuan(rng.randrange(200, 600) * 1000), "付", "转账", world.new_person()
            )
    if rng.random() < 0.15:
        spouse = next((p for r, p in world.families[pid] if r == "配偶"), None)
        leaves = sorted(
            _random_date(world, dt.date(2017, 1, 1), AS_OF - dt.timedelta(days=30))
            for _ in range(rng.randint(1, 3))
        )
        for i, leave in enumerate(leaves):
            if i and (leave - leaves[i - 1]).days < 20:
                continue  # trips never overlap
            back = leave + dt.timedelta(days=rng.randint(4, 12))
            destination, port = rng.choice(DESTINATIONS)
            add_trip(world, person, leave, back, destination, port)
            if spouse is not None:
                add_crossing(world, spouse, leave, "出境", port, destination)
                add_crossing(world, spouse, back, "入境", port, destination)


def add_bank(
    world: World,
    holder: Person,
    tx_date: dt.date,
    amount: int,
    direction: str,
    mode: str,
    counterpart: Person | object | None,
    *,
    protected: bool = False,
) -> Row:
    seq = [world.serial("tx", 7)]
    row: Row = {
        "tx_no": f"LT{tx_date:%Y%m%d}{seq[0]:07d}",
        "holder_id": holder.id_number,
        "tx_date": tx_date,
        "amount": amount,
        "direction": direction,
        "mode": mode,
        "counterpart_name": None,
        "counterpart_id": None,
        "_persons": {"holder_id": holder.id_number},
        "_protected": protected,
    }
    if isinstance(counterpart, Person):
        row.update(counterpart_name=counterpart.name, counterpart_id=counterpart.id_number)
        row["_persons"]["counterpart_id"] = counterpart.id_number
    elif counterpart is not None:
        row.update(counterpart_name=counterpart.name, counterpart_id=counterpart.uscc)  # type: ignore[attr-defined]
        row["_companies"] = {"counterpart_id": counterpart.uscc}  # type: ignore[attr-defined]
    return world.add("bank_transactions", row)


def add_trip(
    world: World,
    person: Person,
    leave: dt.date,
    back: dt.date,
    destination: str,
    port: str,
    *,
    approved: bool = True,
    out_day: dt.date | None = None,
    in_day: dt.date | None = None,
    protected: bool = False,
) -> list[Row]:
    rows = []
    if approved:
        seq = [world.serial("trip", 7)]
        rows.append(
            world.add(
                "travel_approvals",
                {
                    "approval_no": f"YS{leave.year}{seq[0]:07d}",
                    "id_number": person.id_number,
                    "destination": destination,
                    "leave": leave,
                    "back": back,
                    "_persons": {"id_number": person.id_number},
                    "_protected": protected,
                },
            )
        )
    rows.append(add_crossing(world, person, out_day or leave, "出境", port, destination, protected=protected))
    rows.append(add_crossing(world, person, in_day or back, "入境", port, destination, protected=protected))
    return rows


def add_crossing(
    world: World,
    person: Person,
    day: dt.date,
    direction: str,
    port: str,
    destination: str,
    *,
    protected: bool = False,
) -> Row:
    return world.add(
        "border_crossings",
        {
            "id_number": person.id_number,
            "name": person.name,
            "crossed": day,
            "direction": direction,
            "port": port,
            "destination": destination,
            "_persons": {"id_number": person.id_number},
            "_protected": protected,
        },
    )
