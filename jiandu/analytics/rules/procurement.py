"""B. 招投标 — procurement, part 1 (competition and splitting). Part 2 is in procurement_prices.py."""

from __future__ import annotations

from jiandu.analytics.fences import r8_quartiles_sql
from jiandu.analytics.rules.base import Param, Rule
from jiandu.analytics.rules.sqlparts import NOT_YUAN, agg, ev, in_yuan

# "A contract's category is its tender's; a contract without a tender uses the 货物/服务 threshold."
THRESHOLD_PARAMS = (
    Param("threshold_works", 4_000_000, "工程类应招标金额（元）"),
    Param("threshold_goods", 1_000_000, "货物、服务类应招标金额（元）"),
)
# Contracts in yuan with their threshold; contracts of processes in another currency are left out.
CONTRACT_THRESHOLD = f"""SELECT c.*, t.method, t._rid AS t_rid,
        CASE WHEN t.category = '工程' THEN $threshold_works ELSE $threshold_goods END AS thr,
        CASE WHEN t.category = '工程' THEN '工程' ELSE '货物/服务' END AS cls
    FROM contracts c LEFT JOIN tenders t ON t.tender_no = c.tender_no
    WHERE {in_yuan("c.tender_no")}"""

# A tender is judged once its bids are in: deadline passed, or no deadline known.
TENDER_CLOSED = "coalesce(t.deadline, $as_of) <= $as_of"

PRC_01 = Rule(
    code="PRC-01",
    ocp="R018",
    title="单一投标",
    severity="黄",
    method="Counts the bids rows of every 公开招标 or 邀请招标 tender; exactly one submitted bid is a hit.",
    why="公开或邀请招标只有一家投标，竞争缺失，可能存在量身定制招标条件或劝退其他投标人。",
    exclusions=(
        "Other methods (谈判, 磋商, 询价, 单一来源, 直接采购) are not competitive by design here.",
        "Tenders whose deadline is after the scan date are still open and not judged.",
        "Tenders with no bid at all are failed tenders, not single-bid ones.",
    ),
    decisions=("A rejected bid is still a submitted bid (OCP R018 counts submitted bids).",),
    sql=f"""SELECT 'tender' AS subject_type, t.tender_no AS subject_key, t.notice_date AS period_start,
       coalesce(t.award_date, t.deadline) AS period_end, '黄' AS severity,
       {ev(("tenders", "t._rid"), "b.ev")} AS evidence, {{'bids': b.n}} AS computed
FROM tenders t
JOIN (SELECT tender_no, count(*) AS n, {agg("bids", "_rid", "_rid")} AS ev FROM bids GROUP BY tender_no) b
  ON b.tender_no = t.tender_no
WHERE t.method IN ('公开招标', '邀请招标') AND b.n = 1 AND {TENDER_CLOSED}""",
)

