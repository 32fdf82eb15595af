"""Every rule (and every common view) is plain SQL that sqlglot transpiles to Spark SQL without loss.

Spark itself is not installed in CI, so the Spark text is checked in two ways: Spark's parser (sqlglot's) accepts
it, and read back as Spark and run on DuckDB over every rule fixture it returns the same rows as the original
query. The one difference allowed is the order inside aggregated lists (evidence chains): sqlglot writes
DuckDB's `list(x ORDER BY y)` as `COLLECT_LIST(x)`, which keeps no order (docs/decisions/0001-rules-engine.md).
"""

import datetime as dt
import functools
from typing import Any

import duckdb
import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from jiandu.analytics.rules import registry, render_sql
from jiandu.analytics.rules.engine import resolve_params, rules_by_code
from jiandu.analytics.rules.fixtures import fixture_paths, fixture_rule, load_into
from jiandu.analytics.rules.sqlparts import COMMON_VIEWS

RULES = registry()
FIXTURES = fixture_paths()


def _spark(sql: str) -> str:
    out = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)
    assert len(out) == 1
    return out[0]


@functools.cache
def _through_spark(sql: str) -> str:
    """The query as Spark SQL, read back by Spark's parser and written as DuckDB SQL to be run here."""
    out = sqlglot.transpile(_spark(sql), read="spark", write="duckdb", unsupported_level=ErrorLevel.RAISE)
    assert len(out) == 1
    return out[0]


def _unordered_lists(value: Any) -> Any:
    if isinstance(value, list):
        return sorted((_unordered_lists(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _unordered_lists(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_unordered_lists(v) for v in value)
    return value


def _rows(con: duckdb.DuckDBPyConnection, views: dict[str, str], sql: str) -> list[str]:
    for name, view in views.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {view}")
    return sorted(repr(_unordered_lists(row)) for row in con.execute(sql).fetchall())


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_transpiles_to_spark(rule):
    sql = render_sql(rule, dt.date(2025, 12, 31), rule.defaults())
    spark = _spark(sql)
    # DuckDB-only constructs must be gone from the Spark text
    assert "QUALIFY" not in spark.upper()
    assert "list_concat" not in spark
    assert "$" not in spark  # every parameter rendered as a literal
    parsed = sqlglot.parse_one(spark, read="spark")  # and Spark's own parser accepts the result
    assert isinstance(parsed, sqlglot.exp.Query)
    assert parsed.named_selects[:3] == ["subject_type", "subject_key", "period_start"]


@pytest.mark.parametrize("name", sorted(COMMON_VIEWS))
def test_common_view_transpiles_to_spark(name):
    original = sqlglot.parse_one(COMMON_VIEWS[name], read="duckdb")
    parsed = sqlglot.parse_one(_spark(COMMON_VIEWS[name]), read="spark")
    assert isinstance(parsed, sqlglot.exp.Query)
    assert parsed.named_selects == original.named_selects  # same columns, same names, same order


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_spark_text_gives_the_fixture_rows(path):
    con = duckdb.connect()
    doc = load_into(con, path)
    rule = rules_by_code()[fixture_rule(path)]
    as_of = dt.date.fromisoformat(str(doc["as_of"]))
    sql = render_sql(rule, as_of, resolve_params(rule, doc.get("params")))
    original = _rows(con, COMMON_VIEWS, sql)
    through_spark = _rows(con, {n: _through_spark(v) for n, v in COMMON_VIEWS.items()}, _through_spark(sql))
    assert through_spark == original
    assert len(original) == len(doc.get("expected") or [])  # the fixture's rows, not an empty comparison
