"""A. 利益冲突 — conflicts of interest (盯权)."""

from __future__ import annotations

from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.sqlparts import agg, ev, sev, yuan_by_contract

# Deals a company gets from a buyer: won tenders (with the contracts that follow them), contracts without a
# won tender of the same supplier, and payments without a known contract. A contract that follows a won
# tender is evidence of that award rather than a second deal, so one award yields one alert.
DEALS = f"""deals AS (
    SELECT 'T' AS kind, 'T:' || t.tender_no AS deal, b.bidder_code AS uscc, t.buyer_code AS buyer,
           coalesce(t.award_date, t.deadline, t.notice_date) AS d,
           {ev(("bids", "b._rid"), ("tenders", "t._rid"), "coalesce(k.ev, [])")} AS ev_deal
    FROM bids b JOIN tenders t ON t.tender_no = b.tender_no
    LEFT JOIN (SELECT tender_no, supplier_code, {agg("contracts", "_rid", "signed, _rid")} AS ev
               FROM contracts WHERE tender_no IS NOT NULL GROUP BY tender_no, supplier_code) k
           ON k.tender_no = t.tender_no AND k.supplier_code = b.bidder_code
    WHERE b.won
    UNION ALL
    SELECT 'K', 'K:' || c.contract_no, c.supplier_code, c.buyer_code, c.signed, {ev(("contracts", "c._rid"))}
    FROM contracts c
    WHERE NOT EXISTS (SELECT 1 FROM bids b WHERE b.won AND b.tender_no = c.tender_no
                      AND b.bidder_code = c.supplier_code)
    UNION ALL
    SELECT 'P', 'P:' || p.payment_no, coalesce(p.payee_code, l.uscc), p.payer_code, p.paid,
           {ev(("payments", "p._rid"))}
    FROM payments p
    LEFT JOIN r_cid l ON l.source_table = 'payments' AND l._rid = p._rid AND l.field = 'payee_code'
    WHERE NOT EXISTS (SELECT 1 FROM contracts c WHERE c.contract_no = p.contract_no)
)"""


MATCH_BASIS = (
    "`relative_match` and `holder_match` in the computed values say how the relative and the company role "
    "holder were identified (id_number on the row, else the entity-resolution method: splink, judgement …)."
)


def chain(pos: str) -> str:
    """official → position → family member(s) → company role: the head of every COI evidence chain."""
    return ev(
        ("officials", "o._rid"),
        ("positions", pos),
        "c.fm_ev",
        "k.link_ev",
    )


COI_01 = Rule(
    code="COI-01",
    title="亲属关联企业中标本单位项目",
    severity="红 if principal, else 橙 (配偶父母 and in-laws one grade lower)",
    method=(
        "Joins every deal (a won bid with its tender and contracts, a contract without a won tender, a payment "
        "without a known contract) to the companies linked to an official or a close relative at the deal "
        "date, and keeps deals whose buyer is a unit under that official at that date through a held position. "
        "One alert per official and deal, choosing the strongest link (principal, direct relative)."
    ),
    why="领导干部本人或其亲属关联的企业承接其管辖单位的项目，存在利用职权为亲属谋利的利益输送风险。",
    exclusions=(
        "Roles or positions that ended the day before the deal date do not count; both start and end days count.",
        "Proposed (unconfirmed) entity links are ignored.",
        "Payments that belong to a known contract are evidence of that contract, not separate deals.",
    ),
    decisions=(
        "Deal date: tender award_date, else deadline, else notice_date; contract signed; payment paid.",
        "A team member's sector oversight covers units of that sector inside his own unit's subtree.",
        "A relative declared without an ID number, or a company role holder named without one, counts once "
        "entity resolution links the row to a person; besides name, employer and title, the evidence "
        "includes the companies the same declaration lists for that kind of relative (docs/resolution.md). "
        "The pair's per-feature evidence is kept with the link (entity_candidates).",
        MATCH_BASIS,
    ),
    sql=f"""WITH {DEALS}
SELECT 'official' AS subject_type, c.official_id AS subject_key, e.d AS period_start, e.d AS period_end,
       {sev("(CASE WHEN u.is_principal THEN 3 ELSE 2 END) - c.grade_drop")} AS severity,
       list_concat({chain("u.pos_rid")}, e.ev_deal) AS evidence,
       {{'relation': c.relation, 'role': k.role, 'via': u.via, 'principal': u.is_principal,
        'relative_match': c.fm_match, 'holder_match': k.holder_match}} AS computed
FROM deals e
JOIN r_link k ON k.uscc = e.uscc AND e.d BETWEEN k.start_date AND k.end_eff
JOIN r_circle c ON c.person_id = k.person_id
JOIN r_under u ON u.official_id = c.official_id AND u.unit_code = e.buyer
     AND e.d BETWEEN u.start_date AND u.end_eff
LEFT JOIN officials o ON o.id_number = c.official_id
WHERE e.d <= $as_of
QUALIFY row_number() OVER (
    PARTITION BY c.official_id, e.deal
    ORDER BY (CASE WHEN u.is_principal THEN 3 ELSE 2 END) - c.grade_drop DESC, c.grade_drop,
             u.pos_rid, CASE WHEN k.ev_table = 'company_roles' THEN 0 ELSE 1 END, k.ev_rid, c.person_id) = 1""",
)

