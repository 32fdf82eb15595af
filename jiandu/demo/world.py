"""The city in memory: people, units, companies and the rows that describe them.

Rows are plain dicts keyed by contract column keys with canonical values (str, `date`, money as integer
fen, bool, int, list). Keys starting with "_" are truth annotations that are never written to a delivery:
`_persons` maps a column to the true id_number of the person it names, `_companies` maps a column to the
true uscc, `_protected` marks rows a planted case depends on (never corrupted by noise).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from jiandu.demo.identity import IdentityFactory

AS_OF = dt.date(2026, 6, 30)
HISTORY_START = dt.date(2016, 7, 1)
Row = dict[str, Any]


def yuan(amount: float) -> int:
    """Money is kept as integer fen so that sums and thresholds are exact."""
    return int(round(amount * 100))


@dataclass
class Person:
    id_number: str
    name: str
    gender: str
    birth: dt.date
    phone: str
    region: str


@dataclass
class Unit:
    code: str
    name: str
    short: str
    parent_code: str | None
    region_code: str
    kind: str
    level: str
    sector: str | None
    county: str
    quiet: bool = False  # reserved for planted cases: background procurement and petitions skip it


@dataclass
class Company:
    uscc: str
    name: str
    founded: dt.date
    region: str
    legal_rep: Person
    phone: str
    business: str  # 工程 / 货物 / 服务 / 其他: what it can bid for
    device_id: str
    ip: str
    bidder: bool = True
    related: bool = False  # owned by an official's relative: kept out of background procurement


@dataclass
class World:
    seed: int
    scale: float
    rng: random.Random
    fake: Faker
    ids: IdentityFactory
    persons: dict[str, Person] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    unit_by_code: dict[str, Unit] = field(default_factory=dict)
    companies: list[Company] = field(default_factory=list)
    company_by_uscc: dict[str, Company] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    officials: list[str] = field(default_factory=list)
    cities: list[dict[str, Any]] = field(default_factory=list)
    # official id_number -> [(relation, person)], the truth behind every declaration
    families: dict[str, list[tuple[str, Person]]] = field(default_factory=dict)
    # person id_number -> properties [(unit_no, location, area fen, registered, price fen)] for declarations
    properties: dict[str, list[tuple[str, str, int, dt.date, int | None]]] = field(default_factory=dict)
    # person id_number -> companies they hold a role in [(uscc, start, end)]
    holdings: dict[str, list[tuple[str, dt.date, dt.date | None]]] = field(default_factory=dict)

    @classmethod
    def create(cls, seed: int, scale: float) -> World:
        rng = random.Random(f"jiandu-demo:{seed}:{float(scale)}")  # 1 and 1.0 are the same city
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        return cls(
            seed=seed, scale=scale, rng=rng, fake=fake, ids=IdentityFactory(random.Random(rng.random()))
        )

    def counter(self, kind: str) -> int:
        """Shared sequence numbers, so planted and background rows are numbered alike."""
        counters: dict[str, int] = self.__dict__.setdefault("_counters", {})
        counters[kind] = counters.get(kind, 0) + 1
        return counters[kind]

    def serial(self, kind: str, digits: int = 6) -> int:
        """A unique number that does not reveal creation order (planted rows are made first)."""
        used: set[int] = self.__dict__.setdefault("_serials", {}).setdefault(kind, set())
        if "_serial_rng" not in self.__dict__:
            self.__dict__["_serial_rng"] = random.Random(f"serial:{self.seed}")
        rng = self.__dict__["_serial_rng"]
        while True:
            value = rng.randrange(1, 10**digits)
            if value not in used:
                used.add(value)
                return value

    def add(self, table: str, row: Row) -> Row:
        self.rows.setdefault(table, []).append(row)
        return row

    def new_person(
        self,
        gender: str | None = None,
        birth: dt.date | None = None,
        *,
        surname: str | None = None,
        region: str | None = None,
        name: str | None = None,
    ) -> Person:
        rng = self.rng
        gender = gender or rng.choice("男女")
        if birth is None:
            birth = dt.date(rng.randint(1955, 1998), rng.randint(1, 12), rng.randint(1, 28))
        if region is None:
            region = self.home_region()
        person = Person(
            id_number=self.ids.id_number(region, birth, gender),
            name=name or self.ids.person_name(gender, surname),
            gender=gender,
            birth=birth,
            phone=self.ids.mobile(),
            region=region,
        )
        self.persons[person.id_number] = person
        return person

    def home_region(self) -> str:
        """Most people were born in one of the city's counties; some elsewhere."""
        rng = self.rng
        if rng.random() < 0.12 or not self.cities:
            return rng.choice(("340102", "340104", "341002", "360102", "420106", "320106", "330106"))
        city = rng.choice(self.cities)
        return rng.choice(city["county_codes"])

    def street_address(self, county: str) -> str:
        return f"{county}{self.fake.street_name()}{self.rng.randint(1, 388)}号"
