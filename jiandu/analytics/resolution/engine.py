"""`resolve()`: entity resolution over the analytics DuckDB, writing `entity_links` (analytics-interface.md).

Order of work, each step set-based where the volume is:
1. every person/company mention is collected (mentions.py);
2. mentions with an identifier link deterministically ("P:<id_number>", "C:<uscc>"), written for the changed
   rows only;
3. person mentions without an ID are compared with Splink, only in pairs touching a changed record; scored
   pairs are kept in `entity_candidates` so later runs reuse them instead of comparing again;
4. petition subjects and name-only companies get their candidates;
5. decisions for all ID-less mentions are recomputed from the stored candidates and the judgements (cheap,
   and it is what makes a judgement take effect everywhere at once).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from jiandu.analytics.resolution.companies import company_candidates, name_index
from jiandu.analytics.resolution.decisions import (
    UNSURE,
    Judgements,
    Pair,
    decide_persons,
)
from jiandu.analytics.resolution.mentions import collect_mentions, existing_tables
from jiandu.analytics.resolution.person_model import COMPARISONS, PersonModel, score_pairs, train
from jiandu.analytics.resolution.persons import UnitResolver, block_pairs, build_person_records, mention_key
from jiandu.analytics.resolution.petitions import petition_candidates, petition_rows
from jiandu.analytics.resolution.review import (
    ReviewPair,
    decide_companies,
    decide_petitions,
    stored_candidates,
)
from jiandu.analytics.resolution.vocabulary import load_vocabulary

Progress = Callable[[str, int, int], None]

ENTITY_LINKS_DDL = """CREATE TABLE IF NOT EXISTS entity_links (source_table VARCHAR, _rid BIGINT, field VARCHAR,
    entity_id VARCHAR, id_number VARCHAR, uscc VARCHAR, method VARCHAR, score DOUBLE, status VARCHAR)"""
CANDIDATES_DDL = """CREATE TABLE IF NOT EXISTS entity_candidates (kind VARCHAR, left_key VARCHAR,
    right_key VARCHAR, score DOUBLE, match_weight DOUBLE, method VARCHAR, contributions VARCHAR)"""
MODEL_DDL = "CREATE TABLE IF NOT EXISTS entity_model (kind VARCHAR, model_json VARCHAR)"
LINK_COLUMNS = pa.schema(
    [
        ("source_table", pa.string()),
        ("_rid", pa.int64()),
        ("field", pa.string()),
        ("entity_id", pa.string()),
        ("id_number", pa.string()),
        ("uscc", pa.string()),
        ("method", pa.string()),
        ("score", pa.float64()),
        ("status", pa.string()),
    ]
)
CANDIDATE_COLUMNS = pa.schema(
    [
        ("kind", pa.string()),
        ("left_key", pa.string()),
        ("right_key", pa.string()),
        ("score", pa.float64()),
        ("match_weight", pa.float64()),
        ("method", pa.string()),
        ("contributions", pa.string()),
    ]
)
# Tables whose change alters what a petition subject can mean.
PETITION_CONTEXT = ("units", "positions", "officials")


@dataclass(frozen=True)
class ResolveSettings:
    link_probability: float = 0.90
    review_probability: float = 0.30
    keep_probability: float = 0.01  # pairs below this are not worth storing
    seed: int = 42
    em_min_records: int = 2000
    # An administrator's petition vocabulary merged over the packaged one (vocabulary.py); None = packaged.
    vocabulary: str | None = None


@dataclass
class ResolveResult:
    review: list[ReviewPair] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def _split_key(key: str) -> tuple[str, int, str]:
    table, rid, fld = key.split(":", 2)
    return table, int(rid), fld


def _load_judgements(con: duckdb.DuckDBPyConnection, judgements: str | list | None) -> Judgements:
    if judgements is None:
        return Judgements()
    if isinstance(judgements, str):
        if judgements not in existing_tables(con):
            return Judgements()
        return Judgements(con.execute(f'SELECT left_key, right_key, verdict FROM "{judgements}"').fetchall())
    return Judgements(list(judgements))


def resolve(
    con: duckdb.DuckDBPyConnection,
    *,
    changed: dict[str, list[int]] | None = None,
    judgements: str | list[tuple[str, str, str]] | None = "judgements",
    progress: Progress | None = None,
    settings: ResolveSettings | None = None,
) -> ResolveResult:
    """Resolve persons and companies; `changed` = {table: [_rid, …]} of new/changed/deleted rows, None = all."""
    cfg = settings or ResolveSettings()
    report = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    stats: dict[str, Any] = {"incremental": changed is not None, "timings": timings}
    start = time.perf_counter()
    for ddl in (ENTITY_LINKS_DDL, CANDIDATES_DDL, MODEL_DDL):
        con.execute(ddl)
    verdicts = _load_judgements(con, judgements)
    vocabulary = load_vocabulary(cfg.vocabulary)
    steps = 6

    report("mentions", 0, steps)
    collect_mentions(con, "_er_mentions")
    if changed is None:
        con.execute("CREATE OR REPLACE TEMP TABLE _er_changed AS SELECT * FROM _er_mentions")
        con.execute("DELETE FROM entity_links")
    else:
        collect_mentions(con, "_er_changed", changed)
        _delete_links_of_rows(con, changed)
    timings["mentions"] = time.perf_counter() - start

    report("identifiers", 1, steps)
    con.execute(
        """INSERT INTO entity_links SELECT source_table, _rid, field,
            CASE kind WHEN 'person' THEN 'P:' ELSE 'C:' END || ident,
            CASE kind WHEN 'person' THEN ident END, CASE kind WHEN 'company' THEN ident END,
            CASE kind WHEN 'person' THEN 'id_number' ELSE 'uscc' END, 1.0, 'linked'
        FROM _er_changed WHERE ident IS NOT NULL"""
    )
    stats["identifier_links"] = con.execute(
        "SELECT count(*) FROM _er_changed WHERE ident IS NOT NULL"
    ).fetchall()[0][0]
    timings["identifiers"] = time.perf_counter() - start

    report("persons", 2, steps)
    units = UnitResolver(con, vocabulary)
    records = build_person_records(con, "_er_mentions", units)
    changed_keys = None if changed is None else _changed_person_keys(con)
    model = _model(con, records, cfg, retrain=changed is None)
    pairs = block_pairs(con, records, changed_keys)
    scored = score_pairs(model, records, pairs)
    stats["person_records"] = records.num_rows
    stats["person_pairs_compared"] = pairs.num_rows
    stats["person_pairs_touching_unchanged_only"] = (
        0
        if changed_keys is None
        else sum(
            1
            for left, right in zip(pairs["left_key"].to_pylist(), pairs["right_key"].to_pylist(), strict=True)
            if left not in changed_keys and right not in changed_keys
        )
    )
    _store_person_candidates(con, scored, records, changed_keys, cfg)
    timings["persons"] = time.perf_counter() - start

    report("petitions", 3, steps)
    # A changed vocabulary changes what every petition's words mean: all petitions are compared again.
    stored = con.execute("SELECT model_json FROM entity_model WHERE kind = 'petition_vocabulary'").fetchall()
    vocabulary_changed = not stored or stored[0][0] != vocabulary.fingerprint
    full_petitions = changed is None or vocabulary_changed or any(changed.get(t) for t in PETITION_CONTEXT)
    rows = petition_rows(con, None if full_petitions else (changed or {}).get("petitions", []))
    petition_cands = petition_candidates(con, rows, vocabulary)
    con.execute("DELETE FROM entity_model WHERE kind = 'petition_vocabulary'")
    con.execute("INSERT INTO entity_model VALUES ('petition_vocabulary', ?)", [vocabulary.fingerprint])
    _replace_candidates(
        con,
        "petition",
        list(petition_cands),
        [
            (k, f"P:{c.id_number}", c.score, c.points, "petition", c.contributions)
            for k, cs in petition_cands.items()
            for c in cs
        ],
        full=full_petitions,
    )
    stats["petitions_compared"] = len(rows)
    timings["petitions"] = time.perf_counter() - start

    report("companies", 4, steps)
    company_rows = con.execute(
        """SELECT source_table, _rid, field, raw_name FROM _er_mentions
        WHERE kind = 'company' AND ident IS NULL AND raw_name IS NOT NULL"""
    ).fetchall()
    company_cands = company_candidates(name_index(con, "_er_mentions"), company_rows)
    _replace_candidates(
        con,
        "company",
        list(company_cands),
        [
            (k, f"C:{c.uscc}", c.score, None, c.method, c.contributions)
            for k, cs in company_cands.items()
            for c in cs
        ],
        full=True,
    )
    timings["companies"] = time.perf_counter() - start

    report("decisions", 5, steps)
    review = _decide_all(con, records, company_rows, cfg, verdicts, stats)
    timings["decisions"] = time.perf_counter() - start
    report("done", steps, steps)
    return ResolveResult(review=review, stats=stats)


def _delete_links_of_rows(con: duckdb.DuckDBPyConnection, changed: dict[str, list[int]]) -> None:
    for table, rids in changed.items():
        if rids:
            con.execute(
                "DELETE FROM entity_links WHERE source_table = ? AND _rid IN (SELECT unnest(?::BIGINT[]))",
                [table, sorted(set(int(r) for r in rids))],
            )


def _insert(con: duckdb.DuckDBPyConnection, table: str, schema: pa.Schema, rows: list[tuple]) -> None:
    """Bulk insert through Arrow (executemany is row by row in DuckDB)."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    batch = pa.table(
        [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)], schema=schema
    )
    con.register("_er_insert", batch)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _er_insert")
    finally:
        con.unregister("_er_insert")