COI_02 = Rule(
    code="COI-02",
    title="本人违规经商办企业",
    severity="红",
    method=(
        "Overlaps every position of a person with every company link of the same person (company_roles row "
        "or registered legal representative); an overlap of at least one day (inclusive dates) is a hit. One "
        "alert per official and company, showing the earliest overlap."
    ),
    why="公职人员在任职期间违规经商办企业、在企业兼职或持股，违反廉洁纪律。",
    exclusions=("Overlaps that begin after the scan date are not reported yet.",),
    decisions=(
        "The registered legal representative (companies.legal_rep_id) counts as a role from founding to closing.",
        "Period = the overlap, its end capped at the scan date.",
    ),
    sql=f"""SELECT 'official' AS subject_type, p.id_number AS subject_key,
       greatest(p.start_date, k.start_date) AS period_start,
       least(p.end_eff, k.end_eff, $as_of) AS period_end, '红' AS severity,
       {ev(("officials", "o._rid"), ("positions", "p._rid"), "k.link_ev", ("companies", "co._rid"))}
         AS evidence,
       {{'role': k.role, 'uscc': k.uscc}} AS computed
FROM r_pos p
JOIN r_link k ON k.person_id = p.id_number AND greatest(p.start_date, k.start_date) <= least(p.end_eff, k.end_eff)
LEFT JOIN officials o ON o.id_number = p.id_number
LEFT JOIN companies co ON co.uscc = k.uscc AND k.ev_table = 'company_roles'
WHERE greatest(p.start_date, k.start_date) <= $as_of
QUALIFY row_number() OVER (
    PARTITION BY p.id_number, k.uscc
    ORDER BY greatest(p.start_date, k.start_date), CASE WHEN k.ev_table = 'company_roles' THEN 0 ELSE 1 END,
             p._rid, k.ev_rid) = 1""",
)

COI_03 = Rule(
    code="COI-03",
    title="亲属经商未如实报告",
    severity="橙",
    method=(
        "For each (official, year) with a declaration (any family_members row of that year), takes the "
        "declared spouse, children and children's spouses, their company links held on 12-31 of that year, "
        "and reports links for which that year's declared_assets has no 经商办企业 or 投资 row naming the "
        "company (counterpart_code, or its linked uscc)."
    ),
    why="配偶、子女及其配偶经商办企业情况应如实报告，漏报可能掩盖利益冲突。",
    exclusions=(
        "Parents, siblings and in-laws are outside the declaration's business section and are not checked.",
        "A link that ended before 12-31 of the year is not checked for that year.",
    ),
    decisions=(
        "The relative is known from any year's declaration; the year checked is the filing year.",
        MATCH_BASIS,
    ),
    sql=f"""WITH decl AS (SELECT DISTINCT declarant_id, "year" FROM family_members),
da AS (
    SELECT a.declarant_id, a."year", coalesce(a.counterpart_code, l.uscc) AS uscc
    FROM declared_assets a
    LEFT JOIN r_cid l ON l.source_table = 'declared_assets' AND l._rid = a._rid AND l.field = 'counterpart_code'
    WHERE a.category IN ('经商办企业', '投资')
)
SELECT 'official' AS subject_type, y.declarant_id AS subject_key, make_date(y."year", 1, 1) AS period_start,
       make_date(y."year", 12, 31) AS period_end, '橙' AS severity,
       {
        ev(
            ("officials", "o._rid"),
            "r.fm_ev",
            "k.link_ev",
            ("companies", "co._rid"),
        )
    } AS evidence,
       {{'year': y."year", 'relation': r.relation, 'uscc': k.uscc, 'relative_match': r.fm_match,
        'holder_match': k.holder_match}} AS computed
FROM decl y
JOIN (SELECT DISTINCT id_number FROM positions) po ON po.id_number = y.declarant_id
JOIN r_rel r ON r.official_id = y.declarant_id AND r.relation IN ('配偶', '子女', '子女配偶')
JOIN r_link k ON k.person_id = r.person_id AND make_date(y."year", 12, 31) BETWEEN k.start_date AND k.end_eff
LEFT JOIN da ON da.declarant_id = y.declarant_id AND da."year" = y."year" AND da.uscc = k.uscc
LEFT JOIN officials o ON o.id_number = y.declarant_id
LEFT JOIN companies co ON co.uscc = k.uscc AND k.ev_table = 'company_roles'
WHERE da.uscc IS NULL
QUALIFY row_number() OVER (PARTITION BY y.declarant_id, y."year", k.uscc ORDER BY r.person_id, CASE WHEN k.ev_table = 'company_roles' THEN 0 ELSE 1 END, k.ev_rid) = 1""",
)

