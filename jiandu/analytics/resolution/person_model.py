"""The probabilistic person model: Splink (DuckDB backend), comparisons declared as levels.

Records have the columns of `RECORD_SCHEMA`. Each comparison is a list of levels from most to least
specific; Splink's Fellegi–Sunter model gives each level a match weight, and a pair's score is the sum of
the weights of the levels it falls in — the "waterfall" we store with every link as its per-feature
contributions (`mw_<comparison>` columns).

Training: u probabilities by random sampling with a fixed seed; m probabilities start from the declared
priors below and are re-estimated by expectation maximisation when there is enough data (EM on a few
hundred records is unstable: it is skipped and the priors are used — see docs/resolution.md).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.exceptions import EMTrainingException

COMPARISONS = ("name", "birth_date", "gender", "region", "units", "titles", "contexts")

RECORD_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("id_number", pa.string()),
        ("name", pa.string()),
        ("name_py", pa.string()),
        ("birth_date", pa.date32()),
        ("gender", pa.string()),
        ("region", pa.string()),
        ("units", pa.list_(pa.string())),
        ("titles", pa.list_(pa.string())),
        ("contexts", pa.list_(pa.string())),
    ]
)


def _level(sql: str, label: str, m: float) -> cll.CustomLevel:
    level = cll.CustomLevel(sql, label_for_charts=label)
    level.configure(m_probability=m)
    return level


def _tf_level(sql: str, label: str, m: float, column: str) -> cll.CustomLevel:
    """An exact level whose weight is adjusted by how common the value is (张伟 says less than 欧阳修远)."""
    level = cll.CustomLevel(sql, label_for_charts=label)
    level.configure(m_probability=m, tf_adjustment_column=column, tf_adjustment_weight=1.0)
    return level


def _null(col: str) -> cll.CustomLevel:
    level = cll.CustomLevel(
        f"{col}_l IS NULL OR {col}_r IS NULL OR len({col}_l) = 0 OR len({col}_r) = 0"
        if col in ("units", "titles", "contexts")
        else f"{col}_l IS NULL OR {col}_r IS NULL",
        label_for_charts="missing",
    )
    level.configure(is_null_level=True)
    return level


# Levenshtein distance <= 1, computed only where it can hold: a single edit changes the length by at most
# one and leaves the first or the last character in place (names of two or more characters). The guard is
# implied by the condition, so the level is unchanged; it spares the edit distance on ~95 % of the pairs,
# which made this the most expensive level of u sampling (docs/benchmarks.md, Febrl profile).
ONE_EDIT = (
    "CASE WHEN abs(length(name_l) - length(name_r)) <= 1 AND (left(name_l, 1) = left(name_r, 1)"
    " OR right(name_l, 1) = right(name_r, 1) OR least(length(name_l), length(name_r)) < 2)"
    " THEN levenshtein(name_l, name_r) <= 1 ELSE false END"
)
# (left/right rather than name_l[1]: Splink's SQL translator logs a line for every array index it shifts.)


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    """The declared comparison levels; m priors are what a clerk would expect among true matches."""

    def intersect(col: str, m_yes: float, label: str) -> cl.CustomComparison:
        # Lists of units, titles and contexts are incomplete by nature (a person appears in many places):
        # sharing one is evidence for a match, sharing none is no evidence against it (a null level).
        # m = u, both fixed, makes the level's weight exactly 0.
        no_overlap = cll.CustomLevel("ELSE", label_for_charts="nothing shared")
        no_overlap.configure(
            m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
        )
        return cl.CustomComparison(
            output_column_name=col,
            comparison_levels=[
                _null(col),
                _level(f"list_has_any({col}_l, {col}_r)", f"{label} shared", m_yes),
                no_overlap,
            ],
        )

    return [
        cl.CustomComparison(
            output_column_name="name",
            comparison_levels=[
                _null("name"),
                _tf_level("name_l = name_r", "name exact (folded)", 0.80, "name"),
                _level("name_py_l = name_py_r", "pinyin exact (homophone)", 0.08),
                _level(ONE_EDIT, "one character differs", 0.06),
                _level(
                    "jaro_winkler_similarity(name_py_l, name_py_r) >= 0.9", "pinyin Jaro-Winkler >= 0.9", 0.03
                ),
                _level("ELSE", "different", 0.03),
            ],
        ),
        cl.CustomComparison(
            output_column_name="birth_date",
            comparison_levels=[
                _null("birth_date"),
                _level("birth_date_l = birth_date_r", "birth date exact", 0.93),
                _level("abs(date_diff('day', birth_date_l, birth_date_r)) <= 366", "within a year", 0.04),
                _level("ELSE", "different", 0.03),
            ],
        ),
        cl.CustomComparison(
            output_column_name="gender",
            comparison_levels=[
                _null("gender"),
                _level("gender_l = gender_r", "same gender", 0.98),
                _level("ELSE", "different", 0.02),
            ],
        ),
        cl.CustomComparison(
            output_column_name="region",
            comparison_levels=[
                _null("region"),
                _level("region_l = region_r", "region exact", 0.70),
                _level("left(region_l, 4) = left(region_r, 4)", "same city", 0.20),
                _level("ELSE", "different", 0.10),
            ],
        ),
        intersect("units", 0.60, "unit"),
        intersect("titles", 0.50, "title"),
        intersect("contexts", 0.90, "declarant/relation or company"),
    ]


# Pairs that EM learns from: at least one side without an ID (pairs of two ID holders are known non-matches).
_ONE_WITHOUT_ID = "(l.id_number IS NULL OR r.id_number IS NULL)"
EM_BLOCKING_RULES = (
    f"l.name = r.name AND {_ONE_WITHOUT_ID}",
    f"l.birth_date = r.birth_date AND {_ONE_WITHOUT_ID}",
    f"l.name_py = r.name_py AND l.name <> r.name AND {_ONE_WITHOUT_ID}",
)
# A level that random sampling never saw gets this u (about one in the sampled pairs), one EM never saw
# keeps its prior m: Splink cannot weigh a level without both.
U_FLOOR = 1e-6
EM_MIN_PAIRS = 200


def _em_pair_counts(records: pa.Table) -> list[int]:
    """How many pairs each of EM_BLOCKING_RULES gives, counted from group sizes without joining: the pairs
    of a group of n records of which k hold an ID are n(n-1)/2 - k(k-1)/2 (two ID holders never count)."""
    con = duckdb.connect()
    con.register("recs", records)

    def pairs(keys: str) -> str:
        return f"""SELECT coalesce(sum(n * (n - 1) // 2 - k * (k - 1) // 2), 0) FROM (
            SELECT count(*) AS n, count(id_number) AS k FROM recs
            WHERE {" AND ".join(f"{key} IS NOT NULL" for key in keys.split(", "))} GROUP BY {keys})"""

    row = con.sql(
        f"""SELECT ({pairs("name")}), ({pairs("birth_date")}),
        ({pairs("name_py")}) - ({pairs("name_py, name")})"""
    ).fetchall()[0]
    con.close()
    return [int(n) for n in row]


@dataclass
class PersonModel:
    """A trained Splink model, serialisable to JSON so incremental runs score with the same parameters."""

    settings: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(self.settings, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> PersonModel:
        return cls(json.loads(text))


def _settings(prior: float) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[],
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        max_iterations=20,
    )


def train(records: pa.Table, *, seed: int = 42, em_min_records: int = 2000) -> PersonModel:
    """Estimate u by random sampling (fixed seed) and, with enough records, m by EM from the priors."""
    n = records.num_rows
    without_id = records.filter(pa.compute.is_null(records["id_number"])).num_rows
    # Prior: each record without an ID has about one true match somewhere among all pairs.
    pairs = max(n * (n - 1) / 2, 1.0)
    prior = min(max(without_id, 1) / pairs, 0.5)
    db = DuckDBAPI()
    frame = db.register(records, table_name="person_records")
    linker = Linker(frame, _settings(prior), log_level=logging.ERROR)
    if n >= 2:
        # One chunk: Splink's default probes 1 % of the pairs and then works through ten chunks, once per
        # comparison, until every level has 100 observations; rare levels (one character differs, a shared
        # context) never get there, so all chunks ran anyway and the per-chunk overhead doubled the cost.
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(1e6, max(pairs, 10.0)), seed=seed, num_chunks=1
        )
    if n >= em_min_records and without_id >= 50:
        for rule, count in zip(EM_BLOCKING_RULES, _em_pair_counts(records), strict=True):
            # A session that fails leaves Splink's settings without the comparisons it blocked on, so
            # rules that give too few pairs are not tried at all.
            if count < EM_MIN_PAIRS:
                continue
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True
                )
            except EMTrainingException as exc:
                # Splink's own refusal to train on this rule (no usable pairs): the priors stay, by design.
                # Anything else is a fault and stops the run.
                logging.getLogger(__name__).warning(
                    "EM skipped for one blocking rule: %s", type(exc).__name__
                )
    return PersonModel(_complete(linker.misc.save_model_to_json()))


def _complete(settings: dict[str, Any]) -> dict[str, Any]:
    priors = {
        (c.create_output_column_name(), lvl.create_label_for_charts()): lvl
        for c in comparisons()
        if isinstance(c, ComparisonCreator)
        for lvl in c.create_comparison_levels()
    }
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if level.get("u_probability") is None:
                level["u_probability"] = U_FLOOR
            if level.get("m_probability") is None:
                prior = priors.get((comparison["output_column_name"], level.get("label_for_charts")))
                level["m_probability"] = getattr(prior, "m_probability", None) or U_FLOOR
    return settings


def score_pairs(model: PersonModel, records: pa.Table, pairs: pa.Table) -> pd.DataFrame:
    """Score the given candidate pairs (columns left_key, right_key) with the trained model.

    Returns one row per pair: left_key, right_key, match_weight, match_probability and mw_<comparison>
    (the per-feature match weights, the waterfall).
    """
    columns = [
        "left_key",
        "right_key",
        "match_weight",
        "match_probability",
        *[f"mw_{c}" for c in COMPARISONS],
    ]
    if pairs.num_rows == 0:
        return pd.DataFrame(columns=columns)
    db = DuckDBAPI()
    frame = db.register(records, table_name="person_records")
    linker = Linker(frame, model.settings, log_level=logging.ERROR)
    blocked = pa.table(
        {
            "match_key": pa.array(["0"] * pairs.num_rows),
            "join_key_l": pairs["left_key"],
            "join_key_r": pairs["right_key"],
        }
    )
    linker.table_management.register_blocked_pairs_for_predict(db.register(blocked, table_name="blocked"))
    result = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    result = result.rename(columns={"unique_id_l": "left_key", "unique_id_r": "right_key"})
    return result[columns]
