"""Measuring `entity_links` against the demo city's ground truth (truth/*.jsonl written by jiandu.demo).

Formats (one JSON object per line):
- truth/persons.jsonl: {"table", "key", "field", <true person id>} per person mention;
- truth/companies.jsonl: the same per company mention;
- truth/petition_links.jsonl: {"petition_no", <true official id_number or null>}.
`key` is the row's natural key (the contract's `key` columns) as an object {column: value}, a list in key
order, or one string joined by "|". The true id is the first field other than table/key/field/petition_no.

Persons and companies are scored pairwise (two mentions are a predicted pair when both are *linked* to the
same entity; a true pair when they share the true id), computed set-based from cluster sizes so that an
official with thousands of transactions costs nothing. Person pairs are split into "with IDs" (both
mentions carried an identifier) and "without IDs" (at least one did not). Proposed links count as not made.
Petition subjects are left out of the person figures: the petition line scores them per petition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute

from jiandu.analytics.contract import load_contract
from jiandu.analytics.resolution.vocabulary import Vocabulary

_META = {"table", "key", "field", "petition_no"}


@dataclass
class Score:
    label: str
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    proposed: int = 0

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def line(self) -> str:
        return (
            f"{self.label:<28} precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"(true {self.true_pairs}, found {self.predicted_pairs}, correct {self.correct_pairs}, proposed {self.proposed})"
        )


def _true_id(obj: dict) -> str | None:
    for k, v in obj.items():
        if k not in _META:
            return None if v is None else str(v)
    return None


def _key_text(table: str, key: object) -> str:
    if isinstance(key, dict):
        cols = load_contract()[table].key
        return "|".join("" if key.get(c) is None else str(key[c]) for c in cols)
    if isinstance(key, list | tuple):
        return "|".join("" if v is None else str(v) for v in key)
    return str(key)


def _rid_lookup(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    cols = load_contract()[table].key
    expr = " || '|' || ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), '')" for c in cols)
    return {k: rid for k, rid in con.execute(f'SELECT {expr}, _rid FROM "{table}"').fetchall()}


def _field_aliases() -> dict[tuple[str, str], str]:
    """(table, name column) → the identifier column our links use: truth may name a mention by its name
    column (family_members.name, company_roles.holder_name) where entity_links uses the ID column."""
    from jiandu.analytics.resolution.mentions import COMPANY_MENTIONS, MIXED_MENTIONS, PERSON_MENTIONS

    return {
        (m.table, m.name): m.field for m in (*PERSON_MENTIONS, *MIXED_MENTIONS, *COMPANY_MENTIONS) if m.name
    }


def load_mention_truth(con: duckdb.DuckDBPyConnection, path: Path) -> pa.Table:
    """Truth lines → (source_table, _rid, field, true_id), natural keys resolved to _rid."""
    lookups: dict[str, dict[str, int]] = {}
    rows: dict[str, list] = {"source_table": [], "_rid": [], "field": [], "true_id": []}
    missing = 0
    aliases = _field_aliases()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        table = obj["table"]
        if table not in lookups:
            lookups[table] = _rid_lookup(con, table)
        rid = lookups[table].get(_key_text(table, obj["key"]))
        if rid is None:
            missing += 1
            continue
        rows["source_table"].append(table)
        rows["_rid"].append(rid)
        rows["field"].append(aliases.get((table, obj["field"]), obj["field"]))
        rows["true_id"].append(_true_id(obj))
    if missing:
        print(f"warning: {missing} truth rows name rows not in the database")
    return pa.table(
        rows,
        schema=pa.schema(
            [
                ("source_table", pa.string()),
                ("_rid", pa.int64()),
                ("field", pa.string()),
                ("true_id", pa.string()),
            ]
        ),
    )


def pairwise(con: duckdb.DuckDBPyConnection, truth: pa.Table, label: str, split_by_id: bool) -> list[Score]:
    """Pairwise precision/recall of linked entities against the truth (set-based)."""
    con.register("_truth", truth)
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _eval AS
            SELECT t.true_id, CASE WHEN l.status = 'linked' THEN l.entity_id END AS entity_id,
                   l.method IN ('id_number', 'uscc') AS had_id, l.status = 'proposed' AS proposed
            FROM _truth t LEFT JOIN entity_links l USING (source_table, _rid, field)
            WHERE t.true_id IS NOT NULL"""
        )

        def pairs(group: str, where: str = "TRUE") -> tuple[int, int]:
            q = f"""SELECT coalesce(sum(n * (n - 1) / 2), 0), coalesce(sum(a * (a - 1) / 2), 0) FROM (
                SELECT count(*) AS n, count(*) FILTER (WHERE had_id) AS a FROM _eval
                WHERE {group} IS NOT NULL AND {where} GROUP BY {group})"""
            return tuple(int(x) for x in con.execute(q).fetchall()[0])  # type: ignore[return-value]

        true_all, true_id = pairs("true_id")
        pred_all, pred_id = pairs("entity_id")
        corr_all, corr_id = pairs("true_id || '\x1f' || entity_id")
        proposed = con.execute("SELECT count(*) FROM _eval WHERE proposed").fetchall()[0][0]
    finally:
        con.unregister("_truth")
    if not split_by_id:
        return [Score(label, true_all, pred_all, corr_all, proposed)]
    return [
        Score(f"{label} with IDs", true_id, pred_id, corr_id),
        Score(f"{label} without IDs", true_all - true_id, pred_all - pred_id, corr_all - corr_id, proposed),
    ]


