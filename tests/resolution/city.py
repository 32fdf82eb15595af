"""A hand-made small county for resolution tests: a few planted people among Faker background officials."""

from __future__ import annotations

import datetime as dt

import duckdb
from builders import empty_db, insert, make_id, make_unit_code, make_uscc
from faker import Faker

U_ZJ, U_WJ, U_JT = make_unit_code(1), make_unit_code(2), make_unit_code(3)
WANG = make_id("110105", "19700101", 11)  # 王建国, director of 住建局
SPOUSE = make_id("110105", "19720303", 22)  # 陈秀英, his wife
LI = make_id("110105", "19720202", 21)  # 李红
ZHANG = make_id("110105", "19750505", 31)  # 张伟, deputy director of 住建局
WANG2 = make_id("110105", "19680808", 51)  # 王志强, director of 交通运输局
LIU = make_id("110105", "19800909", 61)  # 刘德华, holder with a legacy 15-digit ID in company_roles
LIU_15 = LIU[:6] + LIU[8:17]
BROTHER = make_id("110105", "19740404", 71)  # 陈国华, the wife's brother
C_HONGDA = make_uscc(1)
C_OTHER = make_uscc(2)


def build_city(background: int = 600) -> duckdb.DuckDBPyConnection:
    con = empty_db()
    insert(
        con,
        "units",
        [
            {
                "unit_code": U_ZJ,
                "name": "清河县住房和城乡建设局",
                "region_code": "110105",
                "kind": "党政机关",
                "level": "县",
            },
            {
                "unit_code": U_WJ,
                "name": "清河县卫生健康委员会",
                "region_code": "110105",
                "kind": "党政机关",
                "level": "县",
            },
            {
                "unit_code": U_JT,
                "name": "清河县交通运输局",
                "region_code": "110105",
                "kind": "党政机关",
                "level": "县",
            },
        ],
    )
    insert(
        con,
        "units",
        [
            {
                "unit_code": make_unit_code(10 + i),
                "name": f"清河县第{i + 1}中学",
                "region_code": "110105",
                "kind": "事业单位",
                "level": "县",
            }
            for i in range(40)
        ],
    )
    officials = [
        {"id_number": WANG, "name": "王建国"},
        {"id_number": LI, "name": "李红"},
        {"id_number": ZHANG, "name": "张伟"},
        {"id_number": WANG2, "name": "王志强"},
    ]
    positions = [
        _pos(WANG, U_ZJ, "党组书记、局长", dt.date(2018, 1, 1)),
        _pos(LI, U_WJ, "副主任", dt.date(2019, 1, 1)),
        _pos(ZHANG, U_ZJ, "副局长", dt.date(2019, 1, 1)),
        _pos(WANG2, U_JT, "局长", dt.date(2020, 1, 1)),
    ]
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    for i in range(background):
        ident = make_id("110106", f"19{60 + i % 30:02d}0{1 + i % 9}1{i % 9}", 100 + i)
        officials.append({"id_number": ident, "name": fake.name()})
        title = ("科员", "副科长", "科长", "一级主任科员", "二级主任科员", "办事员", "四级调研员")[i % 7]
        positions.append(_pos(ident, make_unit_code(10 + i % 40), title, dt.date(2015, 1, 1)))
    insert(con, "officials", officials)
    insert(con, "positions", positions)
    # Background declarations: spouses with IDs, so that a shared declaration is as rare as in real data.
    background_family = [
        _fam(
            o["id_number"],
            2022,
            "配偶",
            fake.name(),
            make_id("110107", f"19{60 + i % 30:02d}0{1 + i % 9}2{i % 9}", 200 + i),
            None,
            None,
        )
        for i, o in enumerate(officials[4::2])
    ]
    insert(
        con,
        "family_members",
        [
            _fam(WANG, 2022, "配偶", "陈秀英", SPOUSE, "县卫健委", "科员"),
            _fam(WANG, 2023, "配偶", "陳秀英", None, "县卫健委", "科员"),  # traditional, no ID
            _fam(WANG, 2023, "兄弟姐妹", "王小明", None, None, None),  # nobody else knows him
            _fam(SPOUSE, 2023, "兄弟姐妹", "陈国华", BROTHER, None, None),
            _fam(SPOUSE, 2024, "兄弟姐妹", "陈国桦", None, None, None),  # one character off, no ID
            _fam(ZHANG, 2023, "配偶", "刘丽", None, None, None),
        ],
    )
    insert(con, "family_members", background_family)
    insert(
        con,
        "companies",
        [
            {
                "uscc": C_HONGDA,
                "name": "清河县宏达建设有限公司",
                "founded": dt.date(2010, 1, 1),
                "legal_rep_name": "陈国华",
                "legal_rep_id": BROTHER,
            },
            {
                "uscc": C_OTHER,
                "name": "清河县路通工程有限公司",
                "founded": dt.date(2012, 1, 1),
                "legal_rep_name": "赵六",
            },
        ],
    )
    insert(
        con,
        "company_roles",
        [
            {
                "uscc": C_HONGDA,
                "holder_name": "陳國華",
                "role": "股东",
                "start_date": dt.date(2015, 1, 1),
            },  # no ID
            {
                "uscc": C_HONGDA,
                "holder_name": "刘德华",
                "holder_id": LIU_15,
                "role": "监事",
                "start_date": dt.date(2015, 1, 1),
            },
            {
                "uscc": C_OTHER,
                "holder_name": "清河县宏达建设有限公司",
                "holder_id": C_HONGDA,
                "role": "股东",
                "start_date": dt.date(2016, 1, 1),
            },
        ],
    )
    insert(
        con,
        "real_estate",
        [
            {
                "unit_no": "R1",
                "owner_name": "刘德华",
                "owner_id": LIU,
                "location": "x",
                "area_m2": 90,
                "registered": dt.date(2020, 1, 1),
            }
        ],
    )
    insert(
        con,
        "payments",
        [
            {
                "payment_no": "P1",
                "payer_code": U_ZJ,
                "payee_name": "清河县宏达建设有限责任公司",
                "amount": 10,
                "paid": dt.date(2023, 1, 1),
            },
            {
                "payment_no": "P2",
                "payer_code": U_ZJ,
                "payee_name": "清河县宏达建设（集团）有限公司",
                "amount": 10,
                "paid": dt.date(2023, 1, 1),
            },
            {
                "payment_no": "P3",
                "payer_code": U_ZJ,
                "payee_name": "清河县宏大建设有限公司",  # one character off a registered name
                "amount": 10,
                "paid": dt.date(2023, 1, 1),
            },
            {
                "payment_no": "P4",
                "payer_code": U_ZJ,
                "payee_name": "清河县宏达建设（集团）有限责任公司",  # the same unknown company as P2
                "amount": 10,
                "paid": dt.date(2023, 1, 1),
            },
        ],
    )
    insert(
        con,
        "petitions",
        [
            _pet("X1", "王局长", "县住建局", None),  # one 局长 in 住建局 → WANG
            _pet("X2", "王建囯", "县住建局", "局长"),  # typo in a full name → WANG
            _pet("X3", "王局长", None, None),  # two 王 局长 in the county → proposed
            _pet("X4", "张副局长", "县住房城乡建设局", None),  # → ZHANG
        ],
    )
    return con


