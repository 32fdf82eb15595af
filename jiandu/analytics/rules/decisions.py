"""C. 三重一大 — collective decisions."""

from __future__ import annotations

from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.sqlparts import NOT_YUAN, agg, ev, in_yuan

UNIT_DECISION = ev(("units", "u._rid"), ("decisions", "d._rid"))

DEC_01 = Rule(
    code="DEC-01",
    title="大额资金未经集体决策",
    severity="红",
    params=(
        Param("amount", 500_000, "需集体决策的金额（元）"),
        Param("window_days", 180, "决策须在合同或支付之前的天数"),
    ),
    method=(
        "Contracts and payments ≥ `amount` (payments only when they do not belong to a known contract) are "
        "matched with passed 大额资金使用 or 重大项目安排 decisions of the same unit dated 0 to `window_days` "
        "days before; a decision matches when its refs list the contract_no, tender_no or payment_no, or its "
        "amount is within 5 % of the contract's or payment's amount. Items with no matching decision are hits."
    ),
    why="大额资金使用和重大项目安排须经领导班子集体讨论决定，绕开集体决策是“一言堂”和权力寻租的典型风险。",
    exclusions=(
        "A payment under a known contract is covered by that contract's own check.",
        "A decision on the same day as the contract or payment counts (inclusive).",
        NOT_YUAN + " Payments come from the treasury (国库集中支付) and are yuan.",
    ),
    version=2,
    decisions=(
        "Within 5 %: |decision amount − item amount| ≤ 0.05 × item amount.",
        "Decisions about the item that do not cover it (too early, deferred, wrong matter) are cited after "
        "the item, so a reader sees why they do not count.",
    ),
    sql=f"""WITH cand AS (
    SELECT 'contracts' AS t, c._rid AS rid, c.buyer_code AS unit, c.signed AS d, c.amount AS amt,
           c.contract_no AS no1, c.tender_no AS no2 FROM contracts c
    WHERE c.amount >= $amount AND {in_yuan("c.tender_no")}
    UNION ALL
    SELECT 'payments', p._rid, p.payer_code, p.paid, p.amount, p.payment_no, p.contract_no FROM payments p
    WHERE p.amount >= $amount AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.contract_no = p.contract_no)
),
related AS (  -- decisions about the item (reference or amount) whatever their date, outcome or matter
    SELECT c.t, c.rid, c.d AS item_d, d._rid AS d_rid, d.meeting_date, d.outcome, d.matter FROM cand c
    JOIN decisions d ON d.unit_code = c.unit AND d.meeting_date <= c.d
    WHERE list_contains(d.refs, c.no1) OR list_contains(d.refs, c.no2)
       OR abs(d.amount - c.amt) <= 0.05 * c.amt
),
covered AS (
    SELECT DISTINCT t, rid FROM related
    WHERE outcome = '通过' AND matter IN ('大额资金使用', '重大项目安排')
      AND meeting_date >= item_d - INTERVAL $window_days DAY
),
near AS (SELECT t, rid, {agg("decisions", "d_rid", "meeting_date, d_rid")} AS ev FROM related GROUP BY t, rid)
SELECT 'unit' AS subject_type, c.unit AS subject_key, c.d AS period_start, c.d AS period_end, '红' AS severity,
       {ev(("units", "u._rid"), ("c.t", "c.rid"), "coalesce(n.ev, [])")} AS evidence,
       {{'amount': c.amt, 'item': c.no1}} AS computed
FROM cand c LEFT JOIN covered v ON v.t = c.t AND v.rid = c.rid LEFT JOIN units u ON u.unit_code = c.unit
LEFT JOIN near n ON n.t = c.t AND n.rid = c.rid
WHERE v.rid IS NULL AND c.d <= $as_of""",
)

