"""E. 整改 — rectification of audit and inspection findings."""

from __future__ import annotations

from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.sqlparts import ev

FINDINGS = """SELECT 'audit_findings' AS t, _rid, unit_code, category, 'A:' || audit_no AS rnd, found, due, status,
        fixed FROM audit_findings
    UNION ALL
    SELECT 'inspection_findings', _rid, unit_code, category, 'I:' || "round", found, due, status, fixed
    FROM inspection_findings"""

RCT_01 = Rule(
    code="RCT-01",
    title="整改逾期",
    severity="黄 (橙 if > 90 days late)",
    params=(Param("late_days", 90, "逾期升级为橙色的天数"),),
    method=(
        "Audit and inspection findings with a due date: not 已整改 and due before the scan date (days late = "
        "scan date − due), or 已整改 with a fixed date after due (days late = fixed − due). More than "
        "`late_days` days late is 橙."
    ),
    why="问题整改逾期未完成或拖延完成，说明整改责任落实不到位，可能敷衍整改、虚假整改。",
    exclusions=(
        "Findings without a due date cannot be late.",
        "已整改 without a fixed date is taken as fixed in time (no evidence of lateness).",
    ),
    decisions=("A fix dated after the scan date is treated as not fixed at the scan date.",),
    notes=(
        "Demo city, scale 1 (scan 2026-06-30): 58 alerts, 3 of them planted. The other 55 are the generator's "
        "background of late rectification, not rule errors: it leaves about 6 % of the findings due before "
        "the scan date late (58 of 1,075 here). 26 are still 整改中 past due; 29 were marked 已整改 after due, "
        "5–128 days late (the longest come from the audit office's July 2026 update delivery, which marks a "
        "third of the open audit findings 已整改 30–199 days after they were found). Two read by hand: audit "
        "finding SJWT20171576658 (due 2017-12-11, fixed 2018-01-23: 43 days late, 黄) and inspection finding "
        "XCWT20229364885 (due 2023-04-09, still 整改中: 1,178 days late at the scan date, 橙).",
    ),
    sql=f"""WITH f AS ({FINDINGS}),
x AS (
    SELECT f.*, CASE WHEN f.status = '已整改' AND f.fixed IS NOT NULL AND f.fixed <= $as_of
                     THEN date_diff('day', f.due, f.fixed)
                     WHEN coalesce(f.status, '') <> '已整改' OR f.fixed > $as_of
                     THEN date_diff('day', f.due, $as_of) END AS late,
           CASE WHEN f.status = '已整改' AND f.fixed <= $as_of THEN f.fixed ELSE $as_of END AS until
    FROM f WHERE f.due IS NOT NULL AND f.found <= $as_of
)
SELECT 'unit' AS subject_type, x.unit_code AS subject_key, x.due AS period_start, x.until AS period_end,
       CASE WHEN x.late > $late_days THEN '橙' ELSE '黄' END AS severity,
       {ev(("units", "u._rid"), ("x.t", "x._rid"))} AS evidence, {{'days_late': x.late}} AS computed
FROM x LEFT JOIN units u ON u.unit_code = x.unit_code
WHERE x.late > 0""",
)

RCT_02 = Rule(
    code="RCT-02",
    title="屡查屡犯",
    severity="橙",
    method=(
        "Pairs findings of the same unit and category (audit and inspection findings together) from "
        "different rounds (audit_no or round): an earlier one marked 已整改 and a later one found after it "
        "was fixed (after it was found when no fixed date is given). One alert per recurring finding, citing "
        "every earlier rectified finding of that category, oldest first."
    ),
    why="同一单位同类问题整改后再次出现，说明整改不彻底或制度漏洞未堵，屡查屡犯需追责。",
    exclusions=("Categories are compared as delivered text.", "Findings of the same round never pair."),
    decisions=(
        "'Later' means found on or after the earlier finding's fixed date and strictly after it was found.",
    ),
    sql=f"""WITH f AS ({FINDINGS})
SELECT 'unit' AS subject_type, b.unit_code AS subject_key, min(a.found) AS period_start,
       b.found AS period_end, '橙' AS severity,
       {ev(("units", "u._rid"), "list({'t': a.t, 'r': a._rid} ORDER BY a.found, a.t, a._rid)", ("b.t", "b._rid"))}
         AS evidence,
       {{'category': b.category, 'earlier': count(*)}} AS computed
FROM f a JOIN f b ON b.unit_code = a.unit_code AND b.category = a.category AND b.rnd <> a.rnd
     AND b.found > a.found AND b.found >= coalesce(a.fixed, a.found)
LEFT JOIN units u ON u.unit_code = b.unit_code
WHERE a.status = '已整改' AND b.found <= $as_of
GROUP BY b.t, b._rid, b.unit_code, b.found, b.category, u._rid""",
)

RCT_03 = Rule(
    code="RCT-03",
    title="审计移送问题未立案跟进",
    severity="黄",
    params=(Param("days", 30, "移送后登记线索的期限（天）"),),
    method=(
        "Audit findings with referred = 是 whose deadline (found + `days` days) is before the scan date and "
        "for which no lead (leads.source_table = 'audit_findings', source_rid = the finding) was opened on or "
        "before the deadline."
    ),
    why="审计移送纪检监察的问题线索应及时登记处置，逾期未登记可能造成线索流失或有案不查。",
    exclusions=("Inspection findings have no referral flag and are not checked.",),
    decisions=(
        "The referral date is taken to be the finding's found date (the contract has no referral date).",
    ),
    sql=f"""SELECT 'unit' AS subject_type, f.unit_code AS subject_key, f.found AS period_start,
       CAST(f.found + INTERVAL $days DAY AS DATE) AS period_end, '黄' AS severity,
       {ev(("units", "u._rid"), ("audit_findings", "f._rid"))} AS evidence,
       {{'finding_no': f.finding_no}} AS computed
FROM audit_findings f LEFT JOIN units u ON u.unit_code = f.unit_code
WHERE f.referred AND f.found + INTERVAL $days DAY < $as_of
  AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.source_table = 'audit_findings' AND l.source_rid = f._rid
                  AND l.opened <= f.found + INTERVAL $days DAY)""",
)

RULES = [RCT_01, RCT_02, RCT_03]
