"""`jiandu import` and `jiandu api-token`: thin CLI over the sources services."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from jiandu.accounts.models import Organisation
from jiandu.analytics.contract import load_contract
from jiandu.sources.models import Delivery
from jiandu.sources.reports import report_path
from jiandu.sources.services import delivery_files, delivery_import
from jiandu.sources.tokens import api_token_create


@click.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--table",
    type=click.Choice(sorted(load_contract())),
    default=None,
    help="数据表（默认按表头或文件名识别）",
)
@click.option("--quiet", is_flag=True, help="不显示进度条")
def import_command(path: Path, table: str | None, quiet: bool) -> None:
    """导入一个报送文件，或目录下（含子目录）的全部报送文件。"""
    files = delivery_files(path)
    if not files:
        raise click.ClickException(f"{path} 下没有可导入的文件（.csv、.xlsx、.jsonl）")
    results: list[Delivery] = []
    for file in files:
        bar = tqdm(total=0, desc=file.name[:30], unit="行", disable=True if quiet else None, leave=False)

        def advance(done: int, total: int, bar: tqdm = bar) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            results += delivery_import(path=file, table=table, progress=advance)
        finally:
            bar.close()
    click.echo(summary(results))
    if any(d.status == Delivery.Status.FAILED for d in results):
        sys.exit(1)


def summary(deliveries: list) -> str:
    """A plain-text table: one line per delivery (file / sheet), then the totals."""
    lines = [
        f"{'报送':>6}  {'文件':<32} {'数据表':<20} {'新增':>8} {'更新':>8} {'未变化':>8} {'拒收':>8}  状态"
    ]
    totals = [0, 0, 0, 0]
    for d in deliveries:
        name = d.file_name + (f"[{d.source_sheet}]" if d.source_sheet else "")
        counts = [d.accepted, d.updated, d.unchanged, d.rejected]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        state = d.get_status_display() + (f"：{d.message}" if d.message else "")
        lines.append(
            f"{'#' + str(d.pk):>6}  {name[:32]:<32} {d.table_name:<20} "
            + " ".join(f"{n:>8}" for n in counts)
            + f"  {state}"
        )
    lines.append(f"{'':>6}  {'合计':<32} {'':<20} " + " ".join(f"{n:>8}" for n in totals))

    for d in deliveries:
        if d.rejected and report_path(d, "xlsx").exists():
            lines.append(f"错误报告 #{d.pk}：{report_path(d, 'xlsx')}（另有 .csv）")
    return "\n".join(lines)


@click.command("api-token")
@click.option("--name", required=True, help="令牌名称（如合作系统名）")
@click.option("--organisation", "organisation_name", required=True, help="所属组织名称")
@click.option("--tables", required=True, help="可报送的数据表英文名，逗号分隔")
def api_token_command(name: str, organisation_name: str, tables: str) -> None:
    """为合作单位系统签发接口令牌（令牌只显示一次）。"""
    organisation = Organisation.objects.filter(name=organisation_name).first()
    if organisation is None:
        raise click.ClickException(f"未找到组织：{organisation_name}")
    try:
        record, token = api_token_create(
            name=name, organisation=organisation, tables=[t.strip() for t in tables.split(",") if t.strip()]
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"令牌 #{record.pk}（{record.name}，{organisation.name}，{', '.join(record.tables)}）：")
    click.echo(token)
    click.echo("请立即妥善保存：平台只保存其摘要，无法再次显示。")
