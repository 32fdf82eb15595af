"""Synthetic-volume benchmark: random-but-shaped registry data generated in DuckDB, every rule timed.

Scale 1 ≈ 400 units, 4,000 officials, 8,000 companies, 20,000 tenders, 100,000 bids and 200,000 payments
(plus the other tables in proportion). Values come from a hash of the row number, so a run is repeatable.
The goal (issue 6): all rules on scale 1 in under 60 s, scale 10 in under 10 min, on 2 cores.

    python -m jiandu.analytics.rules.bench 1
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import duckdb

from jiandu.analytics.duck import create_empty_tables
from jiandu.analytics.rules.engine import run_rules

AS_OF = dt.date(2025, 12, 31)


def R(salt: int, n: int) -> str:
    """A repeatable pseudo-random integer in [0, n) from the row number i."""
    return f"CAST(hash(i, {salt}) % {n} AS BIGINT)"


def D(salt: int, start: str = "2005-01-01", days: int = 7300) -> str:
    return f"(DATE '{start}' + CAST(hash(i, {salt}) % {days} AS INTEGER))"


def pick(salt: int, values: tuple[str, ...]) -> str:
    return f"([{', '.join(repr(v) for v in values)}])[{R(salt, len(values))} + 1]"


def generate(con: duckdb.DuckDBPyConnection, scale: float = 1.0) -> dict[str, int]:
    """Fill every table with shaped random rows; returns row counts."""
    create_empty_tables(con)
    n = {
        k: max(1, int(v * scale))
        for k, v in {
            "units": 400,
            "officials": 4000,
            "companies": 8000,
            "tenders": 20000,
            "payments": 200000,
            "persons": 30000,
            "petitions": 10000,
            "decisions": 8000,
            "findings": 4000,
            "tx": 50000,
        }.items()
    }
    u, o, c, t = n["units"], n["officials"], n["companies"], n["tenders"]
    person = f"CASE WHEN {R(40, 100)} < 3 THEN 'R' || {R(41, o)} || '_' || {R(42, 4)} WHEN {R(40, 100)} < 4 THEN 'O' || {R(43, o)} ELSE 'P' || {R(44, n['persons'])} END"  # noqa: E501
    sql = [
        f"""INSERT INTO units (_rid, unit_code, name, parent_code, region_code, kind, level, sector)
        SELECT i, 'U' || i, '单位' || i, CASE WHEN i = 0 THEN NULL WHEN i < 10 THEN 'U0' WHEN i < 60 THEN 'U' || (i % 10)
               ELSE 'U' || (10 + i % 50) END, '110000', '党政机关', CASE WHEN i < 10 THEN '市' WHEN i < 60 THEN '县' ELSE '乡' END,
               {pick(1, ("住建", "交通", "医疗卫生", "教育", "国土", "水利"))} FROM range({u}) t(i)""",
        f"INSERT INTO officials (_rid, id_number, name) SELECT i, 'O' || i, '干部' || i FROM range({o}) t(i)",
        f"""INSERT INTO positions (_rid, id_number, unit_code, title, "rank", is_principal, is_team_member, oversees,
               start_date, end_date)
        SELECT i, 'O' || (i % {o}), 'U' || {R(2, u)}, '职务', {pick(3, ("正科级", "副科级", "正处级", "副处级", "科员"))},
               i % 10 = 0, i % 4 = 0, CASE WHEN i % 4 = 0 THEN [{pick(4, ("住建", "交通", "教育"))}, 'U' || {R(5, u)}] END,
               {D(6)}, CASE WHEN i >= {o} THEN {D(7, "2020-01-01", 1800)} END FROM range({int(o * 1.5)}) t(i)""",
        f"""INSERT INTO family_members (_rid, declarant_id, "year", relation, name, id_number)
        SELECT i, 'O' || (i // 8), 2023 + (i % 2), ([ '配偶', '子女', '父亲', '母亲'])[(i // 2) % 4 + 1], '亲属',
               CASE WHEN {R(8, 100)} < 2 THEN 'O' || {R(9, o)} ELSE 'R' || (i // 8) || '_' || ((i // 2) % 4) END
        FROM range({o * 8}) t(i)""",
        f"""INSERT INTO declared_assets (_rid, declarant_id, "year", category, holder_relation, description,
               counterpart_code, area_m2)
        SELECT i, 'O' || (i // 6), 2023 + (i % 2), {pick(10, ("房产", "投资", "经商办企业", "存款"))}, '本人',
               '路' || {R(11, 500)} || '号', 'C' || {R(12, c)}, {R(13, 200)} FROM range({o * 6}) t(i)""",
        f"""INSERT INTO companies (_rid, uscc, name, founded, legal_rep_id, phone)
        SELECT i, 'C' || i, '公司' || i, {D(14, "2000-01-01", 6900)}, {person.replace("i,", "i + 7,")},
               '138' || {R(15, c * 2)} FROM range({c}) t(i)""",
        f"""INSERT INTO company_roles (_rid, uscc, holder_name, holder_id, role, start_date, end_date)
        SELECT i, 'C' || (i // 2), '股东' || i, {person}, {pick(16, ("股东", "董事", "监事", "经理"))},
               {D(17, "2005-01-01", 6000)}, CASE WHEN {R(18, 5)} = 0 THEN {D(19, "2021-01-01", 1500)} END
        FROM range({c * 2}) t(i)""",
        f"""INSERT INTO tenders (_rid, tender_no, title, buyer_code, method, category, budget, notice_date, deadline,
               award_date)
        SELECT i, 'T' || i, '项目', 'U' || {R(20, u)}, {pick(21, ("公开招标", "公开招标", "邀请招标", "竞争性磋商", "询价", "单一来源"))},
               {pick(22, ("工程", "货物", "服务"))}, 1000000, {D(23, "2019-01-01", 2400)},
               {D(23, "2019-01-01", 2400)} + CAST(CASE WHEN {R(24, 20)} = 0 THEN 10 ELSE 20 + {R(24, 25)} END AS INTEGER), {D(23, "2019-01-01", 2400)} + 40
        FROM range({t}) t(i)""",
        f"""INSERT INTO bids (_rid, tender_no, bidder_code, bidder_name, price, won, rejected_reason, device_id, ip)
        SELECT i, 'T' || (i // 5), 'C' || ((i // 5 * 7 + (i % 5) * {R(25, 997)} ) % {c}), '公司', 100000 + {R(26, 500000)},
               i % 5 = 0, CASE WHEN i % 5 <> 0 AND {R(27, 10)} = 0 THEN '否决' END, 'M' || {R(28, t * 4)},
               '10.0.' || {R(29, 200)} || '.' || {R(30, 250)} FROM range({t * 5}) t(i)""",
        """INSERT INTO contracts (_rid, contract_no, tender_no, buyer_code, supplier_code, amount, signed, final_amount)
        SELECT b._rid, 'K' || b._rid, b.tender_no, t.buyer_code, b.bidder_code, b.price, t.award_date + 10,
               CASE WHEN b._rid % 50 = 0 THEN b.price * 1.2 END
        FROM bids b JOIN tenders t ON t.tender_no = b.tender_no WHERE b.won""",
        f"""INSERT INTO contracts (_rid, contract_no, buyer_code, supplier_code, amount, signed)
        SELECT {t * 5} + i, 'KD' || i, 'U' || {R(31, u)}, 'C' || {R(32, c)}, 10000 + {R(33, 1200000)}, {D(34, "2019-01-01", 2500)}
        FROM range({t // 4}) t(i)""",
        f"""INSERT INTO payments (_rid, payment_no, payer_code, payee_name, payee_code, amount, paid, contract_no)
        SELECT i, 'Y' || i, 'U' || {R(35, u)}, '收款方', 'C' || {R(36, c)}, 1000 + {R(37, 200000)} + CASE WHEN {R(37, 100)} = 0 THEN 600000 ELSE 0 END, {D(38, "2019-01-01", 2500)},
               CASE WHEN i % 10 < 7 THEN 'K' || ({R(39, t)} * 5) END FROM range({n["payments"]}) t(i)""",
        f"""INSERT INTO decisions (_rid, meeting_no, unit_code, meeting_type, meeting_date, item_no, topic, matter, amount,
               expected, present, principal_order, outcome, due, done, refs)
        SELECT i, 'M' || (i // 3), 'U' || {R(45, u)}, '党组会', {D(46, "2019-01-01", 2500)}, i % 3, '议题' || {R(47, 50)},
               {pick(48, ("重大决策", "重要人事任免", "重大项目安排", "大额资金使用"))}, 100000 + {R(49, 3000000)}, 9,
               5 + {R(50, 5)}, 1 + {R(51, 9)}, {pick(52, ("通过", "通过", "通过", "未通过", "缓议"))},
               {D(53, "2020-01-01", 2500)}, {pick(54, ("未落实", "落实中", "已落实"))}, ['K' || ({R(55, t)} * 5)]
        FROM range({n["decisions"]}) t(i)""",
        f"""INSERT INTO petitions (_rid, petition_no, received, channel, named, subject_name, subject_id, subject_unit,
               category, summary, status)
        SELECT i, 'X' || i, {D(56, "2022-01-01", 1460)}, '来信', {R(57, 2)} = 0, '某', CASE WHEN {R(58, 10)} < 3 THEN 'O' || {R(59, o)} END,
               '单位' || {R(60, u)}, {pick(61, ("廉洁纪律", "工作纪律", "其他"))}, '摘要', {pick(62, ("待办", "办理中", "已办结"))}
        FROM range({n["petitions"]}) t(i)""",
        f"""INSERT INTO audit_findings (_rid, finding_no, audit_no, audit_type, unit_code, description, category, found, due,
               status, fixed, referred)
        SELECT i, 'A' || i, 'S' || (i // 10), '专项审计', 'U' || {R(63, u)}, '问题', {pick(64, ("财务", "采购", "资产"))},
               {D(65, "2020-01-01", 2000)}, {D(65, "2020-01-01", 2000)} + 90, {pick(66, ("未整改", "整改中", "已整改"))},
               {D(65, "2020-01-01", 2000)} + CAST({R(67, 200)} AS INTEGER), {R(68, 5)} = 0 FROM range({n["findings"]}) t(i)""",
        f"""INSERT INTO inspection_findings (_rid, finding_no, "round", unit_code, description, category, found, due, status, fixed)
        SELECT i, 'I' || i, 'R' || (i // 100), 'U' || {R(69, u)}, '问题', {pick(70, ("财务", "采购", "资产"))},
               {D(71, "2020-01-01", 2000)}, {D(71, "2020-01-01", 2000)} + 90, {pick(72, ("未整改", "整改中", "已整改"))},
               {D(71, "2020-01-01", 2000)} + CAST({R(73, 200)} AS INTEGER) FROM range({n["findings"]}) t(i)""",
        f"""INSERT INTO travel_approvals (_rid, approval_no, id_number, destination, "leave", back)
        SELECT i, 'TA' || i, 'O' || {R(74, o)}, '香港', {D(75, "2020-01-01", 2000)}, {D(75, "2020-01-01", 2000)} + 10
        FROM range({o}) t(i)""",
        f"""INSERT INTO border_crossings (_rid, id_number, crossed, direction)
        SELECT i, 'O' || {R(76, o)}, {D(77, "2020-01-01", 2000)} + CAST(i % 2 * 7 AS INTEGER),
               CASE WHEN i % 2 = 0 THEN '出境' ELSE '入境' END FROM range({o * 2}) t(i)""",
        f"""INSERT INTO real_estate (_rid, unit_no, owner_name, owner_id, location, area_m2, registered, acquired_by, price)
        SELECT i, 'H' || i, '某', CASE WHEN i % 2 = 0 THEN 'O' || {R(78, o)} ELSE 'R' || {R(79, o)} || '_0' END,
               '路' || {R(80, 500)} || '号', 50 + {R(81, 150)}, {D(82, "2010-01-01", 5800)}, '购买', 500000 + {R(83, 3000000)}
        FROM range({o * 2}) t(i)""",
        f"""INSERT INTO tax_income (_rid, id_number, "year", income)
        SELECT i, 'O' || (i // 5), 2021 + i % 5, 100000 + {R(84, 200000)} FROM range({o * 5}) t(i)""",
        f"""INSERT INTO bank_transactions (_rid, tx_no, holder_id, tx_date, amount, direction, mode, counterpart_id)
        SELECT i, 'B' || i, CASE WHEN i % 2 = 0 THEN 'O' || {R(85, o)} ELSE 'R' || {R(86, o)} || '_' || {R(87, 4)} END,
               {D(88, "2020-01-01", 2000)}, 10000 + {R(89, 150000)}, '收', {pick(90, ("现金", "转账", "转账"))}, 'C' || {R(91, c)}
        FROM range({n["tx"]}) t(i)""",
        f"""INSERT INTO discipline_records (_rid, record_no, id_number, decided, form, measure, effect_until)
        SELECT i, 'DR' || i, 'O' || {R(92, o)}, {D(93, "2019-01-01", 2000)}, '第二种形态', '警告',
               {D(93, "2019-01-01", 2000)} + 365 FROM range({o // 8}) t(i)""",
        f"""INSERT INTO evaluations (_rid, id_number, "year", rater, integrity, duty, conduct)
        SELECT i, 'O' || (i // 4), 2024, (['纪委监委', '组织部', '干部群众', '家属'])[i % 4 + 1], 60 + {R(94, 40)}, 80, 80
        FROM range({o * 4}) t(i)""",
        f"""INSERT INTO entity_links (source_table, _rid, field, entity_id, id_number, status)
        SELECT 'petitions', i, 'subject_name', 'P:O' || {R(95, o)}, 'O' || {R(95, o)}, 'linked'
        FROM range({n["petitions"]}) t(i) WHERE {R(96, 10)} < 3""",
        f"""INSERT INTO leads (_rid, lead_no, opened, closed, source_table, source_rid, subject_id, status)
        SELECT i, 'L' || i, {D(97, "2020-01-01", 2000)}, NULL, 'audit_findings', {R(98, n["findings"])}, 'O' || {R(99, o)}, '办理中'
        FROM range({o // 8}) t(i)""",
        f"""INSERT INTO decisions (_rid, meeting_no, unit_code, meeting_type, meeting_date, item_no, topic, matter,
               amount, expected, present, principal_order, outcome, refs)
        SELECT {n["decisions"]} + k._rid, 'MK' || k._rid, k.buyer_code, '党组会', k.signed - 20, 1, '合同' || k.contract_no,
               '大额资金使用', k.amount, 9, 8, 8, '通过', [k.contract_no]
        FROM contracts k WHERE k.amount >= 500000 AND k._rid % 10 <> 0""",
    ]
    for statement in sql:
        con.execute(statement)
    names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    counts = {}
    for name in sorted(names):
        row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        counts[name] = row[0] if row else 0
    return counts


def bench(scale: float = 1.0, *, threads: int = 2) -> dict[str, float]:
    """Generate data at `scale` and time every rule; returns seconds per rule plus 'generate' and 'total'."""
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    counts = generate(con, scale)
    generated = time.perf_counter() - started
    timings: dict[str, float] = {}
    started = time.perf_counter()
    alerts = run_rules(con, as_of=AS_OF, timings=timings)
    total = time.perf_counter() - started
    per_rule: dict[str, int] = {}
    for a in alerts:
        per_rule[a.rule] = per_rule.get(a.rule, 0) + 1
    print(
        f"scale {scale}: bids {counts['bids']}, payments {counts['payments']}, generated in {generated:.1f} s"
    )
    for code, seconds in timings.items():
        count = f"{per_rule.get(code, 0):>7} alerts" if code in per_rule or "-" in code else ""
        print(f"  {code:<7} {seconds:7.2f} s  {count}")
    print(f"  total   {total:7.2f} s  {len(alerts):>7} alerts (incl. evidence keys and fingerprints)")
    return {**timings, "generate": generated, "total": total}


if __name__ == "__main__":
    bench(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
