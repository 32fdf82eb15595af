"""A relative declared without an ID links to the role holder of a company the same declaration lists.

The declaration's business section (declared_assets 经商办企业/投资) says which kind of relative holds which
company; a holder of that company with the same name shares the context "co:<uscc>" with the declared relative.
Boundaries: a namesake in an undeclared company is not chosen; a company declared for another kind of relative,
or in another year's declaration, is no evidence; the mirror case (name-only holder, relative with an ID) links.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from builders import make_id, make_uscc
from city import U_ZJ, _fam, _pos, build_city, insert, link_of

from jiandu.analytics.resolution.engine import resolve
from jiandu.analytics.rules.engine import run_rules

HOU = make_id("110105", "19691203", 81)  # 侯建军, director of 住建局's sibling bureau, the declarant
SON_IN_LAW = make_id("110105", "19940625", 83)  # 侯斌庆, declared without ID as 子女配偶
NAMESAKE = make_id("110108", "19880303", 85)  # another 侯斌庆, shareholder of an undeclared company
BROTHER_HOLDER = make_id("110105", "19720707", 87)  # 侯东明, holder in the company declared for the spouse
LATE_HOLDER = make_id("110105", "19750808", 89)  # 侯玉珍, holder of a company declared in another year
DAUGHTER = make_id("110105", "19960909", 82)  # 侯雅琪, declared with ID; the company lists her by name only
C_DECLARED = make_uscc(31)  # declared for 子女 in 2024 and 2025
C_UNDECLARED = make_uscc(32)
C_SPOUSE = make_uscc(33)  # declared for 配偶
C_OTHER_YEAR = make_uscc(34)  # declared for 子女 in 2022 only
C_DAUGHTER = make_uscc(35)  # declared for 子女 in 2024


def _role(uscc: str, name: str, ident: str | None, start: dt.date) -> dict:
    return {"uscc": uscc, "holder_name": name, "holder_id": ident, "role": "股东", "start_date": start}


def _business(year: int, holder: str, uscc: str) -> dict:
    return {
        "declarant_id": HOU,
        "year": year,
        "category": "经商办企业",
        "holder_relation": holder,
        "description": f"企业{uscc[-4:]}",
        "counterpart_code": uscc,
    }


def _city(with_declaration: bool = True):
    con = build_city()
    insert(con, "officials", [{"id_number": HOU, "name": "侯建军"}])
    insert(con, "positions", [_pos(HOU, U_ZJ, "党组书记、局长", dt.date(2019, 3, 1))])
    fm = insert(
        con,
        "family_members",
        [
            _fam(HOU, 2024, "子女配偶", "侯斌庆", None, "县税务局", "公务员"),
            _fam(HOU, 2025, "子女配偶", "侯斌庆", None, "县农村商业银行", "职员"),
            _fam(HOU, 2024, "兄弟姐妹", "侯东明", None, None, None),
            _fam(HOU, 2024, "子女", "侯玉珍", None, None, None),
            _fam(HOU, 2024, "子女", "侯雅琪", DAUGHTER, "在读", "学生"),
        ],
    )
    insert(
        con,
        "companies",
        [
            {"uscc": u, "name": f"清河县{n}有限公司", "founded": dt.date(2012, 5, 1)}
            for u, n in (
                (C_DECLARED, "永源监理"),
                (C_UNDECLARED, "永固建材"),
                (C_SPOUSE, "东明商贸"),
                (C_OTHER_YEAR, "玉珍餐饮"),
                (C_DAUGHTER, "雅琪文化"),
            )
        ],
    )
    roles = insert(
        con,
        "company_roles",
        [
            _role(C_DECLARED, "侯斌庆", SON_IN_LAW, dt.date(2019, 1, 1)),
            _role(C_UNDECLARED, "侯斌庆", NAMESAKE, dt.date(2020, 1, 1)),
            _role(C_SPOUSE, "侯东明", BROTHER_HOLDER, dt.date(2018, 1, 1)),
            _role(C_OTHER_YEAR, "侯玉珍", LATE_HOLDER, dt.date(2018, 1, 1)),
            _role(C_DAUGHTER, "侯雅琪", None, dt.date(2021, 1, 1)),
        ],
    )
    assets = [
        _business(2024, "子女", C_DECLARED),
        _business(2025, "子女", C_DECLARED),
        _business(2024, "配偶", C_SPOUSE),
        _business(2022, "子女", C_OTHER_YEAR),
        _business(2024, "子女", C_DAUGHTER),
    ]
    if with_declaration:
        insert(con, "declared_assets", assets)
    insert(
        con,
        "payments",
        [
            {
                "payment_no": "ZF1",
                "payer_code": U_ZJ,
                "payee_code": C_DECLARED,
                "payee_name": "清河县永源监理有限公司",
                "amount": 86000,
                "paid": dt.date(2025, 3, 18),
            }
        ],
    )
    return con, fm, roles, assets


@pytest.fixture(scope="module")
def declared_city():
    con, fm, roles, _ = _city()
    resolve(con)
    return con, fm, roles


def _contexts_weight(con, left: str, right: str) -> float | None:
    """The pair's match weight from shared contexts; None when the pair scored below the storing threshold
    (probability 0.01), which a shared context (+13 bits on top of an exact name) cannot."""
    row = con.execute(
        """SELECT contributions FROM entity_candidates
        WHERE (left_key = ? AND right_key = ?) OR (left_key = ? AND right_key = ?)""",
        [left, right, right, left],
    ).fetchall()
    return json.loads(row[0][0])["contexts"] if row else None


def test_relative_without_id_links_to_the_holder_of_the_declared_company(declared_city):
    con, fm, _ = declared_city
    for rid in fm[:2]:  # both years' rows: 2025's through its own declaration
        assert link_of(con, "family_members", rid, "id_number") == (f"P:{SON_IN_LAW}", "linked", "splink")
    weight = _contexts_weight(con, f"P:{SON_IN_LAW}", f"family_members:{fm[0]}:id_number")
    assert weight is not None and weight > 5  # the shared company is recorded as the link's evidence


def test_namesake_in_an_undeclared_company_is_not_the_relative(declared_city):
    con, fm, _ = declared_city
    assert link_of(con, "family_members", fm[0], "id_number")[0] != f"P:{NAMESAKE}"
    assert _contexts_weight(con, f"P:{NAMESAKE}", f"family_members:{fm[0]}:id_number") in (None, 0)


def test_company_declared_for_another_kind_of_relative_is_no_evidence(declared_city):
    con, fm, _ = declared_city
    # 侯东明 is declared as a sibling; the company whose holder has that name was declared for the spouse.
    assert _contexts_weight(con, f"P:{BROTHER_HOLDER}", f"family_members:{fm[2]}:id_number") in (None, 0)
    assert link_of(con, "family_members", fm[2], "id_number")[:2] != (f"P:{BROTHER_HOLDER}", "linked")


def test_company_declared_in_another_year_is_no_evidence(declared_city):
    con, fm, _ = declared_city
    assert _contexts_weight(con, f"P:{LATE_HOLDER}", f"family_members:{fm[3]}:id_number") in (None, 0)
    assert link_of(con, "family_members", fm[3], "id_number")[:2] != (f"P:{LATE_HOLDER}", "linked")


def test_name_only_holder_of_a_declared_company_links_to_the_relative_with_id(declared_city):
    con, _, roles = declared_city
    assert link_of(con, "company_roles", roles[4], "holder_id")[:2] == (f"P:{DAUGHTER}", "linked")
    assert _contexts_weight(con, f"P:{DAUGHTER}", f"company_roles:{roles[4]}:holder_id") > 5


def test_without_the_declaration_the_relative_is_not_linked_to_the_holder():
    con, fm, _, _ = _city(with_declaration=False)
    resolve(con)
    assert link_of(con, "family_members", fm[0], "id_number")[:2] != (f"P:{SON_IN_LAW}", "linked")


def test_a_declaration_delivered_later_links_on_an_incremental_run():
    con, fm, _, assets = _city(with_declaration=False)
    resolve(con)
    rids = insert(con, "declared_assets", assets)
    result = resolve(con, changed={"declared_assets": rids})
    assert result.stats["person_pairs_touching_unchanged_only"] == 0
    assert link_of(con, "family_members", fm[0], "id_number") == (f"P:{SON_IN_LAW}", "linked", "splink")


def test_coi01_follows_the_link_to_the_payment(declared_city):
    con, fm, roles = declared_city
    alerts = run_rules(con, as_of=dt.date(2026, 6, 30), codes=["COI-01"])
    hits = [a for a in alerts if a.subject_key == HOU]
    assert len(hits) == 1
    chain = [(e.table, e.rid) for e in hits[0].evidence]
    assert ("family_members", fm[1]) in chain and ("company_roles", roles[0]) in chain
    assert chain[-1][0] == "payments"
    assert hits[0].computed["relative_match"] == "splink"
