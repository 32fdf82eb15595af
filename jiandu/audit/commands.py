"""`jiandu audit verify` and `jiandu audit anchor`: check the access log chain, anchor its head."""

from __future__ import annotations

import sys

import click

from jiandu.audit.chain import anchor_current_head, anchor_path
from jiandu.audit.dbrole import app_role_grant
from jiandu.audit.verify import chain_verify


@click.group("audit")
def audit() -> None:
    """访问日志：校验哈希链、锚定链头。"""


@audit.command("verify")
def verify() -> None:
    """逐条校验访问日志哈希链；发现被修改、删除或插入的记录时以非零状态退出。"""
    report = chain_verify()
    click.echo(
        f"已校验 {report.checked} 条（末条序号 {report.last_seq}），"
        f"外部锚点 {report.anchors_checked} 个（{anchor_path()}）"
    )
    if report.intact:
        click.echo("日志链完整。")
        return
    first = report.first
    assert first is not None
    click.echo(f"日志链已损坏：首个问题在第 {first.seq} 条 [{first.kind}] {first.message}", err=True)
    for problem in report.problems:
        click.echo(f"  - 第 {problem.seq} 条 [{problem.kind}] {problem.message}", err=True)
    sys.exit(1)


@audit.command("anchor")
def anchor() -> None:
    """把当前链头摘要追加写入外部锚定文件（供定时任务或备份前调用）。"""
    written = anchor_current_head()
    if written is None:
        click.echo("日志为空，无需锚定。")
        return
    click.echo(f"已锚定第 {written[0]} 条 {written[1]} → {anchor_path()}")


@audit.command("grant")
@click.argument("role")
def grant(role: str) -> None:
    """PostgreSQL：给应用数据库角色授予访问日志的最小权限（只读与追加，不能修改、删除、清空）。"""
    app_role_grant(role)
    click.echo(f"已为角色 {role} 设置访问日志权限：SELECT、INSERT；无 UPDATE、DELETE、TRUNCATE。")
