"""`jiandu jobs recover`: mark failed the deliveries and scans whose process is gone."""

from __future__ import annotations

import click

from jiandu.jobs.recovery import jobs_recover


@click.group("jobs")
def jobs() -> None:
    """后台作业（报送导入、预警扫描）。"""


@jobs.command("recover")
def recover() -> None:
    """把处理进程已中断的作业标记为失败（注明原因），之后可在页面上重试。"""
    found = jobs_recover()
    for job in found:
        click.echo(f"{job.kind} #{job.pk}：{job.reason}")
    click.echo(f"已标记失败 {len(found)} 个作业。" if found else "没有处理进程已中断的作业。")
