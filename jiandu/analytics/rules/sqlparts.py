"""Shared SQL building blocks: evidence lists, severity grades and the common views every group joins.

The common views encode the conventions of rules.md once ("held at D", "a unit under an official", "close
relative", "linked to a company", identifiers filled from entity resolution) so that each rule's query stays
short and every rule reads the same convention the same way. They are plain SELECTs (no recursion, no
macros) so they transpile to Spark SQL like the rules themselves.
"""

from __future__ import annotations

FAR_FUTURE = "DATE '9999-12-31'"
FAR_PAST = "DATE '0001-01-01'"
CLOSE_RELATIONS = ("配偶", "子女", "子女配偶", "父亲", "母亲", "兄弟姐妹")


def E(table: str, rid: str) -> str:
    """One evidence item: the struct {t: table, r: rid-expression}; a table containing "." is an expression."""
    t = table if "." in table else f"'{table}'"
    return f"{{'t': {t}, 'r': {rid}}}"


def agg(table: str, rid: str, order: str) -> str:
    """An aggregated evidence list (one item per grouped row) in reading order."""
    return f"list({E(table, rid)} ORDER BY {order})"


RANK_LEVELS: tuple[tuple[str, int], ...] = (
    # Specific 职级 titles first: '主任科员' contains '科员'. Higher number = higher rank.
    ("一级巡视员", 70),
    ("二级巡视员", 60),
    ("一级调研员", 50),
    ("二级调研员", 50),
    ("三级调研员", 40),
    ("四级调研员", 40),
    ("一级主任科员", 30),
    ("二级主任科员", 30),
    ("三级主任科员", 20),
    ("四级主任科员", 20),
    ("正部", 90),
    ("副部", 80),
    ("正厅", 70),
    ("正局", 70),
    ("副厅", 60),
    ("副局", 60),
    ("正处", 50),
    ("正县", 50),
    ("副处", 40),
    ("副县", 40),
    ("正科", 30),
    ("正乡", 30),
    ("副科", 20),
    ("副乡", 20),
    ("科员", 10),
    ("办事员", 5),
)


def rank_level(expr: str) -> str:
    """Numeric level of a rank text (NULL when unknown), so ranks can be compared in SQL."""
    whens = " ".join(f"WHEN {expr} LIKE '%{pat}%' THEN {lvl}" for pat, lvl in RANK_LEVELS)
    return f"(CASE {whens} ELSE NULL END)"


def ev(*items: tuple[str, str] | str) -> str:
    """An evidence list literal; items are (table, rid-expression) pairs or ready SQL list expressions."""
    singles: list[str] = []
    parts: list[str] = []
    for item in items:
        if isinstance(item, tuple):
            singles.append(E(*item))
        else:
            if singles:
                parts.append("[" + ", ".join(singles) + "]")
                singles = []
            parts.append(item)
    if singles:
        parts.append("[" + ", ".join(singles) + "]")
    out = parts[0]
    for p in parts[1:]:
        out = f"list_concat({out}, {p})"
    return out


def sev(level: str) -> str:
    """Severity from a numeric grade expression (3 = 红, 2 = 橙, ≤ 1 = 黄)."""
    return f"CASE WHEN ({level}) >= 3 THEN '红' WHEN ({level}) = 2 THEN '橙' ELSE '黄' END"


def in_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# Exclusion shared by every rule with a money threshold over procurement amounts (its doc page says so).
NOT_YUAN = (
    "Amounts not known to be in yuan are left out: rows of an imported (OCDS) procurement process whose "
    "process_currencies state a currency other than CNY, several currencies, or none. Nothing is converted "
    "(the platform keeps no exchange-rate table)."
)


def yuan_by_contract(*tables: str) -> str:
    """The decision recorded by money rules over departmental tables only: nothing there can be foreign."""
    return (
        f"Amounts of {', '.join(tables)} are compared in yuan without a currency check: only departmental "
        "deliveries fill these tables (the contract's money type is yuan); OCDS imports never write them."
    )


def in_yuan(tender_no: str) -> str:
    """True when the amounts of a row of procurement process `tender_no` are in yuan: the process is not an
    OCDS import stating another currency, several currencies or none (r_cur). Money thresholds are in yuan
    and nothing is converted (no rate table), so other amounts are left out rather than misread."""
    return (
        f"NOT EXISTS (SELECT 1 FROM r_cur fx_ WHERE fx_.tender_no = {tender_no} "
        "AND fx_.currency IS DISTINCT FROM 'CNY')"
    )


# Natural-name fields map onto the identifier column they stand for, so a rule asks for "the id of
# company_roles.holder_id" whether the resolver linked the row by holder_id or by holder_name.
_FIELD = """CASE field WHEN 'holder_name' THEN 'holder_id' WHEN 'subject_name' THEN 'subject_id'
    WHEN 'name' THEN 'id_number' WHEN 'legal_rep_name' THEN 'legal_rep_id' WHEN 'payee_name' THEN 'payee_code'
    WHEN 'counterpart_name' THEN 'counterpart_id' WHEN 'owner_name' THEN 'owner_id'
    WHEN 'bidder_name' THEN 'bidder_code' ELSE field END"""