PRC_02 = Rule(
    code="PRC-02",
    ocp="R011",
    title="拆分采购规避招标",
    severity="橙",
    version=2,
    params=(*THRESHOLD_PARAMS, Param("window_days", 90, "合并计算的时间窗口（天）")),
    method=(
        "Takes contracts below their category's threshold; for each contract as the start of a window of "
        "`window_days` days it sums the contracts of the same buyer, supplier and threshold class signed in "
        "the window. A window with ≥ 2 contracts whose sum reaches the threshold is a hit; windows contained "
        "in the previous window of the same pair are not reported again."
    ),
    why="同一采购人向同一供应商在短期内签订多份低于招标限额的合同、合计超过限额，疑似拆分采购规避招标。",
    exclusions=("Contracts at or above the threshold are PRC-12's matter, not splitting.", NOT_YUAN),
    decisions=(
        "Window: last signed − first signed ≤ window_days (both days count).",
        "Contracts of different threshold classes (工程 vs 货物/服务) are not added together.",
        "The subject is the buyer unit; the supplier is in the computed values.",
    ),
    sql=f"""WITH k AS ({CONTRACT_THRESHOLD}),
small AS (SELECT * FROM k WHERE amount < thr AND signed <= $as_of),
g AS (
    SELECT a.buyer_code, a.supplier_code, a.cls, a.thr, a.contract_no AS anchor, a.signed AS anchor_signed,
           count(*) AS n, sum(b.amount) AS total, max(b.signed) AS last_signed,
           {agg("contracts", "b._rid", "b.signed, b.contract_no")} AS ev
    FROM small a JOIN small b ON b.buyer_code = a.buyer_code AND b.supplier_code = a.supplier_code
         AND b.cls = a.cls AND b.signed BETWEEN a.signed AND a.signed + INTERVAL $window_days DAY
    GROUP BY a.buyer_code, a.supplier_code, a.cls, a.thr, a.contract_no, a.signed
),
w AS (SELECT g.*, lag(anchor_signed) OVER (PARTITION BY buyer_code, supplier_code, cls
                                           ORDER BY anchor_signed, anchor) AS prev_signed FROM g)
SELECT 'unit' AS subject_type, buyer_code AS subject_key, anchor_signed AS period_start,
       last_signed AS period_end, '橙' AS severity, ev AS evidence,
       {{'threshold': thr, 'total': total, 'contracts': n, 'supplier': supplier_code}} AS computed
FROM w
WHERE n >= 2 AND total >= thr
  AND NOT (prev_signed IS NOT NULL AND last_signed <= prev_signed + INTERVAL $window_days DAY)""",
)

PRC_03 = Rule(
    code="PRC-03",
    ocp="R003",
    title="投标期过短",
    severity="黄",
    params=(
        Param("days_open", 20, "公开招标最短投标期（天）"),
        Param("days_invited", 20, "邀请招标最短投标期（天）"),
        Param("days_consultation", 10, "竞争性磋商最短期限（天）"),
        Param("days_negotiation", 3, "竞争性谈判最短期限（天）"),
        Param("days_inquiry", 3, "询价最短期限（天）"),
    ),
    method="Days from notice_date to deadline (deadline − notice_date) below the method's legal minimum.",
    why="投标期短于法定最短期限，潜在投标人来不及准备，常见于为内定供应商排除竞争。",
    exclusions=(
        "单一来源 and 直接采购 have no minimum period.",
        "Tenders without notice_date or deadline cannot be measured.",
    ),
    decisions=("Exactly the minimum (e.g. 20 days) is compliant.",),
    sql=f"""SELECT 'tender' AS subject_type, tender_no AS subject_key, notice_date AS period_start,
       deadline AS period_end, '黄' AS severity, {ev(("tenders", "_rid"))} AS evidence,
       {{'days': date_diff('day', notice_date, deadline), 'minimum': m}} AS computed
FROM (SELECT t.*, CASE t.method WHEN '公开招标' THEN $days_open WHEN '邀请招标' THEN $days_invited
             WHEN '竞争性磋商' THEN $days_consultation WHEN '竞争性谈判' THEN $days_negotiation
             WHEN '询价' THEN $days_inquiry END AS m FROM tenders t) x
WHERE m IS NOT NULL AND notice_date IS NOT NULL AND deadline IS NOT NULL
  AND date_diff('day', notice_date, deadline) < m AND notice_date <= $as_of""",
)

