"""F. 财产 — assets."""

from __future__ import annotations

from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.sqlparts import agg, ev, yuan_by_contract

AST_01 = Rule(
    code="AST-01",
    title="购房支出与收入明显不符",
    severity="红",
    params=(Param("years", 5, "统计年数"), Param("ratio", 3, "购房支出与收入之比上限", float)),
    method=(
        "The household is the official plus declared spouse and children. Over the `years` calendar years "
        "ending with the scan date's year, purchase prices of real estate registered to the household "
        "(acquired_by 购买, one price per unit_no even when co-owned) are summed and compared with the "
        "household's taxed income (tax_income.income) of the same years; purchases > `ratio` × income is a hit."
    ),
    why="家庭购房支出远超其合法收入，可能存在来源不明的财产，是受贿或利益输送的重要线索。",
    exclusions=(
        "Inherited, gifted and self-built property (acquired_by other than 购买) and rows without price.",
        "Registrations after the scan date.",
    ),
    decisions=(
        "Window = the `years` complete calendar years up to the scan date (scan date 2026-06-30 → 2021–2025; "
        "2025-12-31 → 2021–2025): taxed income of the running year is not known yet. Same years for purchases.",
        "No taxed income at all counts as 0: any purchase is then a hit.",
        yuan_by_contract("real_estate", "tax_income"),
    ),
    sql=f"""WITH hh AS (
    SELECT official_id, person_id, fm_first, fm_ev FROM r_circle
    WHERE relation IN ('本人', '配偶', '子女') AND grade_drop = 0
),
yrs AS (SELECT year($as_of + INTERVAL 1 DAY) - 1 AS y1),
buys AS (
    SELECT h.official_id, r._rid, r.unit_no, r.price, r.registered
    FROM hh h JOIN real_estate r ON r.owner_id = h.person_id CROSS JOIN yrs
    WHERE r.acquired_by = '购买' AND r.price IS NOT NULL AND r.registered <= $as_of
      AND year(r.registered) BETWEEN yrs.y1 - $years + 1 AND yrs.y1
),
spend AS (
    SELECT official_id, sum(p) AS total FROM (SELECT official_id, unit_no, max(price) AS p FROM buys
                                              GROUP BY official_id, unit_no) x GROUP BY official_id
),
buy_ev AS (SELECT official_id, {agg("real_estate", "_rid", "registered, _rid")} AS ev FROM buys GROUP BY official_id),
inc AS (
    SELECT h.official_id, sum(t.income) AS income, {agg("tax_income", "t._rid", "t._rid")} AS ev
    FROM hh h JOIN tax_income t ON t.id_number = h.person_id CROSS JOIN yrs
    WHERE t."year" BETWEEN yrs.y1 - $years + 1 AND yrs.y1 GROUP BY h.official_id
),
fam AS (SELECT official_id, flatten(list(fm_ev ORDER BY fm_first)) AS ev FROM hh
        WHERE fm_first IS NOT NULL GROUP BY official_id)
SELECT 'official' AS subject_type, s.official_id AS subject_key,
       make_date(CAST(yrs.y1 - $years + 1 AS INTEGER), 1, 1) AS period_start,
       make_date(CAST(yrs.y1 AS INTEGER), 12, 31) AS period_end,
       '红' AS severity,
       {ev(("officials", "o._rid"), "coalesce(f.ev, [])", "b.ev", "coalesce(i.ev, [])")} AS evidence,
       {{'purchases': s.total, 'income': coalesce(i.income, 0), 'ratio': $ratio}} AS computed
FROM spend s CROSS JOIN yrs JOIN buy_ev b ON b.official_id = s.official_id
LEFT JOIN inc i ON i.official_id = s.official_id LEFT JOIN fam f ON f.official_id = s.official_id
LEFT JOIN officials o ON o.id_number = s.official_id
WHERE s.total > $ratio * coalesce(i.income, 0)""",
)

