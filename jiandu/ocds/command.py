"""``jiandu ocds``: compile OCDS, compute Cardinal's indicators, map to the platform's tables.

The lead registers the group in the ``jiandu`` CLI: ``cli.add_command(ocds)``. Commands are thin: parse, call one
service, print.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from jiandu.ocds.compare import hits_compare, pairs_table
from jiandu.ocds.indicators import indicators_run
from jiandu.ocds.mapper import TABLES, releases_map
from jiandu.ocds.prepare import needs_prepare, release_prepare
from jiandu.ocds.reader import ReadReport, compiled_releases_read, jsonl_lines_read
from jiandu.ocds.settings import Settings, SettingsError, settings_load
from jiandu.ocds.store import ocds_import, platform_rules_on
from jiandu.sources.models import Delivery


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=sorted)


@click.group(name="ocds")
def ocds() -> None:
    """开放合同数据标准（OCDS）：导入、映射与 OCP 采购预警指标。"""


@ocds.command(name="indicators")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option(
    "--settings",
    "-s",
    "settings_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Cardinal 格式的设置文件（INI）",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="结果写入文件（默认标准输出）"
)
@click.option("--no-meta", is_flag=True, help="不输出 Meta（四分位数与围栏）")
@click.option("--map", "with_map", is_flag=True, help="输出 Maps（被标记的投标人）")
@click.option("--count", is_flag=True, help="在标准错误输出每组结果数")
def indicators_command(
    file: str, settings_path: str | None, output: str | None, no_meta: bool, with_map: bool, count: bool
) -> None:
    """按 Cardinal 的方法计算预警指标。FILE 为编译后发布（JSON lines，每行一个采购过程；"-" 为标准输入）。"""
    try:
        settings = settings_load(settings_path) if settings_path else Settings.all_enabled()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    releases = []
    for _, value in jsonl_lines_read(file):
        releases.append(release_prepare(value, settings) if needs_prepare(settings) else value)
    results, excluded = indicators_run(releases, settings)
    payload = results.as_json(meta=not no_meta)
    if with_map:
        payload["Maps"] = results.maps_json()
    text = _dump(payload) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if count:
        for group, entries in results.results.items():
            click.echo(f"{group}: {len(entries)}", err=True)
        for reason, number in sorted(excluded.items()):
            click.echo(f"excluded ({reason}): {number}", err=True)


@ocds.command(name="compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="输出 JSON lines 文件",
)
def compile_command(paths: tuple[str, ...], output: str) -> None:
    """读取发布包、记录包、单个发布或 JSON lines，按 ocid 编译为最新状态，写为 JSON lines（Cardinal 的输入）。"""
    report = ReadReport()
    releases = compiled_releases_read(paths, report)
    with open(output, "w", encoding="utf-8") as handle:
        for release in releases:
            handle.write(_dump(release) + "\n")
    _echo_counter("读取", Counter({"files": report.files, **report.counts}))
    _echo_counter("跳过", report.skipped)


@ocds.command(name="map")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--report", "show_report", is_flag=True, help="按字段路径列出无法映射的内容")
@click.option("--output", "-o", type=click.Path(file_okay=False), help="每张表写一个 JSON lines 文件到此目录")
def map_command(paths: tuple[str, ...], show_report: bool, output: str | None) -> None:
    """把 OCDS 映射为平台的 tenders、bids、contracts、companies、units，并报告无法映射的字段。"""
    read = ReadReport()
    releases = compiled_releases_read(paths, read)
    result = releases_map(releases)
    _echo_counter("读取", Counter({"files": read.files, **read.counts}))
    _echo_counter("跳过", read.skipped)
    _echo_counter("映射", result.counts)
    if show_report:
        _echo_counter("无法映射（按字段）", result.report)
    if output:
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            with open(directory / f"{table}.jsonl", "w", encoding="utf-8") as handle:
                for row in result.rows[table]:
                    handle.write(_dump(row) + "\n")


def _echo_counter(title: str, counter: Counter[str]) -> None:
    if not counter:
        return
    click.echo(f"{title}:")
    for key, value in sorted(counter.items()):
        click.echo(f"  {value:>7}  {key}")


@ocds.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--publisher", help="发布方名称（默认按 ocid 前缀识别；无标识方案的机构编号按发布方区分）")
def import_command(paths: tuple[str, ...], publisher: str | None) -> None:
    """把 OCDS 编译、映射后存入平台登记库：每张表一个报送批次，可重复导入（内容未变则不改动）。"""
    result = ocds_import(list(paths), publisher=publisher)
    _echo_counter("读取", Counter({"files": result.read.files, **result.read.counts}))
    _echo_counter("跳过", result.read.skipped)
    click.echo("入库（每张表一个报送批次）:")
    for table, delivery in result.deliveries.items():
        click.echo(
            f"  {table:<10} #{delivery.pk:<5} {delivery.get_status_display()}  新增 {delivery.accepted}  "
            f"更新 {delivery.updated}  未变化 {delivery.unchanged}  拒收 {delivery.rejected}"
        )
    click.echo(f"OCDS 机构 {result.organisations} 个，采购过程 {result.processes} 个")
    _echo_counter("币种（未换算，按采购过程）", result.currencies)
    _echo_counter("无法映射（按字段）", result.mapping.report)
    for table, rejected in result.rejected.items():
        _echo_counter(f"拒收 {table}（按字段）", rejected)
    if any(d.status == Delivery.Status.FAILED for d in result.deliveries.values()):
        sys.exit(1)


@ocds.command(name="rules")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--settings",
    "-s",
    "settings_path",
    type=click.Path(exists=True, dir_okay=False),
    help="OCP 指标的设置文件（INI；默认全部指标、Cardinal 默认参数）",
)
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="扫描日期（默认今天）")
@click.option("--list", "show_list", is_flag=True, help="列出不一致的采购过程")
def rules_command(paths: tuple[str, ...], settings_path: str | None, as_of: Any, show_list: bool) -> None:
    """对照：同一 OCDS 输入的 OCP 指标，与已入库数据上平台规则 PRC-01/03/05/08/09/10 的命中。"""
    try:
        settings = settings_load(settings_path) if settings_path else Settings.all_enabled()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    releases = compiled_releases_read(paths)
    prepared = [release_prepare(r, settings) if needs_prepare(settings) else r for r in releases]
    results, _ = indicators_run(prepared, settings)
    ocids = {r["ocid"] for r in releases if isinstance(r, dict) and isinstance(r.get("ocid"), str)}
    alerts = platform_rules_on(ocids, as_of=(as_of.date() if as_of else dt.date.today()))
    pairs = hits_compare(alerts, results.as_json(meta=False))
    for line in pairs_table(pairs):
        click.echo(line)
    if show_list:
        for pair in pairs:
            for label, keys in (("仅平台", pair.only_platform), ("仅OCP", pair.only_ocp)):
                for key in sorted(keys):
                    click.echo(f"  {pair.rule}/{pair.indicator} {label}: {key}")
