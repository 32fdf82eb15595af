"""G. 履职行为 — conduct and personnel."""

from __future__ import annotations

from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.sqlparts import RANK_LEVELS, agg, ev, rank_level

CND_01 = Rule(
    code="CND-01",
    title="未经批准出境",
    severity="红",
    method=(
        "Every 出境 crossing of a person holding a position on that date is matched with travel approvals "
        "of the same person whose leave … back covers the crossing date. Without one it is a hit (未经审批). "
        "With one (the latest back date wins), the first 入境 on or after the exit must be no later than back "
        "+ 1 day; a later return, or no return while the scan date is past back + 1, is a hit (逾期返回)."
    ),
    why="领导干部因私出国（境）须经审批并按期返回，未经批准出境或逾期不归是严重违纪，也是外逃风险信号。",
    exclusions=("Crossings of persons without a position held on the crossing date.",),
    decisions=(
        "Returning on back + 1 day is on time (the catalogue allows one day).",
        "For an exit without covering approval, the person's approval whose leave date is closest (within 30 "
        "days) is cited, e.g. a trip started one day before the approved departure.",
    ),
    sql=f"""WITH ex AS (
    SELECT x._rid, x.id_number, x.crossed, p._rid AS pos_rid FROM border_crossings x
    JOIN r_pos p ON p.id_number = x.id_number AND x.crossed BETWEEN p.start_date AND p.end_eff
    WHERE x.direction = '出境' AND x.crossed <= $as_of
    QUALIFY row_number() OVER (PARTITION BY x._rid ORDER BY p.is_principal DESC, p._rid) = 1
),
cov AS (
    SELECT e._rid AS ex_rid, a._rid AS ap_rid, a.back FROM ex e
    JOIN travel_approvals a ON a.id_number = e.id_number AND e.crossed BETWEEN a."leave" AND a.back
    QUALIFY row_number() OVER (PARTITION BY e._rid ORDER BY a.back DESC, a._rid) = 1
),
near AS (  -- for an exit no approval covers: the person's approval closest in time (within 30 days), if any
    SELECT e._rid AS ex_rid, a._rid AS ap_rid FROM ex e
    JOIN travel_approvals a ON a.id_number = e.id_number
         AND a."leave" BETWEEN e.crossed - INTERVAL 30 DAY AND e.crossed + INTERVAL 30 DAY
    QUALIFY row_number() OVER (PARTITION BY e._rid ORDER BY abs(date_diff('day', e.crossed, a."leave")), a._rid) = 1
),
ret AS (
    SELECT e._rid AS ex_rid, min(i.crossed) AS back_d, arg_min(i._rid, i.crossed) AS in_rid FROM ex e
    JOIN border_crossings i ON i.id_number = e.id_number AND i.direction = '入境' AND i.crossed >= e.crossed
         AND i.crossed <= $as_of
    GROUP BY e._rid
)
SELECT 'official' AS subject_type, e.id_number AS subject_key, e.crossed AS period_start,
       coalesce(r.back_d, $as_of) AS period_end, '红' AS severity,
       {
        ev(
            ("officials", "o._rid"),
            ("positions", "e.pos_rid"),
            ("travel_approvals", "coalesce(c.ap_rid, na.ap_rid)"),
            ("border_crossings", "e._rid"),
            ("border_crossings", "r.in_rid"),
        )
    } AS evidence,
       {{'reason': CASE WHEN c.ex_rid IS NULL THEN '未经审批' ELSE '逾期返回' END, 'approved_back': c.back}}
         AS computed
FROM ex e LEFT JOIN cov c ON c.ex_rid = e._rid LEFT JOIN ret r ON r.ex_rid = e._rid
LEFT JOIN near na ON na.ex_rid = e._rid
LEFT JOIN officials o ON o.id_number = e.id_number
WHERE c.ex_rid IS NULL OR coalesce(r.back_d, $as_of) > c.back + INTERVAL 1 DAY""",
)

