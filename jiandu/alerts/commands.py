"""`jiandu scan`, `jiandu alerts export`, `jiandu evaluate`."""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time

import click
import duckdb
from tqdm import tqdm

from jiandu.alerts.models import Alert
from jiandu.alerts.scanning import load_analytics, scan_run
from jiandu.alerts.settings import deployment_params
from jiandu.analytics.idcolumns import is_id_hash
from jiandu.analytics.rules.engine import RuleParameterError, rules_by_code, run_rules
from jiandu.analytics.rules.evaluate import evaluate, format_report, read_truth
from jiandu.registry.ids import plain_for_hashes
from jiandu.registry.interface_tables import InterfaceTableMissing
from jiandu.registry.models import REGISTRY
from jiandu.security.idnumbers import id_hash


def _as_of(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD：{value}") from exc


@click.command("scan")
@click.option("--rules", "rules", default="", help="逗号分隔的规则代码（默认全部）")
@click.option("--as-of", "as_of", default=None, help="扫描基准日 YYYY-MM-DD（默认今天）")
def scan(rules: str, as_of: str | None) -> None:
    """运行预警规则，对比上次扫描：新增、保留、不再满足。"""

    codes = [c.strip() for c in rules.split(",") if c.strip()] or None
    try:
        params = deployment_params()
        bar = tqdm(total=len(codes or rules_by_code()), desc="规则", unit="条", disable=None)

        def progress(code: str, i: int, n: int) -> None:
            bar.set_postfix_str(code)
            bar.update(1)

        result = scan_run(as_of=_as_of(as_of), codes=codes, params=params, progress=progress)
        bar.close()
    except (RuleParameterError, InterfaceTableMissing) as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    click.echo(f"扫描 #{result.pk}（基准日 {result.as_of}）")
    click.echo(f"{'规则':<8}{'预警数':>8}{'耗时(秒)':>10}")
    per_rule = result.summary["per_rule"]
    for code, seconds in result.summary["seconds"].items():
        click.echo(f"{code:<8}{per_rule.get(code, 0):>8}{seconds:>10.3f}")
    counts = result.summary["counts"]
    click.echo(f"新增 {counts['new']}，保留 {counts['kept']}，不再满足 {counts['unsupported']}")


@click.group("alerts")
def alerts() -> None:
    """预警数据导出。"""


def alert_hashes(alerts: list[Alert]) -> set[str]:
    """The keyed hashes of IDs an alert carries (an official subject, ID values of evidence keys)."""
    found = {a.subject_key for a in alerts if is_id_hash(a.subject_key)}
    found |= {v for a in alerts for e in a.evidence for v in e["key"].values() if is_id_hash(v)}
    return found


def alert_as_json(alert: Alert, plain: dict[str, str] | None = None) -> dict[str, object]:
    """The auditors' interface: one alert with its evidence as (table, natural key) pairs.

    Alerts store an ID as its keyed hash (subject of an official, ID columns of natural keys); `plain` maps
    those hashes to the decrypted IDs, so auditors receive the natural keys as the departments delivered them.
    """
    plain = plain or {}

    def shown(value: object) -> object:
        return plain.get(value, value) if isinstance(value, str) else value

    return {
        "rule": alert.rule_code,
        "rule_version": alert.rule_version,
        "severity": alert.severity,
        "status": alert.status,
        "supported": alert.supported,
        "subject": {"type": alert.subject_type, "key": shown(alert.subject_key)},
        "period": [
            alert.period_start.isoformat() if alert.period_start else None,
            alert.period_end.isoformat() if alert.period_end else None,
        ],
        "params": alert.params,
        "computed": alert.computed,
        "evidence": [
            {"table": e["table"], "key": {k: shown(v) for k, v in e["key"].items()}} for e in alert.evidence
        ],
    }


@alerts.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "--output", "output", type=click.Path(dir_okay=False), default="-", help="输出文件（默认标准输出）"
)
@click.option("--all", "include_unsupported", is_flag=True, help="包含已不满足规则的预警")
def export(fmt: str, output: str, include_unsupported: bool) -> None:
    """导出全部预警，每行一个 JSON（规则、等级、状态、对象、期间、证据）。"""
    rows = Alert.objects.order_by("id")
    if not include_unsupported:
        rows = rows.filter(supported=True)
    stream = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        ids = list(rows.values_list("id", flat=True))
        for start in range(0, len(ids), 2000):
            chunk = list(Alert.objects.filter(id__in=ids[start : start + 2000]).order_by("id"))
            plain = plain_for_hashes(alert_hashes(chunk))  # a wrong data key fails here, loudly
            for alert in chunk:
                stream.write(json.dumps(alert_as_json(alert, plain), ensure_ascii=False) + "\n")
    finally:
        if stream is not sys.stdout:
            stream.close()


@click.command("evaluate")
@click.option(
    "--truth",
    "truth",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="预置案例真值文件（JSON lines）",
)
@click.option("--as-of", "as_of", default=None, help="扫描基准日（默认取真值文件中的基准日）")
def evaluate_command(truth: str, as_of: str | None) -> None:
    """对照演示城市的预置案例，逐条规则统计查全率、查准率和其他预警数。"""

    day = _as_of(as_of) if as_of else _truth_as_of(read_truth(truth))
    con = duckdb.connect()
    load_analytics(con)
    found = run_rules(con, as_of=day)
    report = evaluate(found, truth, as_of=day, hash_id=id_hash)
    click.echo(f"基准日 {day}，规则 {len(report)} 条，预警 {len(found)} 条")
    click.echo(format_report(report))
    missed = sum(len(r.missed) for r in report.values())
    wrong = sum(r.wrongly_hit for r in report.values())
    click.echo(f"漏报 {missed}，误报（不应命中却命中）{wrong}")


def _truth_as_of(cases: list[dict[str, object]]) -> dt.date:
    dates = sorted({str(c["as_of"]) for c in cases if c.get("as_of")})
    return dt.date.fromisoformat(dates[-1]) if dates else dt.date.today()


@click.command("bench-scan")
@click.option("--repeat", default=1, show_default=True, help="重复次数（取最快一次）")
def bench_scan(repeat: int) -> None:
    """基准测试：把登记数据载入 DuckDB（基线）并运行全部规则，打印耗时和峰值内存。"""

    best_load = best_rules = float("inf")
    alerts = 0
    for _ in range(repeat):
        con = duckdb.connect()
        started = time.perf_counter()
        load_analytics(con)
        loaded = time.perf_counter()
        alerts = len(run_rules(con, as_of=dt.date.today()))
        done = time.perf_counter()
        con.close()
        best_load, best_rules = min(best_load, loaded - started), min(best_rules, done - loaded)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = con_rows()
    click.echo(f"registry rows: {rows:,}")
    click.echo(f"baseline  registry → DuckDB load : {best_load:8.2f} s")
    click.echo(f"scan      all rules             : {best_rules:8.2f} s  ({alerts:,} alerts)")
    click.echo(
        f"total                           : {best_load + best_rules:8.2f} s  (goal: < 60 s at scale 1)"
    )
    click.echo(f"peak RSS                        : {peak_mb:8.0f} MB")


def con_rows() -> int:
    return sum(m.objects.count() for m in REGISTRY.values())  # type: ignore[attr-defined]