def petition_score(con: duckdb.DuckDBPyConnection, path: Path) -> Score:
    """Per petition: linked to the true official (correct), to another (wrong), proposed, or nothing."""
    truth = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            truth[str(obj["petition_no"])] = _true_id(obj)
    links = {
        no: (ident, status)
        for no, ident, status in con.execute(
            """SELECT p.petition_no, l.id_number, l.status FROM petitions p
            JOIN entity_links l ON l.source_table = 'petitions' AND l._rid = p._rid AND l.field = 'subject_id'"""
        ).fetchall()
    }
    linked = [(no, links[no][0]) for no in truth if no in links and links[no][1] == "linked" and links[no][0]]
    correct = sum(1 for no, ident in linked if truth[no] == ident)
    proposed = sum(1 for no in truth if no in links and links[no][1] == "proposed")
    return Score("petition → official", sum(1 for v in truth.values() if v), len(linked), correct, proposed)


def evaluate(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> list[Score]:
    """All figures the issue asks for, from whichever truth files exist."""
    scores: list[Score] = []
    if (truth_dir / "persons.jsonl").exists():
        truth = load_mention_truth(con, truth_dir / "persons.jsonl")
        # Petition subjects have their own line below (their goal and procedure differ).
        truth = truth.filter(pa.compute.not_equal(truth["source_table"], "petitions"))
        scores += pairwise(con, truth, "person links", True)
    if (truth_dir / "petition_links.jsonl").exists():
        scores.append(petition_score(con, truth_dir / "petition_links.jsonl"))
    if (truth_dir / "companies.jsonl").exists():
        scores += pairwise(
            con, load_mention_truth(con, truth_dir / "companies.jsonl"), "company links", False
        )
    return scores


def petition_linking(
    con: duckdb.DuckDBPyConnection, truth: dict[str, str | None], vocabulary: Vocabulary | None = None
) -> Score:
    """Petition → official on its own, as `resolve` links petitions (no judgements): a petition with an ID
    number links by it, the others through petitions.petition_candidates and petitions.decide."""
    from jiandu.analytics.resolution.petitions import decide, petition_candidates, petition_rows

    candidates = petition_candidates(con, petition_rows(con, None), vocabulary)
    linked = correct = proposed = 0
    for no, rid, subject_id in con.execute("SELECT petition_no, _rid, subject_id FROM petitions").fetchall():
        if subject_id is not None:
            linked, correct = linked + 1, correct + (truth.get(no) == subject_id)
            continue
        best, status = decide(candidates.get(f"petitions:{rid}:subject_id", []))
        if status == "linked" and best is not None:
            linked, correct = linked + 1, correct + (truth.get(no) == best.id_number)
        proposed += status == "proposed"
    return Score("petition → official", sum(1 for v in truth.values() if v), linked, correct, proposed)