AST_02 = Rule(
    code="AST-02",
    title="房产未如实报告",
    severity="橙",
    params=(Param("similarity", 0.8, "坐落文字相似度下限（0–1）", float),),
    method=(
        "For every declaration year of an official (any family_members or declared_assets row of that year), "
        "each property registered to the official or the declared spouse on or before 12-31 of that year must "
        "match a 房产 row of that year's declared_assets: area within 1 m², or location text similar (one "
        "contains the other, or 1 − Levenshtein distance / longer length ≥ `similarity`, spaces ignored). One "
        "alert per official and property, listing the years it was missing."
    ),
    why="领导干部应如实报告本人及配偶名下房产，隐瞒不报可能掩盖来源不明的财产。",
    exclusions=("Properties of children are not in the official's or spouse's name and are not checked.",),
    decisions=("Any 房产 row of the year can match, whatever its holder_relation.",),
    sql=f"""WITH decl AS (
    SELECT declarant_id, "year" FROM family_members UNION SELECT declarant_id, "year" FROM declared_assets
),
own AS (SELECT official_id, person_id FROM r_circle WHERE relation IN ('本人', '配偶') AND grade_drop = 0),
props AS (
    SELECT w.official_id, w.person_id, r._rid, r.registered, r.area_m2, replace(r.location, ' ', '') AS loc
    FROM own w JOIN real_estate r ON r.owner_id = w.person_id WHERE r.registered <= $as_of
),
decl_house AS (
    SELECT declarant_id, "year", area_m2, replace(description, ' ', '') AS d FROM declared_assets
    WHERE category = '房产'
),
checks AS (
    SELECT p.official_id, p.person_id, p._rid, y."year",
           max(CASE WHEN a.declarant_id IS NULL THEN 0
                    WHEN abs(a.area_m2 - p.area_m2) <= 1 THEN 1
                    WHEN strpos(a.d, p.loc) > 0 OR strpos(p.loc, a.d) > 0 THEN 1
                    WHEN 1.0 - levenshtein(a.d, p.loc) / greatest(length(a.d), length(p.loc)) >= $similarity
                    THEN 1 ELSE 0 END) AS listed
    FROM props p
    JOIN decl y ON y.declarant_id = p.official_id AND p.registered <= make_date(CAST(y."year" AS INTEGER), 12, 31)
    LEFT JOIN decl_house a ON a.declarant_id = p.official_id AND a."year" = y."year"
    GROUP BY p.official_id, p.person_id, p._rid, y."year"
),
missing AS (
    SELECT official_id, person_id, _rid, min("year") AS y0, max("year") AS y1,
           list("year" ORDER BY "year") AS years
    FROM checks WHERE listed = 0 GROUP BY official_id, person_id, _rid
),
post AS (  -- the official's position at the first missing year-end (latest started), to show who declared
    SELECT m._rid, m.official_id, max_by(p._rid, p.start_date) AS pos_rid
    FROM missing m JOIN positions p ON p.id_number = m.official_id
         AND p.start_date <= make_date(CAST(m.y0 AS INTEGER), 12, 31)
    GROUP BY m._rid, m.official_id
)
SELECT 'official' AS subject_type, m.official_id AS subject_key,
       make_date(CAST(m.y0 AS INTEGER), 12, 31) AS period_start,
       make_date(CAST(m.y1 AS INTEGER), 12, 31) AS period_end, '橙' AS severity,
       {ev(("officials", "o._rid"), ("positions", "ps.pos_rid"), "coalesce(r.fm_ev, [])", ("real_estate", "m._rid"))}
         AS evidence,
       {{'years': m.years}} AS computed
FROM missing m LEFT JOIN officials o ON o.id_number = m.official_id
LEFT JOIN post ps ON ps._rid = m._rid AND ps.official_id = m.official_id
LEFT JOIN r_rel r ON r.official_id = m.official_id AND r.person_id = m.person_id""",
)

AST_03 = Rule(
    code="AST-03",
    title="大额现金往来",
    severity="橙",
    params=(Param("amount", 200_000, "现金合计金额（元）"), Param("window_days", 30, "统计天数")),
    method=(
        "Cash (现金) bank transactions of an official and close relatives (both directions). For each "
        "transaction as the start of a window of `window_days` calendar days, the total is summed; ≥ `amount` "
        "is a hit. Windows contained in the previous window of the same official are not reported again."
    ),
    why="领导干部或其亲属短期内大额现金收付，常用于规避转账留痕，是受贿、洗钱的常见迹象。",
    exclusions=("配偶父母 and in-laws are not close relatives outside the COI rules.",),
    decisions=(
        "30 days = the first day plus 29 (d ≤ last < d + window_days).",
        yuan_by_contract("bank_transactions"),
    ),
    sql=f"""WITH x AS (
    SELECT c.official_id, c.fm_ev, t._rid, t.tx_date, t.amount
    FROM bank_transactions t JOIN r_circle c ON c.person_id = t.holder_id AND c.grade_drop = 0
    WHERE t.mode = '现金' AND t.tx_date <= $as_of
),
g AS (
    SELECT a.official_id, a._rid AS anchor, a.tx_date AS a_d, sum(b.amount) AS total, count(*) AS n,
           max(b.tx_date) AS last_d,
           flatten(list(list_concat(b.fm_ev, [{{'t': 'bank_transactions', 'r': b._rid}}])
                        ORDER BY b.tx_date, b._rid)) AS ev
    FROM x a JOIN x b ON b.official_id = a.official_id AND b.tx_date >= a.tx_date
         AND b.tx_date < a.tx_date + INTERVAL $window_days DAY
    GROUP BY a.official_id, a._rid, a.tx_date
),
w AS (SELECT g.*, lag(a_d) OVER (PARTITION BY official_id ORDER BY a_d, anchor) AS prev_d FROM g)
SELECT 'official' AS subject_type, w.official_id AS subject_key, w.a_d AS period_start, w.last_d AS period_end,
       '橙' AS severity, list_concat({ev(("officials", "o._rid"))}, w.ev) AS evidence,
       {{'total': w.total, 'transactions': w.n}} AS computed
FROM w LEFT JOIN officials o ON o.id_number = w.official_id
WHERE w.total >= $amount AND NOT (w.prev_d IS NOT NULL AND w.last_d < w.prev_d + INTERVAL $window_days DAY)""",
)

RULES = [AST_01, AST_02, AST_03]
