"""Run the rule catalogue on a DuckDB connection shaped as in the analytics interface.

Each rule is one set-based query; Python only validates parameters, renders them into the SQL as literals,
and shapes the query's rows into `AlertRow`s (natural keys of the evidence, fingerprint). No rule logic runs
row by row in Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable
from string import Template
from typing import Any

import duckdb

from jiandu.analytics.contract import load_contract
from jiandu.analytics.duck import create_empty_tables, quote
from jiandu.analytics.rules import (
    assets,
    coi,
    conduct,
    decisions,
    petitions,
    procurement,
    procurement_prices,
    rectification,
)
from jiandu.analytics.rules.base import AlertRow, Evidence, Rule
from jiandu.analytics.rules.sqlparts import COMMON_VIEWS

ProgressFn = Callable[[str, int, int], None]


class RuleParameterError(ValueError):
    """A parameter override that cannot be used; the message is user-facing (Chinese)."""


EXTRA_KEYS = {"leads": ("lead_no",), "entity_links": ("source_table", "_rid", "field")}


def registry() -> list[Rule]:
    """Every registered rule, in catalogue order."""
    rules: list[Rule] = []
    for module in (
        coi,
        procurement,
        procurement_prices,
        decisions,
        petitions,
        rectification,
        assets,
        conduct,
    ):
        rules.extend(module.RULES)
    return rules


def rules_by_code() -> dict[str, Rule]:
    return {r.code: r for r in registry()}


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise TypeError(type(value))


def resolve_params(rule: Rule, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults merged with validated overrides; raises RuleParameterError with a Chinese message."""
    values: dict[str, Any] = rule.defaults()
    for name, value in (overrides or {}).items():
        try:
            param = rule.param(name)
        except KeyError:
            allowed = "、".join(p.name for p in rule.params) or "无"
            raise RuleParameterError(f"规则 {rule.code} 没有参数“{name}”（可用参数：{allowed}）") from None
        kind_zh = "整数" if param.kind is int else "数值"
        if value is None and param.default is None:
            values[name] = None
            continue
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if param.kind is int and isinstance(value, float):
            ok = ok and value.is_integer()
        if not ok:
            raise RuleParameterError(f"规则 {rule.code} 的参数“{name}”应为{kind_zh}，收到：{value!r}")
        if value < 0:
            raise RuleParameterError(f"规则 {rule.code} 的参数“{name}”不能为负数，收到：{value!r}")
        values[name] = int(value) if param.kind is int else float(value)
    return values


def validate_overrides(params: dict[str, dict[str, Any]] | None, codes: Iterable[str] | None = None) -> None:
    known = rules_by_code()
    for code in [*(codes or []), *(params or {})]:
        if code not in known:
            raise RuleParameterError(f"未知的规则代码：{code}")
    for code, overrides in (params or {}).items():
        if not isinstance(overrides, dict):
            raise RuleParameterError(f"规则 {code} 的参数应为“参数名: 值”的映射")
        resolve_params(known[code], overrides)


def render_sql(rule: Rule, as_of: dt.date, values: dict[str, Any]) -> str:
    mapping = {name: _literal(v) for name, v in values.items()}
    mapping["as_of"] = _literal(as_of)
    return Template(rule.sql).substitute(mapping)


def create_common_views(con: duckdb.DuckDBPyConnection) -> None:
    """Materialise the shared views once per scan (temp tables): every rule joins them, none changes them."""
    for name, sql in COMMON_VIEWS.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")


