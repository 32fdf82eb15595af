"""Market entities: companies with legal representatives, shareholders and officers.

Each company has its own people (so background bidders do not share a legal representative, shareholder
or phone by accident — PRC-04 stays for planted cases and a few realistic groups), its own bid-file
machine code and IP. Names follow the registry pattern 地名 + 字号 + 行业 + 组织形式.
"""

from __future__ import annotations

import datetime as dt

from jiandu.demo.world import AS_OF, Company, Person, Row, World, yuan

BRAND_A = "恒鑫宏金华中瑞天永众汇盛博信诚远泰德隆昌嘉兴润泓弘建安达利通顺和丰宇腾凯新佳正聚"
BRAND_B = "达源远鼎建诚丰成安和盛泰昌隆发鑫华宇信通利茂晟辉祥福运邦业城"
INDUSTRIES = {
    "工程": ("建筑工程", "建设工程", "市政工程", "路桥工程", "水利水电工程", "建筑安装工程", "园林绿化工程"),
    "货物": ("医疗器械", "教学设备", "电子科技", "办公设备", "机电设备", "建材", "医药"),
    "服务": ("工程咨询", "物业管理", "信息技术", "建设监理", "造价咨询", "环境卫生服务", "会计服务"),
    "其他": ("商贸", "餐饮管理", "农业开发", "文化传媒", "汽车销售", "房地产开发", "劳务"),
}
BUSINESS_WEIGHTS = (("工程", 0.35), ("货物", 0.3), ("服务", 0.25), ("其他", 0.1))


class CompanyFactory:
    def __init__(self, world: World) -> None:
        self.world = world
        self.names: set[str] = set()
        self.by_business: dict[str, list[Company]] = {}

    def company_name(self, place: str, business: str) -> str:
        rng = self.world.rng
        while True:
            brand = rng.choice(BRAND_A) + rng.choice(BRAND_B)
            suffix = "有限公司" if rng.random() < 0.85 else "有限责任公司"
            name = f"{place}{brand}{rng.choice(INDUSTRIES[business])}{suffix}"
            if name not in self.names:
                self.names.add(name)
                return name

    def create(
        self,
        *,
        business: str | None = None,
        founded: dt.date | None = None,
        place: str | None = None,
        legal_rep: Person | None = None,
        bidder: bool | None = None,
        protected: bool = False,
        phone: str | None = None,
        extra_roles: bool = True,
    ) -> Company:
        world, rng = self.world, self.world.rng
        if business is None:
            roll, acc = rng.random(), 0.0
            for business, weight in BUSINESS_WEIGHTS:  # noqa: B007
                acc += weight
                if roll < acc:
                    break
        assert business is not None  # BUSINESS_WEIGHTS is non-empty, so the loop always binds it
        city = rng.choice(world.cities)
        county_code = rng.choice(city["county_codes"])
        place = place or city["name"]
        if founded is None:
            founded = dt.date(1998, 1, 1) + dt.timedelta(
                days=rng.randrange(0, (AS_OF - dt.date(1998, 1, 1)).days)
            )
        rep = legal_rep or world.new_person(
            birth=dt.date(rng.randint(1960, 1992), rng.randint(1, 12), rng.randint(1, 28))
        )
        company = Company(
            uscc=world.ids.uscc("9", "1", county_code),
            name=self.company_name(place, business),
            founded=founded,
            region=county_code,
            legal_rep=rep,
            phone=phone or world.ids.landline(),
            business=business,
            device_id=f"{rng.randrange(16**12):012X}",
            ip=f"{rng.choice((58, 61, 117, 183, 218, 222))}."
            f"{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            bidder=(business != "其他") if bidder is None else bidder,
        )
        world.companies.append(company)
        world.company_by_uscc[company.uscc] = company
        if company.bidder:
            self.by_business.setdefault(business, []).append(company)
        closed = None
        status = "存续"
        if not protected and rng.random() < 0.06:
            closed = founded + dt.timedelta(days=rng.randrange(400, 4000))
            status = "注销" if closed < AS_OF else "存续"
            closed = closed if closed < AS_OF else None
            company.bidder = False
        world.add(
            "companies",
            {
                "uscc": company.uscc,
                "name": company.name,
                "founded": founded,
                "capital": yuan(rng.choice((50, 100, 200, 300, 500, 800, 1000, 2000, 5000)) * 10000),
                "legal_rep_name": rep.name,
                "legal_rep_id": rep.id_number,
                "address": world.street_address(place),
                "phone": company.phone,
                "status": status,
                "closed": closed,
                "_persons": {"legal_rep_id": rep.id_number},
                "_companies": {"uscc": company.uscc},
                "_protected": protected,
            },
        )
        self.role(company, rep, "法定代表人", founded, protected=protected)
        if extra_roles:
            self.role(
                company, rep, "股东", founded, share=rng.choice((51, 60, 70, 80, 100)), protected=protected
            )
            if rng.random() < 0.6:
                self.role(
                    company,
                    world.new_person(),
                    "股东",
                    founded,
                    share=rng.choice((20, 30, 40)),
                    protected=protected,
                )
            self.role(company, world.new_person(), "监事", founded, protected=protected)
            if rng.random() < 0.5:
                self.role(company, world.new_person(), "财务负责人", founded, protected=protected)
        return company

    def role(
        self,
        company: Company,
        holder: Person | Company,
        role: str,
        start: dt.date,
        end: dt.date | None = None,
        *,
        share: float | None = None,
        protected: bool = False,
    ) -> Row:
        if isinstance(holder, Company):
            name, hid, truth = holder.name, holder.uscc, {"_companies": {"holder_name": holder.uscc}}
        else:
            name, hid, truth = holder.name, holder.id_number, {"_persons": {"holder_name": holder.id_number}}
            self.world.holdings.setdefault(hid, []).append((company.uscc, start, end))
        row: Row = {
            "uscc": company.uscc,
            "holder_name": name,
            "holder_id": hid,
            "role": role,
            "share_pct": yuan(share) if share is not None else None,
            "start_date": start,
            "end_date": end,
            "_protected": protected,
            **truth,
        }
        row.setdefault("_companies", {})["uscc"] = company.uscc
        return self.world.add("company_roles", row)


def build_companies(world: World, factory: CompanyFactory) -> None:
    rng = world.rng
    count = max(60, round(8000 * world.scale))
    for _ in range(count):
        factory.create()
    # Realistic groups: a holding company owning a few subsidiaries (shared shareholder, never co-bidding
    # in the background because group members are flagged as one bidder family).
    holders = rng.sample(world.companies, max(1, count // 200))
    for parent in holders:
        for child in rng.sample(world.companies, 2):
            if child is not parent:
                factory.role(child, parent, "股东", max(child.founded, parent.founded), share=30)
                child.bidder = False
