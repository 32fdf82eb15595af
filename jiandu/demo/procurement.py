"""Background procurement, streamed: tenders, bids, contracts, treasury payments and the decisions behind
large contracts. Nothing here is kept in memory after it is written, so scale 10 stays within RAM.

Calibrated so the procurement rules have modest background noise: bids come from companies founded at
least a year before the notice (PRC-07), winners are chosen to balance win ratios (a tight ratio
distribution gives PRC-05 a usable outlier fence), the winner is the lowest valid bid and the runner-up is
3–6 % above it (PRC-08 fence), every 公开/邀请 tender has ≥ 3 bids (PRC-01), bid periods respect legal
minimums (PRC-03), amendments stay below +10 % (PRC-11), and every contract ≥ 500,000 has a passed
decision weeks before signing whose window covers its payments (DEC-01).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator

from jiandu.demo.records import add_decision
from jiandu.demo.world import AS_OF, HISTORY_START, Company, Row, Unit, World, yuan

MIN_DAYS = {"公开招标": 20, "邀请招标": 20, "竞争性磋商": 10, "竞争性谈判": 3, "询价": 3, "单一来源": 3}
SECTOR_CATEGORY = {"住建": "工程", "交通": "工程", "水利": "工程", "教育": "货物", "医疗卫生": "货物"}
TITLES = {
    "工程": (
        "{p}道路改造工程",
        "{p}办公楼维修改造工程",
        "{p}农村饮水安全工程",
        "{p}排水管网工程",
        "{p}河道整治工程",
    ),
    "货物": ("{p}医疗设备采购", "{p}教学设备采购", "{p}办公家具采购", "{p}信息化设备采购", "{p}药品耗材采购"),
    "服务": ("{p}物业管理服务", "{p}工程监理服务", "{p}造价咨询服务", "{p}信息系统运维服务", "{p}保洁服务"),
}
PURPOSES = (
    "水电费",
    "办公用品",
    "差旅费",
    "劳务费",
    "专项补助资金",
    "设备维修费",
    "会议费",
    "培训费",
    "印刷费",
)
REJECT_REASONS = (
    "未按要求提交投标保证金",
    "资格证明文件不全",
    "投标文件未按规定签字盖章",
    "报价超过最高限价",
)


def budget_and_method(world: World, category: str) -> tuple[int, str]:
    rng = world.rng
    median = {"工程": 1_500_000, "货物": 400_000, "服务": 300_000}[category]
    budget = min(median * rng.lognormvariate(0, 1.0), 80_000_000)
    budget = max(50_000, round(budget, -3))
    threshold = 4_000_000 if category == "工程" else 1_000_000
    if budget >= threshold:
        method = "公开招标" if rng.random() < 0.9 else "邀请招标"
    else:
        roll = rng.random()
        choices = (
            ("竞争性磋商", 0.4),
            ("询价", 0.2 if category != "工程" else 0.0),
            ("邀请招标", 0.15),
            ("竞争性谈判", 0.1),
            ("单一来源", 0.04 if category != "工程" else 0.0),
            ("公开招标", 1.0),
        )
        acc = 0.0
        method = "公开招标"
        for name, weight in choices:
            acc += weight
            if roll < acc:
                method = name
                break
    return yuan(budget), method


class Procurement:
    def __init__(self, world: World) -> None:
        self.world = world
        units = [u for u in world.units if not u.quiet and u.kind != "村社区"]
        self.buyers = units
        self.weights = [
            6
            if SECTOR_CATEGORY.get(u.sector or "") == "工程"
            else 3
            if u.sector in ("教育", "医疗卫生")
            else 1
            for u in units
        ]
        self.pools: dict[str, list[Company]] = {}
        for company in world.companies:
            if company.bidder and not company.related:
                self.pools.setdefault(company.business, []).append(company)
        for pool in self.pools.values():
            pool.sort(key=lambda c: (c.founded, c.uscc))
        self.founded = {k: [c.founded for c in v] for k, v in self.pools.items()}
        self.payees = [c for c in world.companies if not c.related]
        self.stats: dict[str, list[int]] = {}

    def stream(self) -> Iterator[tuple[str, Row]]:
        world, rng = self.world, self.world.rng
        n_tenders = max(40, round(20000 * world.scale))
        n_payments = max(400, round(200000 * world.scale))
        days = (AS_OF - HISTORY_START).days - 60
        contract_payments = 0
        for i in range(n_tenders):
            notice = HISTORY_START + dt.timedelta(days=i * days // n_tenders)
            for item in self.tender(notice):
                contract_payments += item[0] == "payments"
                yield item
            if rng.random() < 0.2:
                for item in self.direct_contract(notice):
                    contract_payments += item[0] == "payments"
                    yield item
        for j in range(max(0, n_payments - contract_payments)):
            paid = HISTORY_START + dt.timedelta(
                days=j * (days + 59) // max(1, n_payments - contract_payments)
            )
            yield "payments", self.other_payment(paid)

    def _seq(self, kind: str) -> int:
        return self.world.serial(kind, 8)

    def tender(self, notice: dt.date) -> Iterator[tuple[str, Row]]:
        world, rng = self.world, self.world.rng
        buyer = rng.choices(self.buyers, self.weights)[0]
        category = SECTOR_CATEGORY.get(buyer.sector or "") or rng.choice(("货物", "服务", "工程"))
        budget, method = budget_and_method(world, category)
        deadline = notice + dt.timedelta(days=MIN_DAYS[method] + rng.randrange(0, 10))
        award_on = deadline + dt.timedelta(days=rng.randrange(2, 15))
        award = award_on if award_on < AS_OF else None
        n_bids = 1 if method == "单一来源" else rng.choice((3, 3, 4, 4, 5, 5, 6, 7, 8))
        pool = self.pools[category]
        cut = bisect.bisect_right(self.founded[category], notice - dt.timedelta(days=365))
        if cut < n_bids:
            return
        bidders = [pool[i] for i in rng.sample(range(cut), n_bids)]  # no slice copy: pools are large
        tender_no = make_tender_no(self.world, buyer, notice, category)
        title = rng.choice(TITLES[category]).format(p=buyer.name)
        yield (
            "tenders",
            {
                "tender_no": tender_no,
                "title": title,
                "buyer_code": buyer.code,
                "method": method,
                "category": category,
                "budget": budget,
                "notice_date": notice,
                "deadline": deadline,
                "award_date": award,
            },
        )
        if award is None:
            return
        winner = min(bidders, key=lambda c: (self._ratio(c), rng.random()))
        price = int(budget * rng.uniform(0.82, 0.97))
        rejected = set()
        if n_bids >= 4 and rng.random() < 0.25:
            rejected.add(rng.choice([b for b in bidders if b is not winner]).uscc)
        runner_up = True
        for company in bidders:
            stat = self.stats.setdefault(company.uscc, [0, 0])
            stat[0] += 1
            if company is winner:
                stat[1] += 1
                bid_price = price
            elif company.uscc in rejected:
                bid_price = int(price * rng.uniform(0.9, 1.2))
            elif runner_up:
                bid_price, runner_up = int(price * rng.uniform(1.03, 1.06)), False
            else:
                bid_price = int(price * rng.uniform(1.06, 1.2))
            yield (
                "bids",
                bid_row(
                    tender_no,
                    company,
                    bid_price,
                    company is winner,
                    rng.choice(REJECT_REASONS) if company.uscc in rejected else None,
                ),
            )
        yield from self.contract(
            buyer, winner, price, award + dt.timedelta(days=rng.randrange(3, 20)), tender_no
        )

    def _ratio(self, company: Company) -> float:
        bids, wins = self.stats.get(company.uscc, (0, 0))
        return (wins + 1) / (bids + 2)

    def direct_contract(self, day: dt.date) -> Iterator[tuple[str, Row]]:
        rng = self.world.rng
        buyer = rng.choices(self.buyers, self.weights)[0]
        supplier = rng.choice(self.pools[rng.choice(("货物", "服务"))])
        if supplier.founded > day - dt.timedelta(days=365):
            return
        yield from self.contract(buyer, supplier, yuan(rng.randrange(5, 200) * 1000), day, None)

    def contract(
        self, buyer: Unit, supplier: Company, amount: int, signed: dt.date, tender_no: str | None
    ) -> Iterator[tuple[str, Row]]:
        world, rng = self.world, self.world.rng
        if signed > AS_OF:
            return
        contract_no = make_contract_no(self.world, buyer, signed)
        final, amendments = None, 0
        if rng.random() < 0.12:
            amendments = rng.choice((1, 1, 2))
            final = int(amount * rng.uniform(0.95, 1.08))
        yield (
            "contracts",
            {
                "contract_no": contract_no,
                "tender_no": tender_no,
                "buyer_code": buyer.code,
                "supplier_code": supplier.uscc,
                "amount": amount,
                "signed": signed,
                "final_amount": final,
                "amendments": amendments,
                "_companies": {"supplier_code": supplier.uscc},
            },
        )
        if amount >= yuan(500_000):
            sink: list[Row] = []
            matter = "重大项目安排" if tender_no and "-G" in tender_no else "大额资金使用"
            add_decision(
                world,
                buyer,
                signed - dt.timedelta(days=rng.randrange(3, 30)),
                f"关于签订{supplier.name}合同的议题",
                matter,
                amount=amount,
                refs=[contract_no] + ([tender_no] if tender_no else []),
                sink=sink,
            )
            for row in sink:
                yield "decisions", row
        total = final or amount
        shares = rng.choice(((1.0,), (0.3, 0.7), (0.3, 0.6, 0.1), (0.4, 0.3, 0.27, 0.03)))
        paid_sum = 0
        for k, share in enumerate(shares):
            part = total - paid_sum if k == len(shares) - 1 else int(total * share)
            paid_sum += part
            paid = signed + dt.timedelta(days=rng.randrange(1, 30) + 40 * k)
            if paid > AS_OF:
                break
            yield (
                "payments",
                payment_row(
                    self._seq("payment"),
                    buyer,
                    supplier.name,
                    supplier.uscc,
                    part,
                    paid,
                    "合同款",
                    contract_no,
                    company=True,
                ),
            )

    def other_payment(self, paid: dt.date) -> Row:
        rng = self.world.rng
        buyer = rng.choice(self.buyers)
        amount = yuan(rng.choice((rng.randrange(1, 50) * 100, rng.randrange(1, 300) * 1000)))
        seq = self._seq("payment")
        if rng.random() < 0.2:
            person = (
                self.world.new_person()
                if rng.random() < 0.3
                else self.world.persons[rng.choice(self.world.officials)]
            )
            return payment_row(
                seq, buyer, person.name, person.id_number, amount, paid, "劳务费", None, company=False
            )
        payee = rng.choice(self.payees)
        return payment_row(
            seq, buyer, payee.name, payee.uscc, amount, paid, rng.choice(PURPOSES), None, company=True
        )


def bid_row(
    tender_no: str,
    company: Company,
    price: int,
    won: bool,
    rejected: str | None,
    *,
    device_id: str | None = None,
    ip: str | None = None,
    protected: bool = False,
) -> Row:
    return {
        "tender_no": tender_no,
        "bidder_code": company.uscc,
        "bidder_name": company.name,
        "price": price,
        "won": won,
        "rejected_reason": rejected,
        "device_id": device_id or company.device_id,
        "ip": ip or company.ip,
        "_companies": {"bidder_code": company.uscc},
        "_protected": protected,
    }


def payment_row(
    seq: int,
    payer: Unit,
    payee_name: str,
    payee_code: str | None,
    amount: int,
    paid: dt.date,
    purpose: str,
    contract_no: str | None,
    *,
    company: bool,
    protected: bool = False,
) -> Row:
    row: Row = {
        "payment_no": f"ZF{paid:%Y%m%d}{seq:08d}",
        "payer_code": payer.code,
        "payee_name": payee_name,
        "payee_code": payee_code,
        "amount": amount,
        "paid": paid,
        "purpose": purpose,
        "contract_no": contract_no,
        "_protected": protected,
    }
    if company:
        row["_companies"] = {"payee_name": payee_code}
    else:
        row["_persons"] = {"payee_name": payee_code}
    return row


def make_tender_no(world: World, buyer: Unit, notice: dt.date, category: str) -> str:
    letter = "GHF"[("工程", "货物", "服务").index(category)]
    return f"GGZY{buyer.region_code[:4]}-{notice.year}-{letter}{world.serial('tender'):06d}"


def make_contract_no(world: World, buyer: Unit, signed: dt.date) -> str:
    return f"HT{buyer.region_code}-{signed.year}-{world.serial('contract'):06d}"