CND_02 = Rule(
    code="CND-02",
    title="同一岗位任职过长",
    severity="黄",
    params=(Param("years", 10, "任职年限"),),
    method=(
        "Principal positions of the same person in the same unit are merged when they overlap or follow "
        "each other without a gap (a retitled post is the same tenure). A tenure held at the scan date that "
        "started more than `years` years before it is a hit."
    ),
    why="主要负责人在同一单位任职时间过长，容易形成“一言堂”和利益固化，应按规定交流轮岗。",
    exclusions=("Tenures that ended before the scan date.",),
    decisions=(
        "More than 10 years: start + 10 years < scan date (the tenth anniversary itself is not a hit).",
    ),
    sql=f"""WITH p AS (SELECT * FROM r_pos WHERE is_principal AND start_date <= $as_of),
m AS (SELECT p.*, max(end_eff) OVER (PARTITION BY id_number, unit_code ORDER BY start_date, _rid
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end FROM p),
s AS (SELECT m.*, sum(CASE WHEN prev_end IS NULL OR start_date > prev_end + INTERVAL 1 DAY THEN 1 ELSE 0 END)
                  OVER (PARTITION BY id_number, unit_code ORDER BY start_date, _rid
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island FROM m),
i AS (SELECT id_number, unit_code, island, min(start_date) AS s0, max(end_eff) AS e0,
             {agg("positions", "_rid", "start_date, _rid")} AS ev FROM s GROUP BY id_number, unit_code, island)
SELECT 'official' AS subject_type, i.id_number AS subject_key, i.s0 AS period_start, $as_of AS period_end,
       '黄' AS severity, list_concat({ev(("officials", "o._rid"))}, i.ev) AS evidence,
       {{'unit_code': i.unit_code, 'days_in_post': date_diff('day', i.s0, $as_of)}} AS computed
FROM i LEFT JOIN officials o ON o.id_number = i.id_number
WHERE i.e0 >= $as_of AND i.s0 + INTERVAL $years YEAR < $as_of""",
)

_RANK_DOC = "、".join(f"{name}={level}" for name, level in RANK_LEVELS)

CND_03 = Rule(
    code="CND-03",
    title="处分影响期内提拔",
    severity="红",
    method=(
        "For each discipline record with effect_until, the highest rank held on the decided date is "
        "compared with every position starting after decided and before effect_until: a higher rank, or "
        "any team-member position, is a hit. Ranks are compared by level: " + _RANK_DOC + "."
    ),
    why="受处分干部在影响期内不得提拔或进入领导班子，违规提拔损害选人用人公信力。",
    exclusions=(
        "Ranks that cannot be recognised are not compared (only the team-member test applies).",
        "Records without effect_until have no influence period.",
    ),
    decisions=(
        "A position starting on the decided date is the one held when disciplined, not a new one.",
        'A position starting on effect_until itself is not "before effect_until" and is not a hit.',
    ),
    sql=f"""WITH d AS (SELECT * FROM discipline_records WHERE effect_until IS NOT NULL AND decided <= $as_of),
before AS (
    SELECT d._rid AS d_rid, max({rank_level("p.rank")}) AS lvl, arg_max(p._rid, {
        rank_level("p.rank")
    }) AS p_rid
    FROM d JOIN r_pos p ON p.id_number = d.id_number AND d.decided BETWEEN p.start_date AND p.end_eff
    GROUP BY d._rid
)
SELECT 'official' AS subject_type, d.id_number AS subject_key, d.decided AS period_start,
       n.start_date AS period_end, '红' AS severity,
       {
        ev(
            ("officials", "o._rid"),
            ("discipline_records", "d._rid"),
            ("positions", "b.p_rid"),
            ("positions", "n._rid"),
        )
    } AS evidence,
       {{'rank_before': b.lvl, 'rank_after': {
        rank_level("n.rank")
    }, 'team_member': n.is_team_member}} AS computed
FROM d JOIN r_pos n ON n.id_number = d.id_number AND n.start_date > d.decided AND n.start_date < d.effect_until
LEFT JOIN before b ON b.d_rid = d._rid LEFT JOIN officials o ON o.id_number = d.id_number
WHERE n.start_date <= $as_of AND (n.is_team_member OR {rank_level("n.rank")} > b.lvl)""",
)