_ANCESTRY_DEPTH = 6  # 市 → 县 → 乡 → 村 needs 3; 6 leaves room for departments and sub-units

_anc_parts = ["SELECT u0.unit_code, u0.unit_code AS ancestor_code, 0 AS depth FROM units u0"]
for _d in range(1, _ANCESTRY_DEPTH + 1):
    _joins = " ".join(f"JOIN units u{i} ON u{i}.unit_code = u{i - 1}.parent_code" for i in range(1, _d))
    _anc_parts.append(
        f"SELECT u0.unit_code, u{_d - 1}.parent_code AS ancestor_code, {_d} AS depth FROM units u0 {_joins} "
        f"WHERE u{_d - 1}.parent_code IS NOT NULL"
    )
_ANCESTRY = "\nUNION ALL\n".join(_anc_parts)

COMMON_VIEWS: dict[str, str] = {
    # Person identifiers filled by entity resolution ('linked' only; 'proposed' links await review).
    # `method` says how the row was tied to the person (id_number, splink, judgement …): the match basis.
    "r_pid": f"""SELECT source_table, _rid, {_FIELD} AS field, min(id_number) AS id_number, min(method) AS method
        FROM entity_links WHERE status = 'linked' AND id_number IS NOT NULL GROUP BY 1, 2, 3""",
    "r_cid": f"""SELECT source_table, _rid, {_FIELD} AS field, min(uscc) AS uscc
        FROM entity_links WHERE status = 'linked' AND uscc IS NOT NULL GROUP BY 1, 2, 3""",
    # The one currency an imported procurement process states for its amounts (NULL when it states several
    # or none); processes not listed (departmental deliveries) are in yuan by contract.
    "r_cur": """SELECT tender_no, CASE WHEN count(DISTINCT currency) = 1 THEN min(currency) END AS currency
        FROM process_currencies GROUP BY tender_no""",
    # Positions with an effective end: an open position is held until further notice.
    "r_pos": f"""SELECT _rid, id_number, unit_code, title, "rank", is_principal, is_team_member, oversees,
        start_date, end_date, coalesce(end_date, {FAR_FUTURE}) AS end_eff FROM positions""",
    # unit → every ancestor through parent_code (depth 0 = the unit itself).
    "r_anc": _ANCESTRY,
    # Units under an official through one position: its own unit; descendants when principal; units and
    # sectors listed in `oversees` when team member (sector matches stay inside the position's own subtree).
    "r_under": """SELECT p._rid AS pos_rid, p.id_number AS official_id, p.unit_code, p.is_principal,
            p.start_date, p.end_eff, 'own' AS via
        FROM r_pos p
        UNION ALL
        SELECT p._rid, p.id_number, a.unit_code, p.is_principal, p.start_date, p.end_eff, 'parent_chain'
        FROM r_pos p JOIN r_anc a ON a.ancestor_code = p.unit_code AND a.depth >= 1
        WHERE p.is_principal
        UNION ALL
        SELECT p._rid, p.id_number, o.item, p.is_principal, p.start_date, p.end_eff, 'oversees_unit'
        FROM r_pos p CROSS JOIN unnest(p.oversees) AS o(item)
        WHERE p.is_team_member AND o.item <> p.unit_code
        UNION ALL
        SELECT p._rid, p.id_number, a.unit_code, p.is_principal, p.start_date, p.end_eff, 'oversees_sector'
        FROM r_pos p CROSS JOIN unnest(p.oversees) AS o(item)
        JOIN r_anc a ON a.ancestor_code = p.unit_code AND a.depth >= 1
        JOIN units u ON u.unit_code = a.unit_code
        WHERE p.is_team_member AND u.sector = o.item""",  # not in ON: Spark puts LATERAL VIEW after the joins
    # Declared family members with their effective id_number (own or linked) and how it was known.
    "r_fm": """SELECT f._rid, f.declarant_id, f."year", f.relation, coalesce(f.id_number, l.id_number) AS person_id,
            CASE WHEN f.id_number IS NOT NULL THEN 'id_number' ELSE l.method END AS fm_match
        FROM family_members f
        LEFT JOIN r_pid l ON l.source_table = 'family_members' AND l._rid = f._rid AND l.field = 'id_number'""",
    # Relatives of an official. grade_drop 1 = 配偶父母 and in-laws through the spouse (COI rules only);
    # fm_ev = every family_members row that proves the relation (all declaration years, the official's own
    # rows first, then the spouse's rows naming the in-law), so a reader sees each declaration that lists it.
    # fm_match = how the relative was identified: 'id_number' when any proving row carries the ID, else the
    # resolution method of the link (for an in-law, the first link of the chain not made by ID number).
    "r_rel": f"""WITH x AS (
            SELECT d.declarant_id AS official_id, d.person_id, d.relation,
                   CASE WHEN d.relation = '配偶父母' THEN 1 ELSE 0 END AS grade_drop,
                   d._rid AS fm_rid, CAST(NULL AS BIGINT) AS fm2_rid, d."year" AS yr, d.fm_match
            FROM r_fm d
            WHERE d.person_id IS NOT NULL AND d.relation IN {in_list((*CLOSE_RELATIONS, "配偶父母"))}
            UNION ALL
            SELECT s.declarant_id, i.person_id, '配偶的' || i.relation, 1, s._rid, i._rid, i."year",
                   CASE WHEN s.fm_match = 'id_number' THEN i.fm_match ELSE s.fm_match END
            FROM r_fm s JOIN r_fm i ON i.declarant_id = s.person_id
            WHERE s.relation = '配偶' AND i.relation IN ('父亲', '母亲', '兄弟姐妹') AND i.person_id IS NOT NULL
        ),
        y AS (SELECT * FROM x WHERE person_id <> official_id),
        best AS (SELECT official_id, person_id, min(grade_drop) AS g FROM y GROUP BY official_id, person_id)
        SELECT y.official_id, y.person_id, arg_max(y.relation, y.yr) AS relation, b.g AS grade_drop,
               CASE WHEN bool_or(y.fm_match = 'id_number') THEN 'id_number' ELSE min(y.fm_match) END AS fm_match,
               min(y.fm_rid) AS fm_first,
               list_concat({agg("family_members", "y.fm_rid", "y.yr, y.fm_rid")},
                           {agg("family_members", "y.fm2_rid", "y.yr, y.fm2_rid")}) AS fm_ev
        FROM y JOIN best b ON b.official_id = y.official_id AND b.person_id = y.person_id AND b.g = y.grade_drop
        GROUP BY y.official_id, y.person_id, b.g""",
    # Officials (anyone with a position) with themselves and their relatives: the circle COI rules search.
    "r_circle": """SELECT official_id, official_id AS person_id, '本人' AS relation, 0 AS grade_drop,
            CAST(NULL AS VARCHAR) AS fm_match, CAST(NULL AS BIGINT) AS fm_first,
            CAST([] AS STRUCT(t VARCHAR, r BIGINT)[]) AS fm_ev
        FROM (SELECT DISTINCT id_number AS official_id FROM positions) o
        UNION ALL
        SELECT r.official_id, r.person_id, r.relation, r.grade_drop, r.fm_match, r.fm_first, r.fm_ev
        FROM r_rel r JOIN (SELECT DISTINCT id_number FROM positions) o ON o.id_number = r.official_id""",
    # A person linked to a company: a company_roles row (time-bounded) or the registered legal_rep_id
    # (bounded by founding and closing dates).
    # holder_match = how the holder was identified (id_number on the row, else the resolution method).
    "r_link0": f"""SELECT coalesce(cr.holder_id, l.id_number) AS person_id, cr.uscc, cr.role, cr.start_date,
            coalesce(cr.end_date, {FAR_FUTURE}) AS end_eff, 'company_roles' AS ev_table, cr._rid AS ev_rid,
            CASE WHEN cr.holder_id IS NOT NULL THEN 'id_number' ELSE l.method END AS holder_match
        FROM company_roles cr
        LEFT JOIN r_pid l ON l.source_table = 'company_roles' AND l._rid = cr._rid AND l.field = 'holder_id'
        UNION ALL
        SELECT coalesce(c.legal_rep_id, l.id_number), c.uscc, '法定代表人', coalesce(c.founded, {FAR_PAST}),
            coalesce(c.closed, {FAR_FUTURE}), 'companies', c._rid,
            CASE WHEN c.legal_rep_id IS NOT NULL THEN 'id_number' ELSE l.method END
        FROM companies c
        LEFT JOIN r_pid l ON l.source_table = 'companies' AND l._rid = c._rid AND l.field = 'legal_rep_id'""",
    # Every link row of the same person and company whose period overlaps this one (link_ev): a company whose
    # registered legal representative also appears in company_roles shows both records.
    "r_link": f"""SELECT k.person_id, k.uscc, k.role, k.start_date, k.end_eff, k.ev_table, k.ev_rid, k.holder_match,
            list({E("k2.ev_table", "k2.ev_rid")} ORDER BY CASE WHEN k2.ev_table = 'company_roles' THEN 0 ELSE 1 END,
                 k2.ev_rid) AS link_ev
        FROM r_link0 k JOIN r_link0 k2 ON k2.person_id = k.person_id AND k2.uscc = k.uscc
             AND k2.start_date <= k.end_eff AND k.start_date <= k2.end_eff
        GROUP BY k.person_id, k.uscc, k.role, k.start_date, k.end_eff, k.ev_table, k.ev_rid, k.holder_match""",
}
