"""`jiandu clearance ID_NUMBER`: write the integrity clearance opinion of one official as DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from jiandu.registry.models import REGISTRY
from jiandu.reports.clearance import opinion_docx, opinion_for
from jiandu.security.idnumbers import id_hash


@click.command("clearance")
@click.argument("id_number")
@click.option("--output", "output", type=click.Path(dir_okay=False), default=None, help="输出 DOCX 文件路径")
@click.option("--as-of", "as_of", default=None, help="截止日期 YYYY-MM-DD（默认今天）")
@click.option("--authority", default="中共××市纪律检查委员会", show_default=True, help="落款机关")
def clearance(id_number: str, output: str | None, as_of: str | None, authority: str) -> None:
    """生成廉政意见回复（DOCX，GB/T 9704 公文格式）。"""
    officials: Any = REGISTRY["officials"]
    official = officials.objects.filter(id_number_hash=id_hash(id_number)).first()
    if official is None:
        raise click.ClickException("登记数据中没有该身份证号的干部")
    day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    opinion = opinion_for(None, official, day)
    path = Path(output or f"廉政意见回复-{official.pk}.docx")
    stamp = f"命令行导出 {dt.datetime.now():%Y-%m-%d %H:%M}"
    path.write_bytes(opinion_docx(opinion, authority=authority, watermark_text=stamp))
    click.echo(f"已生成：{path}（结论：{opinion.conclusion}）")