CND_04 = Rule(
    code="CND-04",
    title="带病提拔风险",
    severity="橙",
    method=(
        "Every team-member position starting on or before the scan date is matched with leads about the "
        "official (leads.subject_id) opened on or before start_date and not closed before it, and with 廉洁纪律 "
        "petitions about the official (own or linked subject id) received on or before start_date whose "
        "status is not 已办结. One alert per position, citing every such lead and petition."
    ),
    why="存在未了结问题线索或廉洁方面信访举报的干部进入领导班子，有“带病提拔”风险。",
    exclusions=("Leads closed before the start date; petitions already 已办结.",),
    decisions=(
        "Lead openness uses the opened/closed dates (closed on start_date still counts as open that day).",
        "A petition's status is known only as delivered (at the scan date); its history is not recorded.",
    ),
    sql=f"""WITH np AS (SELECT * FROM r_pos WHERE is_team_member AND start_date <= $as_of),
pt AS (SELECT p._rid, p.received, p.category, p.status, coalesce(p.subject_id, l.id_number) AS pid
       FROM petitions p
       LEFT JOIN r_pid l ON l.source_table = 'petitions' AND l._rid = p._rid AND l.field = 'subject_id'),
hits AS (
    SELECT np._rid AS pos_rid, 'leads' AS t, l._rid AS rid, l.opened AS d FROM np
    JOIN leads l ON l.subject_id = np.id_number AND l.opened <= np.start_date
         AND (l.closed IS NULL OR l.closed >= np.start_date)
    UNION ALL
    SELECT np._rid, 'petitions', pt._rid, pt.received FROM np
    JOIN pt ON pt.pid = np.id_number AND pt.category = '廉洁纪律' AND coalesce(pt.status, '') <> '已办结'
         AND pt.received <= np.start_date
)
SELECT 'official' AS subject_type, np.id_number AS subject_key, min(h.d) AS period_start,
       np.start_date AS period_end, '橙' AS severity,
       list_concat({ev(("officials", "o._rid"), ("positions", "np._rid"))},
                   list({{'t': h.t, 'r': h.rid}} ORDER BY h.d, h.t, h.rid)) AS evidence,
       {{'title': np.title, 'items': count(*)}} AS computed
FROM np JOIN hits h ON h.pos_rid = np._rid LEFT JOIN officials o ON o.id_number = np.id_number
GROUP BY np._rid, np.id_number, np.start_date, np.title, o._rid""",
)

CND_05 = Rule(
    code="CND-05",
    title="多方评价偏低或分歧大",
    severity="黄",
    params=(Param("low", 70, "廉洁自律分数下限"), Param("spread", 25, "各评价方分差上限")),
    method=(
        "Per official and year: any rater's integrity score below `low`, or the highest minus the lowest "
        "integrity score of the raters exceeding `spread`."
    ),
    why="廉洁自律评价偏低或各方评价分歧明显，提示可能存在群众反映强烈但组织掌握不足的问题。",
    exclusions=("Years after the scan date's year.",),
    decisions=("Exactly `low` is not below; exactly `spread` is not above.",),
    sql=f"""SELECT 'official' AS subject_type, e.id_number AS subject_key,
       make_date(CAST(e."year" AS INTEGER), 1, 1) AS period_start,
       make_date(CAST(e."year" AS INTEGER), 12, 31) AS period_end, '黄' AS severity,
       list_concat({ev(("officials", "o._rid"))}, {agg("evaluations", "e._rid", "e._rid")}) AS evidence,
       {{'min': min(e.integrity), 'max': max(e.integrity), 'spread': max(e.integrity) - min(e.integrity)}}
         AS computed
FROM evaluations e LEFT JOIN officials o ON o.id_number = e.id_number
WHERE e."year" <= year($as_of)
GROUP BY e.id_number, e."year", o._rid
HAVING min(e.integrity) < $low OR max(e.integrity) - min(e.integrity) > $spread""",
)

RULES = [CND_01, CND_02, CND_03, CND_04, CND_05]