COI_04 = Rule(
    code="COI-04",
    title="离任后关联企业承接原单位业务",
    severity="橙 (配偶父母 and in-laws one grade lower)",
    params=(Param("cooling_years", 3, "离任后回避年限（年）"),),
    method=(
        "For every ended position, finds won tenders and contracts of the position's unit dated after the end "
        "date and at most `cooling_years` years after it, won by a company linked (at the deal date) to the "
        "former official or a close relative. One alert per official and deal."
    ),
    why="干部离任后，其本人或亲属关联企业承接原任职单位业务，可能存在“期权腐败”或利用原职务影响谋利。",
    exclusions=(
        "Deals on or before the end date (COI-01's ground) are not counted.",
        "Deals while the official again holds a position in the same unit are left to COI-01.",
        "Payments are not deals for this rule (the catalogue names tenders and contracts).",
    ),
    decisions=(
        "The cooling period ends on the same calendar day `cooling_years` later (inclusive).",
        MATCH_BASIS,
    ),
    sql=f"""WITH {DEALS}
SELECT 'official' AS subject_type, c.official_id AS subject_key, e.d AS period_start, e.d AS period_end,
       {sev("2 - c.grade_drop")} AS severity,
       list_concat({chain("p._rid")}, e.ev_deal) AS evidence,
       {{'left_on': p.end_date, 'cooling_years': $cooling_years, 'relation': c.relation,
        'relative_match': c.fm_match, 'holder_match': k.holder_match}} AS computed
FROM r_pos p
JOIN r_circle c ON c.official_id = p.id_number
JOIN r_link k ON k.person_id = c.person_id
JOIN deals e ON e.uscc = k.uscc AND e.buyer = p.unit_code AND e.d BETWEEN k.start_date AND k.end_eff
LEFT JOIN officials o ON o.id_number = c.official_id
WHERE p.end_date IS NOT NULL AND e.kind <> 'P' AND e.d > p.end_date
  AND e.d <= p.end_date + INTERVAL $cooling_years YEAR AND e.d <= $as_of
  AND NOT EXISTS (SELECT 1 FROM r_pos q WHERE q.id_number = p.id_number AND q.unit_code = p.unit_code
                  AND e.d BETWEEN q.start_date AND q.end_eff)
QUALIFY row_number() OVER (PARTITION BY c.official_id, e.deal
                           ORDER BY c.grade_drop, p.end_date DESC, p._rid, k.ev_rid, c.person_id) = 1""",
)