DEC_02 = Rule(
    code="DEC-02",
    title="主要负责人未末位表态",
    severity="黄",
    method="A decision whose principal_order is recorded and is below the number present (did not speak last).",
    why="主要负责人应末位表态，先表态会影响其他班子成员独立发表意见，削弱集体决策。",
    exclusions=("Decisions without principal_order cannot be judged.",),
    notes=(
        "Demo city, scale 1 (scan 2026-06-30): 310 alerts, 3 of them planted. The other 307 are the "
        "generator's background, not rule errors: it lets the principal speak before the last member in "
        "1.5 % of decisions (310 of the 19,726 decisions in the registry have principal_order < present, 1.6 %). Two "
        "read by hand: 中共青源市委员会党组会〔20161101〕 item 1 (6 present, principal 5th) and "
        "青源市民政局党组会〔20250511〕 item 1 (7 present, principal 3rd) — both breaches as the catalogue "
        "defines them.",
    ),
    sql=f"""SELECT 'unit' AS subject_type, d.unit_code AS subject_key, d.meeting_date AS period_start,
       d.meeting_date AS period_end, '黄' AS severity, {UNIT_DECISION} AS evidence,
       {{'principal_order': d.principal_order, 'present': d.present}} AS computed
FROM decisions d LEFT JOIN units u ON u.unit_code = d.unit_code
WHERE d.principal_order IS NOT NULL AND d.principal_order < d.present AND d.meeting_date <= $as_of""",
)

DEC_03 = Rule(
    code="DEC-03",
    title="到会人数不足",
    severity="橙",
    method="A passed decision with present < ⅔ × expected (compared as 3 × present < 2 × expected, exactly).",
    why="讨论“三重一大”事项须有三分之二以上成员到会，人数不足作出的决定程序违规。",
    exclusions=("Decisions that did not pass are not decisions taken.",),
    sql=f"""SELECT 'unit' AS subject_type, d.unit_code AS subject_key, d.meeting_date AS period_start,
       d.meeting_date AS period_end, '橙' AS severity, {UNIT_DECISION} AS evidence,
       {{'present': d.present, 'expected': d.expected}} AS computed
FROM decisions d LEFT JOIN units u ON u.unit_code = d.unit_code
WHERE d.outcome = '通过' AND 3 * d.present < 2 * d.expected AND d.meeting_date <= $as_of""",
)

DEC_04 = Rule(
    code="DEC-04",
    title="决而不行",
    severity="黄",
    method="A passed decision whose due date is before the scan date and whose done is not 已落实 (or empty).",
    why="集体决策通过后逾期未落实，决策流于形式，可能存在推诿或选择性执行。",
    exclusions=("A due date equal to the scan date has not passed yet.",),
    sql=f"""SELECT 'unit' AS subject_type, d.unit_code AS subject_key, d.meeting_date AS period_start,
       d.due AS period_end, '黄' AS severity, {UNIT_DECISION} AS evidence,
       {{'days_overdue': date_diff('day', d.due, $as_of), 'done': d.done}} AS computed
FROM decisions d LEFT JOIN units u ON u.unit_code = d.unit_code
WHERE d.outcome = '通过' AND d.due < $as_of AND coalesce(d.done, '') <> '已落实'""",
)

DEC_05 = Rule(
    code="DEC-05",
    title="议而不决",
    severity="黄",
    params=(Param("times", 2, "缓议次数下限"),),
    method="Counts 缓议 outcomes per unit and exact topic text; ≥ `times` is a hit citing every deferral.",
    why="同一议题反复缓议、久拖不决，影响重大事项推进，也可能掩盖分歧或利益博弈。",
    exclusions=("Topics are compared as delivered text (trimmed); reworded topics are different topics.",),
    decisions=(
        "A later decision on the topic does not cancel the alert: the repeated deferral already happened.",
    ),
    sql=f"""SELECT 'unit' AS subject_type, d.unit_code AS subject_key, min(d.meeting_date) AS period_start,
       max(d.meeting_date) AS period_end, '黄' AS severity,
       list_concat({ev(("units", "u._rid"))}, {agg("decisions", "d._rid", "d.meeting_date, d._rid")}) AS evidence,
       {{'deferred': count(*), 'topic': d.topic}} AS computed
FROM decisions d LEFT JOIN units u ON u.unit_code = d.unit_code
WHERE d.outcome = '缓议' AND d.meeting_date <= $as_of
GROUP BY d.unit_code, d.topic, u._rid
HAVING count(*) >= $times""",
)

