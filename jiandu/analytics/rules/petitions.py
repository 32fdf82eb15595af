"""D. 信访举报 — petitions."""

from __future__ import annotations

from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.sqlparts import agg, ev

# A petition's subject person: own subject_id, else the id entity resolution linked the petition to.
PETITION_PERSON = """SELECT p.*, coalesce(p.subject_id, l.id_number) AS pid FROM petitions p
    LEFT JOIN r_pid l ON l.source_table = 'petitions' AND l._rid = p._rid AND l.field = 'subject_id'"""

PET_01 = Rule(
    code="PET-01",
    title="信访举报集中",
    severity="橙 (红 if ≥ 2 × count)",
    params=(Param("count", 3, "件数下限"), Param("months", 12, "统计月数")),
    method=(
        "Petitions are linked to officials by subject_id or the linked id. For each petition as the start of "
        "a window of `months` months, the official's petitions in the window are counted; ≥ `count` is a hit "
        "(红 when ≥ 2 × count). Windows contained in the previous window of the same official are not reported "
        "again."
    ),
    why="同一干部在一定时期内被多次信访举报，反映问题可能集中、真实，需要重点关注。",
    exclusions=("Petitions about persons who hold no position are not about officials.",),
    decisions=("Window: received ≤ first received + `months` months (the end day counts).",),
    sql=f"""WITH x AS (
    SELECT pt._rid, pt.received, pt.pid FROM ({PETITION_PERSON}) pt
    WHERE pt.received <= $as_of AND pt.pid IN (SELECT id_number FROM positions)
),
g AS (
    SELECT a.pid, a._rid AS anchor, a.received AS a_d, count(*) AS n, max(b.received) AS last_d,
           {agg("petitions", "b._rid", "b.received, b._rid")} AS ev
    FROM x a JOIN x b ON b.pid = a.pid AND b.received BETWEEN a.received AND a.received + INTERVAL $months MONTH
    GROUP BY a.pid, a._rid, a.received
),
w AS (SELECT g.*, lag(a_d) OVER (PARTITION BY pid ORDER BY a_d, anchor) AS prev_d FROM g)
SELECT 'official' AS subject_type, w.pid AS subject_key, w.a_d AS period_start, w.last_d AS period_end,
       CASE WHEN w.n >= 2 * $count THEN '红' ELSE '橙' END AS severity,
       list_concat({ev(("officials", "o._rid"))}, w.ev) AS evidence, {{'petitions': w.n}} AS computed
FROM w LEFT JOIN officials o ON o.id_number = w.pid
WHERE w.n >= $count AND NOT (w.prev_d IS NOT NULL AND w.last_d <= w.prev_d + INTERVAL $months MONTH)""",
)