PRC_04 = Rule(
    code="PRC-04",
    title="串通投标迹象",
    severity="红",
    method=(
        "Lists, per tender and bidder, the bid's device_id and ip, the company's phone, its legal "
        "representatives (registered or 法定代表人 role held at the tender date) and its shareholders (股东 "
        "held at that date, persons or companies); a value shared by two or more different bidders of one "
        "tender is a hit. One alert per tender with every shared kind."
    ),
    why="不同投标人使用同一台电脑制作标书、同一IP投标、法定代表人或股东相同、联系电话相同，是串通投标的典型迹象。",
    exclusions=("Empty values never match. Shareholders are matched by identifier only, never by name.",),
    decisions=(
        "The tender date is deadline, else notice_date, else award_date; without any, roles count always.",
    ),
    sql=f"""WITH x AS (
    SELECT b.tender_no, b.bidder_code, b._rid AS bid_rid, b.device_id, b.ip,
           coalesce(t.deadline, t.notice_date, t.award_date) AS d
    FROM bids b JOIN tenders t ON t.tender_no = b.tender_no
),
attr AS (
    SELECT tender_no, bidder_code, 'device_id' AS kind, device_id AS val, 'bids' AS et, bid_rid AS er
    FROM x WHERE device_id IS NOT NULL
    UNION ALL
    SELECT tender_no, bidder_code, 'ip', ip, 'bids', bid_rid FROM x WHERE ip IS NOT NULL
    UNION ALL
    SELECT x.tender_no, x.bidder_code, 'phone', c.phone, 'companies', c._rid
    FROM x JOIN companies c ON c.uscc = x.bidder_code WHERE c.phone IS NOT NULL
    UNION ALL
    SELECT x.tender_no, x.bidder_code, CASE WHEN k.role = '股东' THEN 'shareholder' ELSE 'legal_rep' END,
           k.person_id, k.ev_table, k.ev_rid
    FROM x JOIN r_link k ON k.uscc = x.bidder_code AND k.role IN ('股东', '法定代表人')
         AND (x.d IS NULL OR x.d BETWEEN k.start_date AND k.end_eff)
    WHERE k.person_id IS NOT NULL
),
shared AS (SELECT tender_no, kind, val FROM attr GROUP BY tender_no, kind, val
           HAVING count(DISTINCT bidder_code) >= 2),
hits AS (SELECT a.* FROM attr a JOIN shared s ON s.tender_no = a.tender_no AND s.kind = a.kind AND s.val = a.val),
bid_ev AS (
    SELECT h.tender_no, {agg("bids", "b._rid", "b._rid")} AS ev
    FROM (SELECT DISTINCT tender_no, bidder_code FROM hits) h
    JOIN bids b ON b.tender_no = h.tender_no AND b.bidder_code = h.bidder_code GROUP BY h.tender_no
),
attr_ev AS (
    SELECT tender_no, list({{'t': et, 'r': er}} ORDER BY et, er) AS ev,
           list_sort(list_distinct(list(kind))) AS kinds
    FROM (SELECT DISTINCT tender_no, kind, et, er FROM hits) d GROUP BY tender_no
)
SELECT 'tender' AS subject_type, t.tender_no AS subject_key, t.notice_date AS period_start,
       coalesce(t.award_date, t.deadline) AS period_end, '红' AS severity,
       {ev(("tenders", "t._rid"), "b.ev", "a.ev")} AS evidence, {{'shared': a.kinds}} AS computed
FROM tenders t JOIN bid_ev b ON b.tender_no = t.tender_no JOIN attr_ev a ON a.tender_no = t.tender_no""",
)

