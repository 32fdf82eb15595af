"""Builders shared by the planted cases of every rule group.

A case is a small function that creates its own people, units and companies (fresh ones, in units
reserved for planted cases, so background rows cannot change its outcome), writes the rows through the
same builders as the background city, and records the case from the very row objects it wrote.
Every planted row is protected: noise never makes it invalid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jiandu.analytics.contract import load_contract
from jiandu.demo.business import CompanyFactory
from jiandu.demo.careers import add_position, official_row
from jiandu.demo.deliveries import natural_key
from jiandu.demo.families import declare
from jiandu.demo.procurement import bid_row, make_contract_no, make_tender_no, payment_row
from jiandu.demo.records import add_decision
from jiandu.demo.world import AS_OF, Company, Person, Row, Unit, World, yuan

D = dt.date
APPOINTED = D(2019, 3, 1)  # default start of a planted official's post
FOUNDED = D(2012, 5, 1)  # default founding date of a planted company (old enough for PRC-07)
ROLE_START = D(2015, 1, 1)
NOTICE = D(2024, 4, 1)
QUIET_NAMES = {
    "住建": (
        "城乡建设服务中心",
        "重点工程建设管理中心",
        "住房保障服务中心",
        "市政设施管理处",
        "园林绿化管理所",
        "房屋征收服务中心",
        "建筑市场服务站",
        "人民防空工程管理站",
    ),
    "交通": ("公路建设养护中心", "交通工程质量监督站", "港航管理所", "道路运输服务中心"),
    "水利": ("河道管理所", "水资源管理站", "农村供水服务中心", "水土保持站"),
    "教育": tuple(f"第{n}中学" for n in "二三四五六七八九") + ("职业技术学校", "特殊教育学校", "实验中学"),
    "医疗卫生": ("妇幼保健院", "第二人民医院", "精神病医院", "急救中心", "皮肤病防治所", "血站"),
    "综合": (
        "机关事务服务中心",
        "政务服务中心",
        "统计局",
        "档案馆",
        "医疗保障局",
        "林业局",
        "应急管理局",
        "退役军人事务局",
        "数据资源管理局",
        "乡村振兴局",
        "商务局",
        "科学技术局",
        "司法局",
        "信访局",
    ),
}


@dataclass
class Tender:
    tender: Row
    bids: list[Row] = field(default_factory=list)
    contract: Row | None = None
    payments: list[Row] = field(default_factory=list)
    decision: Row | None = None

    @property
    def signed(self) -> Row:
        """The contract row, for a tender planted with `contract=True` (the default)."""
        assert self.contract is not None, "tender planted with contract=False has no contract"
        return self.contract


class Planter:
    def __init__(self, world: World, factory: CompanyFactory) -> None:
        self.world = world
        self.factory = factory
        self.cases: list[dict[str, Any]] = []
        self.contract = load_contract()
        city = world.cities[0]
        self.counties = [
            u
            for u in world.units
            if u.name.endswith("人民政府") and u.level == "县" and u.region_code in city["county_codes"]
        ]
        self._used: set[str] = set()
        self._n = 0

    # --- cases -------------------------------------------------------------------------------------------
    def ref(self, table: str, row: Row) -> dict[str, Any]:
        return {"table": table, "key": natural_key(self.contract[table], row)}

    def case(
        self,
        rule: str,
        expect: str,
        shape: str,
        subject: tuple[str, str],
        records: list[dict[str, Any]],
    ) -> None:
        self.cases.append(
            {
                "rule": rule,
                "expect": expect,
                "subject": {"type": subject[0], "key": subject[1]},
                "records": records,
                "shape": shape,
                "as_of": AS_OF.isoformat(),
            }
        )

    def hit(self, rule: str, shape: str, subject: tuple[str, str], *records: dict[str, Any]) -> None:
        self.case(rule, "hit", shape, subject, list(records))

    def miss(self, rule: str, shape: str, subject: tuple[str, str], *records: dict[str, Any]) -> None:
        self.case(rule, "miss", shape, subject, list(records))

    # --- units and people --------------------------------------------------------------------------------
    def unit(self, sector: str = "住建", parent: Unit | None = None, kind: str | None = None) -> Unit:
        """A unit reserved for planted cases: no background staff, tenders or petitions."""
        world = self.world
        self._n += 1
        county = self.counties[self._n % len(self.counties)]
        for suffix in QUIET_NAMES[sector] + tuple(
            f"第{i}{'中学' if sector == '教育' else '服务站'}" for i in range(10, 99)
        ):
            name = f"{county.name[:-4]}{suffix}"
            if name not in self._used and name not in {u.name for u in world.units[-400:]}:
                break
        self._used.add(name)
        kind = kind or ("党政机关" if name.endswith("局") else "事业单位")
        authority, category = ("1", "1") if kind == "党政机关" else ("1", "2")
        unit = Unit(
            code=world.ids.uscc(authority, category, county.region_code),
            name=name,
            short=county.short[0] + name[len(county.name) - 4 :],
            county=county.name[:-4],
            parent_code=(parent or county).code,
            region_code=county.region_code,
            kind=kind,
            level="县",
            sector=sector,
            quiet=True,
        )
        world.units.append(unit)
        world.unit_by_code[unit.code] = unit
        return unit

    def host_official(
        self,
        *,
        start: D = APPOINTED,
        end: D | None = None,
        person: Person | None = None,
        gender: str | None = None,
    ) -> tuple[Person, Row]:
        """A deputy in an ordinary background bureau or institution, for cases where the post itself does not
        matter to the rule (assets, travel, evaluations, own business): planted people live among real staff."""
        world = self.world
        if not hasattr(self, "_hosts"):
            self._hosts = [
                u
                for u in world.units
                if not u.quiet
                and u.level == "县"
                and u.kind in ("党政机关", "事业单位")
                and u.sector != "综合"
            ]
        unit = world.rng.choice(self._hosts)
        title = next(
            (
                v
                for k, v in (
                    ("医院", "副院长"),
                    ("卫生", "副院长"),
                    ("学", "副校长"),
                    ("委员会", "副主任"),
                    ("局", "副局长"),
                )
                if k in unit.name
            ),
            "副主任",
        )
        return self.official(
            unit,
            title,
            "副科" if unit.kind == "党政机关" else None,
            start=start,
            end=end,
            principal=False,
            oversees=("办公室", "人事"),
            person=person,
            gender=gender,
        )

    def person(self, gender: str | None = None, birth: D | None = None, surname: str | None = None) -> Person:
        return self.world.new_person(gender, birth, surname=surname)

    def official(
        self,
        unit: Unit,
        title: str = "党组书记、局长",
        rank: str | None = "正科",
        *,
        start: D = APPOINTED,
        end: D | None = None,
        principal: bool = True,
        team: bool = True,
        oversees: tuple[str, ...] = (),
        person: Person | None = None,
        decision: bool = True,
        gender: str | None = None,
    ) -> tuple[Person, Row]:
        world = self.world
        if person is None:
            person = self.person(
                gender, D(world.rng.randint(1966, 1984), world.rng.randint(1, 12), world.rng.randint(1, 28))
            )
        if person.id_number not in world.officials:
            world.officials.append(person.id_number)
            world.add("officials", official_row(world, person.id_number) | {"_protected": True})
            world.families.setdefault(person.id_number, [])
        pos = self.position(
            person,
            unit,
            title,
            rank,
            start=start,
            end=end,
            principal=principal,
            team=team,
            oversees=oversees,
            decision=decision,
        )
        return person, pos

    def position(
        self,
        person: Person,
        unit: Unit,
        title: str,
        rank: str | None,
        *,
        start: D,
        end: D | None = None,
        principal: bool = False,
        team: bool = True,
        oversees: tuple[str, ...] = (),
        decision: bool = True,
    ) -> Row:
        doc = f"{unit.county[:2]}组〔{start.year}〕{self.world.counter('doc') % 300 + 1}号"
        return add_position(
            self.world,
            person.id_number,
            unit,
            title,
            rank,
            principal,
            team,
            oversees,
            start,
            end,
            doc,
            decision=decision,
            protected=True,
        )

    def relative(self, official: Person, relation: str, person: Person | None = None) -> Person:
        rng = self.world.rng
        if person is None:
            by = official.birth.year
            births = {
                "配偶": (by - 3, by + 3),
                "子女": (by + 24, by + 30),
                "子女配偶": (by + 24, by + 30),
                "父亲": (by - 30, by - 24),
                "母亲": (by - 28, by - 22),
                "兄弟姐妹": (by - 6, by + 6),
                "配偶父母": (by - 30, by - 24),
            }[relation]
            birth = D(rng.randint(*births), rng.randint(1, 12), rng.randint(1, 28))
            gender = {"配偶": "女" if official.gender == "男" else "男", "父亲": "男", "母亲": "女"}.get(
                relation
            )
            surname = official.name[0] if relation in ("子女", "父亲", "兄弟姐妹") else None
            person = self.person(gender, birth, surname)
        family = self.world.families.setdefault(official.id_number, [])
        while person.name in {p.name for _, p in family} and person.id_number not in self.world.officials:
            person.name = self.world.ids.person_name(person.gender, person.name[0])  # one row per name
        family.append((relation, person))
        return person

    def declare(
        self,
        official: Person,
        years: tuple[int, ...] = (2023, 2024, 2025),
        omit: set[str] | None = None,
        without_id: set[str] | None = None,
    ) -> list[Row]:
        """Honest declarations (all family, properties, covered relatives' businesses) except `omit`."""
        rows = self.world.rows.setdefault("family_members", [])
        before = len(rows)
        for year in years:
            declare(self.world, official.id_number, year, omit=omit, protected=True, without_id=without_id)
        return [r for r in rows[before:] if r["declarant_id"] == official.id_number]

    def family_row(self, official: Person, relative: Person, year: int = 2025) -> Row:
        return next(
            r
            for r in self.world.rows["family_members"]
            if r["declarant_id"] == official.id_number and r["year"] == year and r["name"] == relative.name
        )

    # --- companies ----------------------------------------------------------------------------------------
    def company(
        self,
        business: str = "工程",
        founded: D = FOUNDED,
        legal_rep: Person | None = None,
        phone: str | None = None,
    ) -> Company:
        company = self.factory.create(
            business=business, founded=founded, legal_rep=legal_rep, bidder=False, protected=True, phone=phone
        )
        company.related = True  # keep it out of background procurement and payments
        return company

    def role(
        self,
        company: Company,
        holder: Person | Company,
        role: str = "股东",
        start: D = ROLE_START,
        end: D | None = None,
        share: float | None = 30,
    ) -> Row:
        return self.factory.role(
            company, holder, role, start, end, share=share if role == "股东" else None, protected=True
        )

    # --- procurement --------------------------------------------------------------------------------------
    def tender(
        self,
        buyer: Unit,
        winner: Company,
        *,
        others: int | list[Company] = 2,
        method: str = "公开招标",
        category: str = "工程",
        budget: float = 3_000_000,
        notice: D = NOTICE,
        days: int = 25,
        award_after: int = 10,
        prices: Sequence[float] | None = None,
        rejected: tuple[int, ...] = (),
        contract: bool = True,
        amount: float | None = None,
        final: float | None = None,
        signed: D | None = None,
        decision: bool = True,
        devices: dict[int, str] | None = None,
        ips: dict[int, str] | None = None,
        pay: bool = False,
    ) -> Tender:
        """A tender whose bid 0 is the winner; others are fresh companies unless given."""
        world = self.world
        if isinstance(others, int):
            others = [
                self.company(winner.business, D(2010, 1, 1) + dt.timedelta(days=world.rng.randrange(2000)))
                for _ in range(others)
            ]
        bidders = [winner, *others]
        deadline = notice + dt.timedelta(days=days)
        award = deadline + dt.timedelta(days=award_after)
        tender_no = make_tender_no(world, buyer, notice, category)
        t = Tender(
            world.add(
                "tenders",
                {
                    "tender_no": tender_no,
                    "title": f"{buyer.name}{'设备采购' if category == '货物' else '维修改造工程'}",
                    "buyer_code": buyer.code,
                    "method": method,
                    "category": category,
                    "budget": yuan(budget),
                    "notice_date": notice,
                    "deadline": deadline,
                    "award_date": award,
                    "_protected": True,
                },
            )
        )
        win_price = budget * 0.9
        if prices is None:
            prices = [win_price] + [win_price * (1.04 + 0.03 * i) for i in range(len(others))]
        for i, company in enumerate(bidders):
            row = bid_row(
                tender_no,
                company,
                yuan(prices[i]),
                i == 0,
                "资格证明文件不全" if i in rejected else None,
                device_id=(devices or {}).get(i),
                ip=(ips or {}).get(i),
                protected=True,
            )
            t.bids.append(world.add("bids", row))
        if contract:
            t.contract, t.decision, t.payments = self.contract_for(
                buyer,
                winner,
                amount if amount is not None else prices[0],
                signed or award + dt.timedelta(days=7),
                tender_no,
                final=final,
                decision=decision,
                pay=pay,
            )
        return t

    def contract_for(
        self,
        buyer: Unit,
        supplier: Company,
        amount: float,
        signed: D,
        tender_no: str | None,
        *,
        final: float | None = None,
        decision: bool = True,
        pay: bool = False,
    ) -> tuple[Row, Row | None, list[Row]]:
        world = self.world
        contract_no = make_contract_no(world, buyer, signed)
        row = world.add(
            "contracts",
            {
                "contract_no": contract_no,
                "tender_no": tender_no,
                "buyer_code": buyer.code,
                "supplier_code": supplier.uscc,
                "amount": yuan(amount),
                "signed": signed,
                "final_amount": yuan(final) if final is not None else None,
                "amendments": 1 if final else 0,
                "_companies": {"supplier_code": supplier.uscc},
                "_protected": True,
            },
        )
        decision_row = None
        if decision and amount >= 500_000:
            decision_row = add_decision(
                world,
                buyer,
                signed - dt.timedelta(days=12),
                f"关于签订{supplier.name}合同的议题",
                "重大项目安排",
                amount=yuan(amount),
                refs=[contract_no] + ([tender_no] if tender_no else []),
                protected=True,
            )
        payments = (
            [self.payment(buyer, supplier, amount, signed + dt.timedelta(days=20), contract_no)]
            if pay
            else []
        )
        return row, decision_row, payments

    def payment(
        self, buyer: Unit, payee: Company, amount: float, paid: D, contract_no: str | None = None
    ) -> Row:
        row = payment_row(
            self.world.serial("payment", 8),
            buyer,
            payee.name,
            payee.uscc,
            yuan(amount),
            paid,
            "合同款" if contract_no else "服务费",
            contract_no,
            company=True,
            protected=True,
        )
        return self.world.add("payments", row)

    def decision(self, unit: Unit, held: D, topic: str, matter: str, **kwargs: Any) -> Row:
        return add_decision(self.world, unit, held, topic, matter, protected=True, **kwargs)


def official_key(person: Person) -> tuple[str, str]:
    return ("official", person.id_number)


def unit_key(unit: Unit) -> tuple[str, str]:
    return ("unit", unit.code)


def tender_key(t: Tender) -> tuple[str, str]:
    return ("tender", t.tender["tender_no"])


def company_key(company: Company) -> tuple[str, str]:
    return ("company", company.uscc)
