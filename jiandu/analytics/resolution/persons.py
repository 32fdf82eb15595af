"""Person records for probabilistic matching, and set-based blocking of candidate pairs.

Two kinds of record meet here:
- one record per known resident ID ("P:<id_number>"), gathering what every table says about that person:
  names, the units and titles of positions, the declarations naming them as a relative (context
  "fam:<declarant>:<relation>"), the companies they hold roles in ("co:<uscc>"); birth date, gender and
  region come from the ID itself — or, when the registry hands over keyed hashes instead of IDs, gender and
  region from the `id_facts` table (read from the masked form) and no birth date;
- one record per mention without an ID ("<table>:<_rid>:<field>"), e.g. a spouse declared without an ID.
Two ID records are never compared: ID numbers decide when both sides have one.

A declared relative also carries "co:<uscc>" for every company the same declaration (declarant and year)
lists in its business section (declared_assets 经商办企业/投资 with a uscc) for that kind of relative: the
declarant has stated that such a relative holds the company, so a role holder of that company with the same
name is the strongest candidate there is — and the shared context is the evidence the link records.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import duckdb
import pyarrow as pa

from jiandu.analytics.identifiers import id_birth_date
from jiandu.analytics.resolution.mentions import existing_tables
from jiandu.analytics.resolution.normalise import (
    fold_name,
    fold_text,
    id_gender,
    name_pinyin,
    normalise_id_number,
)
from jiandu.analytics.resolution.person_model import RECORD_SCHEMA
from jiandu.analytics.resolution.units import UnitIndex
from jiandu.analytics.resolution.vocabulary import Vocabulary

RELATION_GENDER = {"父亲": "男", "母亲": "女"}
# declared_assets.holder_relation of a declared business → the family_members relations it can stand for.
# The declaration's business section covers the spouse, children and children's spouses (子女 covers both).
DECLARED_HOLDERS: dict[str, tuple[str, ...]] = {
    "配偶": ("配偶",),
    "子女": ("子女", "子女配偶"),
    "共同": ("配偶", "子女", "子女配偶"),
}
DECLARED_BUSINESS = ("经商办企业", "投资")


def mention_key(table: str, rid: int, field: str) -> str:
    return f"{table}:{rid}:{field}"


class UnitResolver:
    """Free-text employer names → unit_code when the register gives exactly one best unit (cached)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, vocabulary: Vocabulary | None = None) -> None:
        register: list[tuple[str, str, str, str]] = []
        if "units" in existing_tables(con):
            register = con.execute('SELECT unit_code, name, "level", region_code FROM units').fetchall()
        self.index = UnitIndex(register, vocabulary)
        self._cache: dict[str, str | None] = {}

    def code(self, text: str | None) -> str | None:
        folded = fold_text(text)
        if folded is None:
            return None
        if folded not in self._cache:
            matches = self.index.match(folded)
            best = [m for m in matches if matches and m.quality == matches[0].quality]
            self._cache[folded] = best[0].unit_code if len(best) == 1 else None
        return self._cache[folded]

    def token(self, text: str | None) -> str | None:
        """A comparable unit token: "u:<unit_code>" when resolved, else the folded text."""
        code = self.code(text)
        if code is not None:
            return f"u:{code}"
        return fold_text(text)


Traits = tuple[object, str | None, str | None]  # birth date, gender, region