def _changed_person_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Records whose content may have changed: ID-less mentions, and ID holders whose record a changed row
    feeds (a name, a position, a relative's entry, a company role) — a declarant_id alone feeds nothing."""
    keys: set[str] = set()
    for table, rid, fld, ident in con.execute(
        """SELECT source_table, _rid, field, ident FROM _er_changed WHERE kind = 'person'
        AND (ident IS NULL OR raw_name IS NOT NULL OR source_table = 'positions')"""
    ).fetchall():
        keys.add(f"P:{ident}" if ident else mention_key(table, rid, fld))
    # A changed business section of a declaration changes the contexts of the relatives that declaration
    # names (persons.declared_companies): every family_members record of the same declarant and year.
    if "declared_assets" in existing_tables(con) and "family_members" in existing_tables(con):
        for rid, ident in con.execute(
            """SELECT DISTINCT f._rid, f.id_number FROM family_members f
            JOIN declared_assets a ON a.declarant_id = f.declarant_id AND a."year" = f."year"
            WHERE a._rid IN (SELECT _rid FROM _er_changed WHERE source_table = 'declared_assets')"""
        ).fetchall():
            keys.add(f"P:{ident}" if ident else mention_key("family_members", rid, "id_number"))
    return keys


def _model(
    con: duckdb.DuckDBPyConnection, records: pa.Table, cfg: ResolveSettings, *, retrain: bool
) -> PersonModel:
    row = con.execute("SELECT model_json FROM entity_model WHERE kind = 'person'").fetchall()
    if row and not retrain:
        return PersonModel.from_json(row[0][0])
    model = train(records, seed=cfg.seed, em_min_records=cfg.em_min_records)
    con.execute("DELETE FROM entity_model WHERE kind = 'person'")
    con.execute("INSERT INTO entity_model VALUES ('person', ?)", [model.to_json()])
    return model


def _store_person_candidates(
    con: duckdb.DuckDBPyConnection,
    scored,
    records: pa.Table,
    changed_keys: set[str] | None,
    cfg: ResolveSettings,
) -> None:
    if changed_keys is None:
        con.execute("DELETE FROM entity_candidates WHERE kind = 'person'")
    else:
        con.register("_er_keys", pa.table({"k": pa.array(sorted(changed_keys), pa.string())}))
        con.execute(
            """DELETE FROM entity_candidates WHERE kind = 'person'
            AND (left_key IN (SELECT k FROM _er_keys) OR right_key IN (SELECT k FROM _er_keys))"""
        )
        con.unregister("_er_keys")
    # Pairs whose records are gone (deleted rows) are dropped.
    con.register("_er_live", pa.table({"k": records["unique_id"]}))
    con.execute(
        """DELETE FROM entity_candidates WHERE kind = 'person'
        AND (left_key NOT IN (SELECT k FROM _er_live) OR right_key NOT IN (SELECT k FROM _er_live))"""
    )
    con.unregister("_er_live")
    kept = scored[scored["match_probability"] >= cfg.keep_probability]
    rows = [
        (
            "person",
            r.left_key,
            r.right_key,
            float(r.match_probability),
            float(r.match_weight),
            "splink",
            json.dumps({c: round(float(getattr(r, f"mw_{c}")), 4) for c in COMPARISONS}),
        )
        for r in kept.itertuples(index=False)
    ]
    _insert(con, "entity_candidates", CANDIDATE_COLUMNS, rows)


def _replace_candidates(
    con: duckdb.DuckDBPyConnection, kind: str, keys: list[str], rows: list[tuple], *, full: bool
) -> None:
    if full:
        con.execute("DELETE FROM entity_candidates WHERE kind = ?", [kind])
    elif keys:
        con.execute(
            "DELETE FROM entity_candidates WHERE kind = ? AND left_key IN (SELECT unnest(?::VARCHAR[]))",
            [kind, keys],
        )
    _insert(
        con,
        "entity_candidates",
        CANDIDATE_COLUMNS,
        [(kind, k, e, s, w, m, json.dumps(c, ensure_ascii=False)) for k, e, s, w, m, c in rows],
    )


def _decide_all(
    con: duckdb.DuckDBPyConnection,
    records: pa.Table,
    company_rows: list[tuple],
    cfg: ResolveSettings,
    verdicts: Judgements,
    stats: dict[str, Any],
) -> list[ReviewPair]:
    review: list[ReviewPair] = []
    idless = [
        k
        for k, i in zip(records["unique_id"].to_pylist(), records["id_number"].to_pylist(), strict=True)
        if i is None
    ]
    person_pairs = [
        Pair(left, right, s, w, json.loads(c))
        for left, right, s, w, _m, c in stored_candidates(con, "person")
    ]
    decisions = decide_persons(
        idless,
        person_pairs,
        verdicts,
        link_probability=cfg.link_probability,
        review_probability=cfg.review_probability,
    )
    by_key: dict[str, list[Pair]] = {}
    for p in person_pairs:
        by_key.setdefault(p.left_key, []).append(p)
        by_key.setdefault(p.right_key, []).append(p)
    for d in decisions:
        if d.status == "proposed":
            for p in by_key.get(d.mention_key, []):
                if (
                    p.probability >= cfg.review_probability
                    or verdicts.verdict(p.left_key, p.right_key) == UNSURE
                ):
                    review.append(
                        ReviewPair(
                            "person",
                            p.left_key,
                            p.right_key,
                            p.probability,
                            p.match_weight,
                            p.contributions,
                            verdicts.verdict(p.left_key, p.right_key),
                        )
                    )

    petition_decisions, petition_review = decide_petitions(con, verdicts)
    company_decisions, company_review = decide_companies(con, company_rows, verdicts)
    all_decisions = decisions + petition_decisions + company_decisions
    review += petition_review + company_review
    # Rows of every ID-less mention are rewritten (idempotent; the keys are mention keys).
    con.execute("DELETE FROM entity_links WHERE method NOT IN ('id_number', 'uscc')")
    rows = []
    for d in all_decisions:
        table, rid, fld = _split_key(d.mention_key)
        uscc = d.entity_id[2:] if d.entity_id.startswith("C:") and not d.entity_id.startswith("C:~") else None
        rows.append((table, rid, fld, d.entity_id, d.id_number, uscc, d.method, d.score, d.status))
    _insert(con, "entity_links", LINK_COLUMNS, rows)
    stats["decisions"] = {
        kind: {s: sum(1 for d in ds if d.status == s) for s in ("linked", "proposed")}
        for kind, ds in (
            ("person", decisions),
            ("petition", petition_decisions),
            ("company", company_decisions),
        )
    }
    stats["review_pairs"] = len(review)
    return review