PRC_05 = Rule(
    code="PRC-05",
    ocp="R025",
    title="陪标专业户",
    severity="黄",
    version=2,  # 2: Cardinal's guard (no alert when Q1 ≤ 0 or the fence ≤ 0)
    params=(
        Param("min_bids", 5, "参与统计的最少投标次数"),
        Param("min_shared", 3, "与同一中标人共同投标的最少项目数"),
    ),
    method=(
        "Win ratio (wins / bids) of every bidder with ≥ `min_bids` bids; the lower fence is Q1 − 1.5·IQR "
        "of those ratios with R-8 quartiles. A bidder at or below the fence that lost to the same winner in ≥ "
        "`min_shared` tenders is a hit (the winner it lost to most often is cited). Nothing is flagged when "
        "Q1 ≤ 0 or the fence ≤ 0 (OCP Cardinal's guard for R025)."
    ),
    why="屡投不中却总与同一中标人一起投标的企业，可能是为中标人凑数的陪标人。",
    exclusions=(
        "Tenders whose deadline is after the scan date are not counted.",
        "No alert at all when Q1 ≤ 0 or the fence ≤ 0: win ratios are never negative, so the fence can only "
        "be reached there by a ratio of 0 with Q1 = Q3 = 0, i.e. when at least three quarters of the bidders "
        "never win, and every one of them that lost `min_shared` times to one winner would be flagged "
        "(Cardinal skips R025 in that case too).",
    ),
    decisions=("The fence is computed over all bidders with ≥ min_bids bids at the scan date.",),
    sql=f"""WITH b AS (
    SELECT b.* FROM bids b JOIN tenders t ON t.tender_no = b.tender_no WHERE {TENDER_CLOSED}
),
el AS (
    SELECT bidder_code, count(*) AS n, sum(CASE WHEN won THEN 1 ELSE 0 END) AS wins,
           CAST(sum(CASE WHEN won THEN 1 ELSE 0 END) AS DOUBLE) / count(*) AS ratio
    FROM b GROUP BY bidder_code HAVING count(*) >= $min_bids
),
f AS ({r8_quartiles_sql("el", "ratio")}),
low AS (SELECT e.*, f.q1, f.q3, f.fence FROM el e CROSS JOIN f
        WHERE e.ratio <= f.fence AND f.q1 > 0 AND f.fence > 0),  -- Cardinal's guard (exclusions)
pairs AS (
    -- counted for low-ratio bidders only; evidence is built for the chosen pair alone
    SELECT l.bidder_code AS loser, w.bidder_code AS winner, count(DISTINCT l.tender_no) AS shared
    FROM b l JOIN low ON low.bidder_code = l.bidder_code
    JOIN b w ON w.tender_no = l.tender_no AND w.won AND NOT l.won AND w.bidder_code <> l.bidder_code
    GROUP BY l.bidder_code, w.bidder_code
    HAVING count(DISTINCT l.tender_no) >= $min_shared
    QUALIFY row_number() OVER (PARTITION BY l.bidder_code ORDER BY count(DISTINCT l.tender_no) DESC,
                                                                    w.bidder_code) = 1
),
loser_ev AS (  -- every bid of the candidate: the whole record behind its win ratio
    SELECT l.bidder_code, {agg("bids", "l._rid", "l.tender_no, l._rid")} AS ev, min(t.notice_date) AS first_d,
           max(coalesce(t.award_date, t.deadline)) AS last_d
    FROM b l JOIN pairs p ON p.loser = l.bidder_code JOIN tenders t ON t.tender_no = l.tender_no
    GROUP BY l.bidder_code
),
winner_ev AS (  -- the winning bids of the winner it lost to, in the shared tenders
    SELECT p.loser, {agg("bids", "w._rid", "w.tender_no, w._rid")} AS ev
    FROM pairs p JOIN b l ON l.bidder_code = p.loser AND NOT l.won
    JOIN b w ON w.tender_no = l.tender_no AND w.bidder_code = p.winner AND w.won
    GROUP BY p.loser
)
SELECT 'company' AS subject_type, e.bidder_code AS subject_key, le.first_d AS period_start,
       le.last_d AS period_end, '黄' AS severity, {ev(("companies", "co._rid"), "le.ev", "we.ev")} AS evidence,
       {{'bids': e.n, 'wins': e.wins, 'win_ratio': e.ratio, 'q1': e.q1, 'q3': e.q3, 'fence': e.fence,
        'winner': s.winner, 'shared': s.shared}} AS computed
FROM low e JOIN pairs s ON s.loser = e.bidder_code JOIN loser_ev le ON le.bidder_code = e.bidder_code
JOIN winner_ev we ON we.loser = e.bidder_code
LEFT JOIN companies co ON co.uscc = e.bidder_code""",
)