def run_rule_rows(
    con: duckdb.DuckDBPyConnection, rule: Rule, as_of: dt.date, values: dict[str, Any]
) -> list[dict]:
    cur = con.execute(render_sql(rule, as_of, values))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _plain(value: Any) -> Any:
    """JSON-friendly computed values (Decimal → float, dates → ISO)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return float(value)
    return value


def natural_keys(con: duckdb.DuckDBPyConnection, wanted: dict[str, set[int]]) -> dict[tuple[str, int], dict]:
    """Natural key (the contract's `key:` columns) of every (table, _rid) cited as evidence."""
    contract = load_contract()
    out: dict[tuple[str, int], dict] = {}
    for table, rids in wanted.items():
        cols = contract[table].key if table in contract else EXTRA_KEYS.get(table, ("_rid",))
        sel = ", ".join(quote(c) for c in cols)
        rows = con.execute(
            f"SELECT _rid, {sel} FROM {quote(table)} WHERE _rid IN (SELECT unnest(?))", [sorted(rids)]
        ).fetchall()
        for row in rows:
            out[(table, row[0])] = {c: _plain(v) for c, v in zip(cols, row[1:], strict=True)}
    return out


def key_text(table: str, key: dict[str, Any]) -> str:
    """One evidence record as text for fingerprints: `table:col=value|col=value` in the contract's key order."""
    return table + ":" + "|".join(f"{c}={v}" for c, v in key.items())


def fingerprint(rule: str, subject_type: str, subject_key: str | None, evidence: list[Evidence]) -> str:
    """Stable across re-scans and re-imports: rule code, subject and the sorted natural keys of the evidence."""
    texts = sorted(key_text(e.table, e.key) for e in evidence)
    raw = "\n".join([rule, subject_type, subject_key or "", *texts])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def run_rules(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.date,
    codes: Iterable[str] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    progress: ProgressFn | None = None,
    timings: dict[str, float] | None = None,
) -> list[AlertRow]:
    """Run the selected rules (all by default) at the scan date `as_of`; returns alerts in a stable order."""
    codes = list(codes) if codes is not None else None
    validate_overrides(params, codes)
    create_empty_tables(con)
    started = time.perf_counter()
    create_common_views(con)
    if timings is not None:
        timings["(shared views)"] = time.perf_counter() - started
    selected = [r for r in registry() if codes is None or r.code in codes]
    raw: list[tuple[Rule, dict[str, Any], dict]] = []
    for i, rule in enumerate(selected, start=1):
        values = resolve_params(rule, (params or {}).get(rule.code))
        started = time.perf_counter()
        for row in run_rule_rows(con, rule, as_of, values):
            raw.append((rule, values, row))
        if timings is not None:
            timings[rule.code] = time.perf_counter() - started
        if progress:
            progress(rule.code, i, len(selected))
    shaping_started = time.perf_counter()
    wanted: dict[str, set[int]] = {}
    for _, _, row in raw:
        for item in row["evidence"] or []:
            if item and item["r"] is not None:
                wanted.setdefault(item["t"], set()).add(item["r"])
    keys = natural_keys(con, wanted)
    shared: dict[tuple[str, int], Evidence] = {}  # one Evidence object per cited record
    alerts = []
    for rule, values, row in raw:
        evidence: list[Evidence] = []
        seen: set[tuple[str, int]] = set()
        for item in row["evidence"] or []:
            if not item or item["r"] is None:
                continue
            ref = (item["t"], item["r"])
            if ref in seen:
                continue
            seen.add(ref)
            if ref not in shared:
                shared[ref] = Evidence(ref[0], ref[1], keys.get(ref, {}))
            evidence.append(shared[ref])
        subject_key = None if row["subject_key"] is None else str(row["subject_key"])
        alerts.append(
            AlertRow(
                rule=rule.code,
                version=rule.version,
                title=rule.title,
                severity=row["severity"],
                subject_type=row["subject_type"],
                subject_key=subject_key,
                period_start=row["period_start"],
                period_end=row["period_end"],
                evidence=evidence,
                params=dict(values),
                computed=_plain(row.get("computed") or {}),
                fingerprint=fingerprint(rule.code, row["subject_type"], subject_key, evidence),
            )
        )
    if timings is not None:
        timings["(evidence keys, fingerprints)"] = time.perf_counter() - shaping_started
    alerts.sort(
        key=lambda a: (
            a.rule,
            a.subject_type,
            a.subject_key or "",
            a.period_start or dt.date.min,
            a.fingerprint,
        )
    )
    return alerts