DEC_06 = Rule(
    code="DEC-06",
    title="人事任免未经集体讨论",
    severity="橙",
    params=(Param("window_days", 90, "任职前须有决策的天数"),),
    method=(
        "Every position starting on or before the scan date is matched with passed 重要人事任免 decisions of "
        "its unit dated 0 to `window_days` days before start_date; positions without one are hits."
    ),
    why="干部任免须经党委（党组）集体讨论决定，未经集体讨论的任职可能是个人说了算或带病提拔。",
    exclusions=(
        "Positions starting before the earliest delivered decision (of any unit) are outside the decisions "
        "data and not judged.",
    ),
    notes=(
        "Demo city, scale 1 (scan 2026-06-30): 147 alerts, 3 of them planted. Every one of the other 144 was "
        "traced to the delivered 三重一大 file: for 115 appointments the delivery holds no 重要人事任免 "
        "decision at all (the generator skips the decision for 2 % of its 7,345 judged appointments); for 29 "
        "the decision was delivered but refused by the importer as an invalid row (missing or misspelt "
        "unit_code, matter, meeting_no, item_no, outcome or date), so the registry has no decision either. "
        "Both are hits as the catalogue defines them, not rule errors; the second kind disappears when the "
        "department re-delivers the corrected rows. Two read by hand: 青源市自然资源和规划局 办公室主任 from "
        "2011-03-12 (no decision delivered) and 青源市人力资源和社会保障局 副局长 from 2015-05-09 (its "
        "decision of 2015-04-10 refused: matter empty; the alert cites the unit's 2014-12-04 decision as too "
        "early).",
    ),
    decisions=(
        "The subject is the unit that should have decided; the position row is the evidence.",
        "Personnel decisions of the unit up to twice `window_days` before the start that do not cover it "
        "(too early, not passed) are cited after the position.",
    ),
    sql=f"""WITH coverage AS (SELECT min(meeting_date) AS first_d FROM decisions),
personnel AS (
    SELECT p._rid AS pos_rid, d._rid AS d_rid, d.meeting_date, d.outcome, p.start_date FROM positions p
    JOIN decisions d ON d.unit_code = p.unit_code AND d.matter = '重要人事任免' AND d.meeting_date <= p.start_date
         AND d.meeting_date >= p.start_date - INTERVAL $window_days DAY - INTERVAL $window_days DAY
),
covered AS (SELECT DISTINCT pos_rid FROM personnel
            WHERE outcome = '通过' AND meeting_date >= start_date - INTERVAL $window_days DAY),
near AS (SELECT pos_rid, {agg("decisions", "d_rid", "meeting_date, d_rid")} AS ev FROM personnel GROUP BY pos_rid)
SELECT 'unit' AS subject_type, p.unit_code AS subject_key, p.start_date AS period_start,
       p.start_date AS period_end, '橙' AS severity,
       {ev(("units", "u._rid"), ("positions", "p._rid"), "coalesce(n.ev, [])")} AS evidence,
       {{'title': p.title}} AS computed
FROM positions p CROSS JOIN coverage f
LEFT JOIN covered c ON c.pos_rid = p._rid LEFT JOIN units u ON u.unit_code = p.unit_code
LEFT JOIN near n ON n.pos_rid = p._rid
WHERE c.pos_rid IS NULL AND p.start_date >= f.first_d AND p.start_date <= $as_of""",
)

RULES = [DEC_01, DEC_02, DEC_03, DEC_04, DEC_05, DEC_06]