PET_02 = Rule(
    code="PET-02",
    title="单位信访激增",
    severity="黄",
    params=(Param("min_count", 3, "最近一个季度的最少件数"), Param("sigmas", 2, "标准差倍数", float)),
    method=(
        "A petition belongs to the unit of a position its subject (own or linked id) held on the received "
        "date, else to the unit whose name equals subject_unit exactly. The last quarter is the last calendar "
        "quarter complete at the scan date; the unit's count there must be ≥ `min_count` and exceed mean + "
        "`sigmas` σ of its 8 prior quarters (quarters without petitions count as 0; σ is the population "
        "standard deviation)."
    ),
    why="单位信访举报数量短期内异常增多，可能反映该单位问题集中爆发或政治生态恶化。",
    exclusions=("Petitions that cannot be placed in a unit are not counted.",),
    decisions=(
        "Scan date 2025-06-30 → last quarter Q2 2025; scan date 2025-06-29 → Q1 2025 (Q2 not complete).",
        "When the subject held several positions, the smallest unit_code is used (deterministic).",
        "Evidence: the last quarter's petitions, then the prior 8 quarters' petitions (the baseline).",
    ),
    sql=f"""WITH pt AS ({PETITION_PERSON}),
by_pos AS (SELECT pt._rid, min(p.unit_code) AS unit FROM pt JOIN r_pos p ON p.id_number = pt.pid
           AND pt.received BETWEEN p.start_date AND p.end_eff GROUP BY pt._rid),
by_name AS (SELECT pt._rid, min(u.unit_code) AS unit FROM pt JOIN units u ON u.name = pt.subject_unit
            GROUP BY pt._rid HAVING count(*) = 1),
b AS (SELECT date_trunc('quarter', $as_of + INTERVAL 1 DAY) AS qend),
q AS (
    SELECT pt._rid, pt.received, coalesce(bp.unit, bn.unit) AS unit,
           (year(b.qend) * 4 + quarter(b.qend)) - (year(pt.received) * 4 + quarter(pt.received)) AS k
    FROM pt LEFT JOIN by_pos bp ON bp._rid = pt._rid LEFT JOIN by_name bn ON bn._rid = pt._rid CROSS JOIN b
),
lastq AS (SELECT unit, count(*) AS n, {agg("petitions", "_rid", "received, _rid")} AS ev
          FROM q WHERE k = 1 AND unit IS NOT NULL GROUP BY unit),
prior AS (SELECT unit, k, count(*) AS n FROM q WHERE k BETWEEN 2 AND 9 AND unit IS NOT NULL GROUP BY unit, k),
prior_ev AS (SELECT unit, {agg("petitions", "_rid", "received, _rid")} AS ev FROM q
             WHERE k BETWEEN 2 AND 9 AND unit IS NOT NULL GROUP BY unit),
stats AS (SELECT l.unit, l.n, l.ev, coalesce(sum(p.n), 0) / 8.0 AS mean,
                 sqrt(greatest(coalesce(sum(p.n * p.n), 0) / 8.0 - power(coalesce(sum(p.n), 0) / 8.0, 2), 0)) AS sd
          FROM lastq l LEFT JOIN prior p ON p.unit = l.unit GROUP BY l.unit, l.n, l.ev)
SELECT 'unit' AS subject_type, s.unit AS subject_key, CAST(b.qend - INTERVAL 3 MONTH AS DATE) AS period_start,
       CAST(b.qend - INTERVAL 1 DAY AS DATE) AS period_end, '黄' AS severity,
       {ev(("units", "u._rid"), "s.ev", "coalesce(pe.ev, [])")} AS evidence,
       {{'last_quarter': s.n, 'mean': s.mean, 'sigma': s.sd, 'threshold': s.mean + $sigmas * s.sd}} AS computed
FROM stats s CROSS JOIN b LEFT JOIN units u ON u.unit_code = s.unit LEFT JOIN prior_ev pe ON pe.unit = s.unit
WHERE s.n >= $min_count AND s.n > s.mean + $sigmas * s.sd""",
)

PET_03 = Rule(
    code="PET-03",
    title="实名举报超期未办结",
    severity="黄",
    params=(Param("days", 90, "办结期限（天）"),),
    method=(
        "Named (实名) petitions whose status is not 已办结 and that were received more than `days` days "
        "before the scan date."
    ),
    why="实名举报应优先办理并按期反馈，超期未办结影响群众信任，也可能是压案不查。",
    exclusions=("Anonymous petitions and petitions without the named flag are not checked.",),
    decisions=(
        "The subject is the reported official when known (own or linked id), else the unit whose name equals "
        "subject_unit, else the petition itself (subject type 'petition', key petition_no).",
        "Exactly `days` days old is still within the deadline.",
    ),
    sql=f"""WITH pt AS ({PETITION_PERSON}),
by_name AS (SELECT pt._rid, min(u.unit_code) AS unit FROM pt JOIN units u ON u.name = pt.subject_unit
            GROUP BY pt._rid HAVING count(*) = 1)
SELECT CASE WHEN pt.pid IS NOT NULL THEN 'official' WHEN bn.unit IS NOT NULL THEN 'unit' ELSE 'petition' END
         AS subject_type, coalesce(pt.pid, bn.unit, pt.petition_no) AS subject_key,
       pt.received AS period_start, $as_of AS period_end, '黄' AS severity,
       {ev(("officials", "o._rid"), ("petitions", "pt._rid"))} AS evidence,
       {{'days_open': date_diff('day', pt.received, $as_of), 'status': pt.status}} AS computed
FROM pt LEFT JOIN by_name bn ON bn._rid = pt._rid LEFT JOIN officials o ON o.id_number = pt.pid
WHERE pt.named AND coalesce(pt.status, '') <> '已办结' AND date_diff('day', pt.received, $as_of) > $days""",
)

RULES = [PET_01, PET_02, PET_03]