def _pos(ident: str, unit: str, title: str, start: dt.date) -> dict:
    return {
        "id_number": ident,
        "unit_code": unit,
        "title": title,
        "is_principal": "局长" in title and "副" not in title,
        "is_team_member": True,
        "start_date": start,
    }


def _fam(
    declarant: str,
    year: int,
    relation: str,
    name: str,
    ident: str | None,
    employer: str | None,
    job: str | None,
) -> dict:
    return {
        "declarant_id": declarant,
        "year": year,
        "relation": relation,
        "name": name,
        "id_number": ident,
        "employer": employer,
        "job": job,
    }


def _pet(no: str, name: str, unit: str | None, title: str | None) -> dict:
    return {
        "petition_no": no,
        "received": dt.date(2023, 5, 1),
        "channel": "来信",
        "subject_name": name,
        "subject_unit": unit,
        "subject_title": title,
        "category": "廉洁纪律",
        "summary": "反映问题",
    }


def link_of(con: duckdb.DuckDBPyConnection, table: str, rid: int, field: str) -> tuple:
    row = con.execute(
        "SELECT entity_id, status, method FROM entity_links WHERE source_table = ? AND _rid = ? AND field = ?",
        [table, rid, field],
    ).fetchall()
    assert len(row) == 1, f"expected one link for {table}:{rid}:{field}, got {len(row)}"
    return row[0]
