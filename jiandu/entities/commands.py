"""`jiandu resolve`: incremental entity resolution with a progress bar."""

from __future__ import annotations

import click
from tqdm import tqdm

from jiandu.entities.services import resolve_run


@click.command("resolve")
@click.option("--full", is_flag=True, help="全量重新归并（默认只比较上次以来新增或变更的记录）")
def resolve_command(full: bool) -> None:
    """实体归并：把各部门数据中的人员、企业归并为一人一档、一企一档。"""
    bar = tqdm(total=6, desc="归并", unit="步", disable=None)

    def progress(stage: str, done: int, total: int) -> None:
        bar.set_postfix_str(stage)
        bar.n = done
        bar.refresh()

    run = resolve_run(full=full, progress=progress)
    bar.close()
    mode = "增量" if run.incremental else "全量"
    click.echo(f"归并 #{run.pk}（{mode}）完成")
    for kind, counts in run.stats.get("decisions", {}).items():
        click.echo(f"  {kind:<9} 已关联 {counts.get('linked', 0):>7}  待确认 {counts.get('proposed', 0):>6}")
    click.echo(f"  待人工确认的记录对：{run.stats.get('review_pairs', 0)}")