COI_05 = Rule(
    code="COI-05",
    title="任职回避",
    severity="橙 (配偶父母 and in-laws one grade lower)",
    method=(
        "Pairs an official with each declared close relative who also holds a position; positions that "
        "overlap at least one day in the same unit, or where one unit's parent_code is the other's unit, are "
        "a hit. One alert per pair of persons (whichever declared the other), earliest overlap first."
    ),
    why="有夫妻关系、直系血亲等关系的干部在同一单位或直接上下级单位任职，违反任职回避规定。",
    exclusions=("Units two or more levels apart are not a direct line.",),
    decisions=(
        "The subject is the declarant; the unit row showing parent_code is cited for direct-line hits.",
    ),
    sql=f"""SELECT 'official' AS subject_type, r.official_id AS subject_key,
       greatest(pa.start_date, pb.start_date) AS period_start,
       least(pa.end_eff, pb.end_eff, $as_of) AS period_end, {sev("2 - r.grade_drop")} AS severity,
       {
        ev(
            ("officials", "oa._rid"),
            ("positions", "pa._rid"),
            "r.fm_ev",
            ("officials", "ob._rid"),
            ("positions", "pb._rid"),
            (
                "units",
                "CASE WHEN pa.unit_code = pb.unit_code THEN NULL WHEN ua.parent_code = pb.unit_code "
                "THEN ua._rid ELSE ub._rid END",
            ),
        )
    } AS evidence,
       {{'relation': r.relation, 'same_unit': pa.unit_code = pb.unit_code}} AS computed
FROM r_rel r
JOIN r_pos pa ON pa.id_number = r.official_id
JOIN r_pos pb ON pb.id_number = r.person_id
LEFT JOIN units ua ON ua.unit_code = pa.unit_code
LEFT JOIN units ub ON ub.unit_code = pb.unit_code
LEFT JOIN officials oa ON oa.id_number = r.official_id
LEFT JOIN officials ob ON ob.id_number = r.person_id
WHERE greatest(pa.start_date, pb.start_date) <= least(pa.end_eff, pb.end_eff)
  AND greatest(pa.start_date, pb.start_date) <= $as_of
  AND (pa.unit_code = pb.unit_code OR ua.parent_code = pb.unit_code OR ub.parent_code = pa.unit_code)
QUALIFY row_number() OVER (
    PARTITION BY least(r.official_id, r.person_id), greatest(r.official_id, r.person_id)
    ORDER BY r.grade_drop, greatest(pa.start_date, pb.start_date), r.official_id, pa._rid, pb._rid) = 1""",
)

COI_06 = Rule(
    code="COI-06",
    title="与管理服务对象资金往来",
    severity="红 (配偶父母 and in-laws one grade lower)",
    params=(
        Param("min_amount", 50000, "单笔交易金额下限（元）"),
        Param("lookback_days", 730, "供应关系回溯天数"),
    ),
    method=(
        "Joins bank transactions ≥ `min_amount` of an official or close relative with the counterpart "
        "company's contracts and payments from a unit under the official (at that contract or payment date) in "
        "the `lookback_days` days up to the transaction date. One alert per official and transaction, citing the "
        "latest supply record."
    ),
    why="领导干部或其亲属与所管辖单位的供应商之间存在大额资金往来，可能是利益输送或变相受贿。",
    exclusions=("Supply records after the transaction date do not count.",),
    decisions=(
        "Both directions (收/付) count; the counterpart is counterpart_id or its linked uscc.",
        yuan_by_contract("bank_transactions"),
    ),
    sql=f"""WITH supply AS (
    SELECT c.supplier_code AS uscc, c.buyer_code AS buyer, c.signed AS d, 'contracts' AS t, c._rid AS rid
    FROM contracts c
    UNION ALL
    SELECT coalesce(p.payee_code, l.uscc), p.payer_code, p.paid, 'payments', p._rid
    FROM payments p
    LEFT JOIN r_cid l ON l.source_table = 'payments' AND l._rid = p._rid AND l.field = 'payee_code'
),
tx AS (
    SELECT x._rid, x.holder_id, x.tx_date, x.amount, coalesce(x.counterpart_id, l.uscc) AS cp
    FROM bank_transactions x
    LEFT JOIN r_cid l ON l.source_table = 'bank_transactions' AND l._rid = x._rid AND l.field = 'counterpart_id'
    WHERE x.amount >= $min_amount AND x.tx_date <= $as_of
)
SELECT 'official' AS subject_type, c.official_id AS subject_key, x.tx_date AS period_start,
       x.tx_date AS period_end, {sev("3 - c.grade_drop")} AS severity,
       {
        ev(
            ("officials", "o._rid"),
            ("positions", "u.pos_rid"),
            "c.fm_ev",
            ("bank_transactions", "x._rid"),
            ("s.t", "s.rid"),
        )
    } AS evidence,
       {{'amount': x.amount, 'relation': c.relation, 'supplier': s.uscc}} AS computed
FROM tx x
JOIN r_circle c ON c.person_id = x.holder_id
JOIN supply s ON s.uscc = x.cp AND s.d BETWEEN x.tx_date - INTERVAL $lookback_days DAY AND x.tx_date
JOIN r_under u ON u.official_id = c.official_id AND u.unit_code = s.buyer AND s.d BETWEEN u.start_date AND u.end_eff
LEFT JOIN officials o ON o.id_number = c.official_id
QUALIFY row_number() OVER (PARTITION BY c.official_id, x._rid
                           ORDER BY c.grade_drop, s.d DESC, s.t, s.rid, u.pos_rid) = 1""",
)

RULES = [COI_01, COI_02, COI_03, COI_04, COI_05, COI_06]