class IdTraits:
    """Birth date, gender and region of a person known by ID: read from the ID when it is one, else (a hash
    from the registry) from `id_facts`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
        self.facts: dict[str, Traits] = {}
        if "id_facts" in tables:
            for ident, gender, region in con.execute(
                "SELECT id_number, gender, region FROM id_facts"
            ).fetchall():
                self.facts[ident] = (None, gender, region)

    def of(self, ident: str) -> Traits:
        if normalise_id_number(ident) == ident:
            return id_birth_date(ident), id_gender(ident), ident[:6]
        return self.facts.get(ident, (None, None, None))

    def gender(self, ident: str) -> str | None:
        return self.of(ident)[1]


def build_person_records(con: duckdb.DuckDBPyConnection, mentions: str, units: UnitResolver) -> pa.Table:
    """All person records: one per known ID (with a name somewhere) and one per ID-less person mention."""
    tables = existing_tables(con)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    # The organisation department's register spells an official's name authoritatively (weight 100).
    for ident, raw_name, weight in con.execute(
        f"""SELECT ident, raw_name, sum(CASE WHEN source_table = 'officials' THEN 100 ELSE 1 END)
        FROM {mentions} WHERE kind = 'person' AND ident IS NOT NULL AND raw_name IS NOT NULL
        GROUP BY ident, raw_name"""
    ).fetchall():
        folded = fold_name(raw_name)
        if folded:
            names[ident][folded] += int(weight)
    unit_sets: dict[str, set[str]] = defaultdict(set)
    title_sets: dict[str, set[str]] = defaultdict(set)
    context_sets: dict[str, set[str]] = defaultdict(set)
    if "positions" in tables:
        for ident, code, title in con.execute("SELECT id_number, unit_code, title FROM positions").fetchall():
            unit_sets[ident].add(f"u:{code}")
            if title:
                title_sets[ident].add(fold_text(title) or title)
    declared = declared_companies(con, tables)
    if "family_members" in tables:
        for ident, declarant, year, relation, employer, job in con.execute(
            """SELECT id_number, declarant_id, "year", relation, employer, job FROM family_members
            WHERE id_number IS NOT NULL"""
        ).fetchall():
            context_sets[ident].add(f"fam:{declarant}:{relation}")
            context_sets[ident].update(declared.get((declarant, year, relation), ()))
            _add(unit_sets[ident], units.token(employer))
            _add(title_sets[ident], fold_text(job))
    company_of = _company_of_rows(con, tables)
    for table, rid, ident in con.execute(
        f"""SELECT source_table, _rid, ident FROM {mentions} WHERE kind = 'person' AND ident IS NOT NULL
        AND source_table IN ('company_roles', 'companies')"""
    ).fetchall():
        if (table, rid) in company_of:
            context_sets[ident].add(f"co:{company_of[(table, rid)]}")
    traits = IdTraits(con, tables)
    rows: list[dict] = []
    for ident, counter in names.items():
        birth, gender, region = traits.of(ident)
        rows.append(
            {
                "unique_id": f"P:{ident}",
                "id_number": ident,
                "name": counter.most_common(1)[0][0],
                "name_py": name_pinyin(counter.most_common(1)[0][0]),
                "birth_date": birth,
                "gender": gender,
                "region": region,
                "units": sorted(unit_sets[ident]) or None,
                "titles": sorted(title_sets[ident]) or None,
                "contexts": sorted(context_sets[ident]) or None,
            }
        )
    rows.extend(_idless_records(con, mentions, units, tables, declared, traits))
    _drop_uninformative(rows)
    return pa.Table.from_pylist(rows, schema=RECORD_SCHEMA)


# Values that say "no employer / no post": sharing them says nothing about identity.
PLACEHOLDERS = frozenset(
    "无 暂无 没有 不详 - / 退休 离休 在读 学生 无业 待业 务农 农民 个体 个体经营 个体工商户 自由职业 家务 家庭主妇".split()
)


def _drop_uninformative(rows: list[dict]) -> None:
    """Remove placeholder units/titles, and tokens so common (> 1 % of records, at least 50) that sharing
    them is no evidence (e.g. 科员, 教师): Splink's u for "shared" is an average over all tokens, so a
    frequent token would otherwise count as much as a rare one."""
    counts: Counter[str] = Counter()
    for row in rows:
        for col in ("units", "titles"):
            counts.update(set(row[col] or ()))
    cap = max(50, len(rows) // 100)
    for row in rows:
        for col in ("units", "titles"):
            if row[col]:
                kept = [t for t in row[col] if t not in PLACEHOLDERS and counts[t] <= cap]
                row[col] = kept or None


def declared_companies(
    con: duckdb.DuckDBPyConnection, tables: set[str]
) -> dict[tuple[str, int, str], set[str]]:
    """(declarant, year, relation) → {"co:<uscc>"}: the companies one declaration lists in its business
    section for that kind of relative (holder_relation mapped by DECLARED_HOLDERS; 本人 names no relative)."""
    if "declared_assets" not in tables:
        return {}
    rows = con.execute(
        """SELECT DISTINCT declarant_id, "year", holder_relation, counterpart_code FROM declared_assets
        WHERE list_contains(?, category) AND counterpart_code IS NOT NULL AND declarant_id IS NOT NULL""",
        [list(DECLARED_BUSINESS)],
    ).fetchall()
    out: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    for declarant, year, holder, uscc in rows:
        for relation in DECLARED_HOLDERS.get(holder, ()):
            out[(declarant, year, relation)].add(f"co:{uscc}")
    return dict(out)


def _company_of_rows(con: duckdb.DuckDBPyConnection, tables: set[str]) -> dict[tuple[str, int], str]:
    """(table, _rid) → uscc of the company a company_roles / companies row is about."""
    company_of: dict[tuple[str, int], str] = {}
    for table in ("company_roles", "companies"):
        if table in tables:
            for rid, uscc in con.execute(f'SELECT _rid, uscc FROM "{table}"').fetchall():
                company_of[(table, rid)] = uscc
    return company_of


def _add(target: set[str], value: str | None) -> None:
    if value:
        target.add(value)


def _idless_records(
    con: duckdb.DuckDBPyConnection,
    mentions: str,
    units: UnitResolver,
    tables: set[str],
    declared: dict[tuple[str, int, str], set[str]],
    traits: IdTraits,
) -> list[dict]:
    """Records for person mentions without an ID (petitions are linked by their own procedure)."""
    rows: list[dict] = []
    family = {}
    if "family_members" in tables:
        family = {
            rid: (declarant, year, relation, employer, job)
            for rid, declarant, year, relation, employer, job in con.execute(
                """SELECT _rid, declarant_id, "year", relation, employer, job FROM family_members
                WHERE id_number IS NULL"""
            ).fetchall()
        }
    company_of = _company_of_rows(con, tables)
    for table, rid, field, raw_name in con.execute(
        f"""SELECT source_table, _rid, field, raw_name FROM {mentions}
        WHERE kind = 'person' AND ident IS NULL AND raw_name IS NOT NULL AND source_table <> 'petitions'"""
    ).fetchall():
        name = fold_name(raw_name)
        if not name:
            continue
        record: dict = {
            "unique_id": mention_key(table, rid, field),
            "id_number": None,
            "name": name,
            "name_py": name_pinyin(name),
            "birth_date": None,
            "gender": None,
            "region": None,
            "units": None,
            "titles": None,
            "contexts": None,
        }
        if table == "family_members" and rid in family:
            declarant, year, relation, employer, job = family[rid]
            record["contexts"] = [
                f"fam:{declarant}:{relation}",
                *sorted(declared.get((declarant, year, relation), ())),
            ]
            record["units"] = [t for t in [units.token(employer)] if t] or None
            record["titles"] = [t for t in [fold_text(job)] if t] or None
            gender = RELATION_GENDER.get(relation)
            declarant_gender = traits.gender(declarant) if declarant else None
            if relation == "配偶" and declarant_gender:
                gender = "女" if declarant_gender == "男" else "男"
            record["gender"] = gender
        elif (table, rid) in company_of:
            record["contexts"] = [f"co:{company_of[(table, rid)]}"]
        rows.append(record)
    return rows


def block_pairs(con: duckdb.DuckDBPyConnection, records: pa.Table, changed_keys: set[str] | None) -> pa.Table:
    """Candidate pairs (left_key, right_key), at least one side without an ID, set-based in DuckDB.

    Blocking keys: folded name, pinyin (homophones), a shared declaration/company context (catches typos
    of relatives' names), the birth date, and for names of three characters or more the name with one character masked.
    With `changed_keys`, only pairs touching a changed record are produced (incremental runs).
    """
    con.register("_er_records", records)
    try:
        changed_filter = ""
        if changed_keys is not None:
            con.register("_er_changed_keys", pa.table({"k": pa.array(sorted(changed_keys), pa.string())}))
            changed_filter = (
                "AND (a.uid IN (SELECT k FROM _er_changed_keys) OR b.uid IN (SELECT k FROM _er_changed_keys))"
            )
        return con.sql(
            f"""
            WITH keys AS (
                SELECT unique_id AS uid, id_number IS NOT NULL AS has_id, 'n:' || name AS k FROM _er_records
                UNION ALL SELECT unique_id, id_number IS NOT NULL, 'p:' || name_py FROM _er_records
                UNION ALL SELECT unique_id, id_number IS NOT NULL, 'c:' || unnest(contexts) FROM _er_records
                UNION ALL SELECT unique_id, id_number IS NOT NULL, 'b:' || birth_date::VARCHAR
                    FROM _er_records WHERE birth_date IS NOT NULL
                UNION ALL SELECT unique_id, id_number IS NOT NULL, 'x:' || left(name, 1) || '*' || right(name, 1)
                    FROM _er_records WHERE length(name) = 3
                UNION ALL SELECT unique_id, id_number IS NOT NULL, 'y:' || left(name, 2) || '*'
                    FROM _er_records WHERE length(name) = 3
                UNION ALL SELECT unique_id, id_number IS NOT NULL, 'z:*' || right(name, 2)
                    FROM _er_records WHERE length(name) = 3
            )
            SELECT DISTINCT least(a.uid, b.uid) AS left_key, greatest(a.uid, b.uid) AS right_key
            FROM keys a JOIN keys b ON a.k = b.k AND a.uid <> b.uid
            WHERE NOT a.has_id AND (b.has_id OR a.uid < b.uid) {changed_filter}
            ORDER BY 1, 2
            """
        ).to_arrow_table()
    finally:
        con.unregister("_er_records")
        if changed_keys is not None:
            con.unregister("_er_changed_keys")