PRC_06 = Rule(
    code="PRC-06",
    title="中标集中（标王）",
    severity="黄",
    params=(
        Param("share", 0.5, "占采购人授予总额的比例下限", float),
        Param("window_days", 365, "统计窗口（天，截至扫描日）"),
        Param("min_awards", 3, "最少授予次数"),
    ),
    method=(
        "Awards are contracts (amount, signed) plus won bids (price, award_date) of tenders without a contract "
        "for the winner, up to the scan date. For each award of a supplier at a buyer as the start of a window "
        "of `window_days` days, the supplier's awards and the buyer's total in the window are summed; ≥ "
        "`min_awards` awards and ≥ `share` of the total is a hit. A window whose supplier awards all lie in the "
        "previous reported window of the same pair is not reported again."
    ),
    why="同一供应商长期包揽某单位大部分项目，可能存在利益输送或排斥竞争。",
    exclusions=(
        "Buyers whose awarded total in the window is zero are skipped.",
        "Amounts in different currencies are never added up: shares are computed per currency (CNY for "
        "departmental rows, the stated currency of an imported OCDS process); awards of a process stating "
        "several currencies or none are left out. Nothing is converted.",
    ),
    decisions=(
        "Rolling windows: d ≤ award < d + window_days, starting at each of the supplier's awards.",
        "The subject is the supplier; the buyer is in the computed values and its unit row heads the evidence.",
    ),
    version=2,
    sql=f"""WITH aw AS (
    SELECT c.buyer_code AS buyer, c.supplier_code AS sup, c.amount AS val, c.signed AS d,
           'contracts' AS t, c._rid AS rid, c.tender_no AS tno FROM contracts c
    UNION ALL
    SELECT t.buyer_code, b.bidder_code, b.price, t.award_date, 'bids', b._rid, b.tender_no
    FROM bids b JOIN tenders t ON t.tender_no = b.tender_no
    WHERE b.won AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.tender_no = b.tender_no
                                AND c.supplier_code = b.bidder_code)
),
aw2 AS (
    SELECT * FROM (SELECT aw.*, CASE WHEN x.tender_no IS NULL THEN 'CNY' ELSE x.currency END AS cur
                   FROM aw LEFT JOIN r_cur x ON x.tender_no = aw.tno) c
    WHERE d <= $as_of AND cur IS NOT NULL
),
anchors AS (SELECT DISTINCT buyer, cur, sup, d AS a_d FROM aw2),
sup_w AS (
    SELECT a.buyer, a.cur, a.sup, a.a_d, sum(x.val) AS s, count(*) AS n, max(x.d) AS last_d,
           list({{'t': x.t, 'r': x.rid}} ORDER BY x.d, x.t, x.rid) AS ev
    FROM anchors a JOIN aw2 x ON x.buyer = a.buyer AND x.cur = a.cur AND x.sup = a.sup AND x.d >= a.a_d
         AND x.d < a.a_d + INTERVAL $window_days DAY
    GROUP BY a.buyer, a.cur, a.sup, a.a_d
),
tot_w AS (
    SELECT a.buyer, a.cur, a.a_d, sum(y.val) AS total
    FROM (SELECT DISTINCT buyer, cur, a_d FROM anchors) a
    JOIN aw2 y ON y.buyer = a.buyer AND y.cur = a.cur AND y.d >= a.a_d
         AND y.d < a.a_d + INTERVAL $window_days DAY
    GROUP BY a.buyer, a.cur, a.a_d
),
q AS (
    SELECT s.*, t.total, CAST(s.s AS DOUBLE) / CAST(t.total AS DOUBLE) AS share
    FROM sup_w s JOIN tot_w t ON t.buyer = s.buyer AND t.cur = s.cur AND t.a_d = s.a_d
    WHERE s.n >= $min_awards AND t.total > 0 AND CAST(s.s AS DOUBLE) / CAST(t.total AS DOUBLE) >= $share
),
w AS (SELECT q.*, lag(a_d) OVER (PARTITION BY buyer, cur, sup ORDER BY a_d) AS prev_a FROM q)
SELECT 'company' AS subject_type, w.sup AS subject_key, w.a_d AS period_start, w.last_d AS period_end,
       '黄' AS severity, {ev(("units", "u._rid"), "w.ev")} AS evidence,
       {{'buyer': w.buyer, 'awards': w.n, 'value': w.s, 'buyer_total': w.total, 'share': w.share,
        'currency': w.cur}} AS computed
FROM w LEFT JOIN units u ON u.unit_code = w.buyer
WHERE NOT (w.prev_a IS NOT NULL AND w.last_d < w.prev_a + INTERVAL $window_days DAY)""",
)

RULES = [PRC_01, PRC_02, PRC_03, PRC_04, PRC_05, PRC_06]
