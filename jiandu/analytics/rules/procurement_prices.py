"""B. 招投标 — procurement, part 2 (suppliers, prices, contracts)."""

from __future__ import annotations

from jiandu.analytics.fences import r8_quartiles_sql
from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.procurement import CONTRACT_THRESHOLD, TENDER_CLOSED, THRESHOLD_PARAMS
from jiandu.analytics.rules.sqlparts import NOT_YUAN, agg, ev

PRC_07 = Rule(
    code="PRC-07",
    title="新设企业中标",
    severity="黄",
    params=(Param("days", 180, "成立不满天数"),),
    method=(
        "For every won bid, days from the winner's founding date to the tender's notice_date; for every "
        "contract without a tender, days from founding to signing. Fewer than `days` is a hit (a company "
        "founded after the notice counts too)."
    ),
    why="刚成立不久的企业即中标，可能是为承接特定项目临时设立的“壳公司”或关联企业。",
    exclusions=("Won bids of tenders without notice_date are not measured.",),
    decisions=(
        "The subject is the tender for a won bid and the buyer unit for a contract without tender; one alert per "
        "award, the company row heading the evidence.",
    ),
    sql=f"""WITH aw AS (
    SELECT 'tender' AS st, t.tender_no AS sk, b.bidder_code AS uscc, t.notice_date AS ref_d,
           {ev(("bids", "b._rid"), ("tenders", "t._rid"))} AS ev
    FROM bids b JOIN tenders t ON t.tender_no = b.tender_no WHERE b.won AND t.notice_date IS NOT NULL
    UNION ALL
    SELECT 'unit', c.buyer_code, c.supplier_code, c.signed, {ev(("contracts", "c._rid"))}
    FROM contracts c LEFT JOIN tenders t ON t.tender_no = c.tender_no WHERE t.tender_no IS NULL
)
SELECT a.st AS subject_type, a.sk AS subject_key, co.founded AS period_start, a.ref_d AS period_end,
       '黄' AS severity, list_concat({ev(("companies", "co._rid"))}, a.ev) AS evidence,
       {{'age_days': date_diff('day', co.founded, a.ref_d), 'uscc': a.uscc}} AS computed
FROM aw a JOIN companies co ON co.uscc = a.uscc
WHERE date_diff('day', co.founded, a.ref_d) < $days AND a.ref_d <= $as_of""",
)

PRC_08 = Rule(
    code="PRC-08",
    ocp="R024",
    title="报价接近",
    severity="黄",
    params=(Param("threshold", None, "固定阈值（设定后替代离群值下限）", float),),
    method=(
        "For every tender with one valid winning bid that is the lowest valid bid and at least one other "
        "valid bid: ratio = (second-lowest valid bid − winning bid) / winning bid. The lower fence is "
        "Q1 − 1.5·IQR of all such ratios (R-8 quartiles); a ratio ≤ the fence (or ≤ `threshold` when set) is a "
        "hit. The fence and quartiles are recorded on every alert."
    ),
    why="中标价与次低价异常接近，提示投标人之间可能相互知悉报价、围标串标。",
    exclusions=(
        "Rejected bids (rejected_reason set) are not valid bids.",
        "Tenders where the winner is not the lowest valid bid are not lowest-price awards and are skipped.",
        "Tenders whose deadline is after the scan date are not counted.",
    ),
    decisions=("Ratios are computed from bid prices as doubles; equal prices give ratio 0.",),
    sql=f"""WITH v AS (
    SELECT b.* FROM bids b JOIN tenders t ON t.tender_no = b.tender_no
    WHERE b.rejected_reason IS NULL AND {TENDER_CLOSED}
),
w AS (SELECT tender_no, min(CAST(price AS DOUBLE)) AS wp, min(_rid) AS w_rid
      FROM v WHERE won GROUP BY tender_no HAVING count(*) = 1),
s AS (SELECT v.tender_no, min(CAST(v.price AS DOUBLE)) AS sp, arg_min(v._rid, v.price) AS s_rid
      FROM v JOIN w ON w.tender_no = v.tender_no WHERE NOT v.won GROUP BY v.tender_no),
r AS (SELECT w.tender_no, w.w_rid, s.s_rid, (s.sp - w.wp) / w.wp AS ratio
      FROM w JOIN s ON s.tender_no = w.tender_no WHERE w.wp > 0 AND s.sp >= w.wp),
f AS ({r8_quartiles_sql("r", "ratio")})
SELECT 'tender' AS subject_type, t.tender_no AS subject_key, t.notice_date AS period_start,
       coalesce(t.award_date, t.deadline) AS period_end, '黄' AS severity,
       {ev(("tenders", "t._rid"), ("bids", "r.w_rid"), ("bids", "r.s_rid"), "ab.ev")} AS evidence,
       {{'ratio': r.ratio, 'q1': f.q1, 'q3': f.q3, 'fence': f.fence, 'threshold': $threshold}} AS computed
FROM r JOIN tenders t ON t.tender_no = r.tender_no CROSS JOIN f
JOIN (SELECT tender_no, {agg("bids", "_rid", "price, _rid")} AS ev FROM bids GROUP BY tender_no) ab
  ON ab.tender_no = r.tender_no
WHERE r.ratio <= coalesce($threshold, f.fence)""",
)

PRC_09 = Rule(
    code="PRC-09",
    ocp="R028",
    title="报价雷同",
    severity="橙",
    method="Groups the bids of a tender by price; a price submitted by two or more different bidders is a hit.",
    why="不同投标人报价完全相同，极少出于偶然，是串通投标的迹象。",
    exclusions=("Rejected bids count: an identical price is suspicious whether or not the bid was valid.",),
    decisions=(
        "One alert per tender, citing the bids that share a price first, then the tender's other bids.",
    ),
    sql=f"""WITH d AS (SELECT tender_no, price FROM bids GROUP BY tender_no, price
           HAVING count(DISTINCT bidder_code) >= 2)
SELECT 'tender' AS subject_type, t.tender_no AS subject_key, t.notice_date AS period_start,
       coalesce(t.award_date, t.deadline) AS period_end, '橙' AS severity,
       {ev(("tenders", "t._rid"), "x.ev", "ab.ev")} AS evidence, {{'bidders': x.n}} AS computed
FROM (SELECT d.tender_no, count(*) AS n, {agg("bids", "b._rid", "b.price, b._rid")} AS ev
      FROM d JOIN bids b ON b.tender_no = d.tender_no AND b.price = d.price GROUP BY d.tender_no) x
JOIN tenders t ON t.tender_no = x.tender_no
JOIN (SELECT tender_no, {agg("bids", "_rid", "_rid")} AS ev FROM bids GROUP BY tender_no) ab
  ON ab.tender_no = x.tender_no""",
)

PRC_10 = Rule(
    code="PRC-10",
    ocp="R035",
    title="除中标人外全部被否决",
    severity="橙",
    params=(Param("threshold", 1, "被否决投标的最少数量"),),
    method=(
        "Per tender: exactly one bid without rejected_reason, that bid won, and at least `threshold` bids "
        "were rejected."
    ),
    why="除中标人外其他投标均被否决，可能是通过评审环节排除竞争对手、保证内定单位中标。",
    exclusions=("Tenders whose deadline is after the scan date are not judged.",),
    sql=f"""SELECT 'tender' AS subject_type, t.tender_no AS subject_key, t.notice_date AS period_start,
       coalesce(t.award_date, t.deadline) AS period_end, '橙' AS severity,
       list_concat({ev(("tenders", "t._rid"))}, {agg("bids", "b._rid", "b.won DESC, b._rid")}) AS evidence,
       {{'rejected': sum(CASE WHEN b.rejected_reason IS NOT NULL THEN 1 ELSE 0 END)}} AS computed
FROM tenders t JOIN bids b ON b.tender_no = t.tender_no
WHERE {TENDER_CLOSED}
GROUP BY t.tender_no, t.notice_date, t.award_date, t.deadline, t._rid
HAVING sum(CASE WHEN b.rejected_reason IS NULL THEN 1 ELSE 0 END) = 1
   AND sum(CASE WHEN b.rejected_reason IS NULL AND b.won THEN 1 ELSE 0 END) = 1
   AND sum(CASE WHEN b.rejected_reason IS NOT NULL THEN 1 ELSE 0 END) >= $threshold""",
)

PRC_11 = Rule(
    code="PRC-11",
    title="合同变更增额",
    severity="黄",
    params=(Param("ratio", 0.10, "变更增额比例上限", float),),
    method="A contract whose final_amount exceeds amount × (1 + `ratio`) (strictly).",
    why="合同签订后大幅增加金额，可能是低价中标、事后追加，规避竞争和审批。",
    exclusions=("Contracts without final_amount were not amended.",),
    decisions=("The subject is the buyer unit (contracts are not a subject type); the tender row is cited.",),
    sql=f"""SELECT 'unit' AS subject_type, c.buyer_code AS subject_key, c.signed AS period_start,
       c.signed AS period_end, '黄' AS severity,
       {ev(("units", "u._rid"), ("contracts", "c._rid"), ("tenders", "t._rid"))} AS evidence,
       {{'increase': CAST(c.final_amount AS DOUBLE) / CAST(c.amount AS DOUBLE) - 1, 'ratio': $ratio,
        'contract_no': c.contract_no}} AS computed
FROM contracts c LEFT JOIN tenders t ON t.tender_no = c.tender_no LEFT JOIN units u ON u.unit_code = c.buyer_code
WHERE c.final_amount IS NOT NULL AND c.amount > 0
  AND CAST(c.final_amount AS DOUBLE) > CAST(c.amount AS DOUBLE) * (1 + $ratio) AND c.signed <= $as_of""",
)

PRC_12 = Rule(
    code="PRC-12",
    ocp="R010",
    title="应招未招",
    severity="橙",
    params=THRESHOLD_PARAMS,
    method=(
        "Contracts with amount ≥ the PRC-02 threshold of their category (a contract without a tender uses the "
        "货物/服务 threshold) that have no tender_no, or whose tender used 单一来源 or 直接采购."
    ),
    why="达到招标限额的项目未经招标或以单一来源、直接采购方式授予，涉嫌规避招标。",
    exclusions=(
        "A tender_no naming a tender that is not in the registry is not judged (data gap).",
        NOT_YUAN,
    ),
    decisions=("The subject is the buyer unit.",),
    version=2,
    sql=f"""WITH k AS ({CONTRACT_THRESHOLD})
SELECT 'unit' AS subject_type, k.buyer_code AS subject_key, k.signed AS period_start, k.signed AS period_end,
       '橙' AS severity, {ev(("units", "u._rid"), ("contracts", "k._rid"), ("tenders", "k.t_rid"))} AS evidence,
       {{'threshold': k.thr, 'amount': k.amount, 'method': k.method}} AS computed
FROM k LEFT JOIN units u ON u.unit_code = k.buyer_code
WHERE k.amount >= k.thr AND k.signed <= $as_of
  AND (k.tender_no IS NULL OR k.method IN ('单一来源', '直接采购'))""",
)

RULES = [PRC_07, PRC_08, PRC_09, PRC_10, PRC_11, PRC_12]
