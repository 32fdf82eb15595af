"""`jiandu leads overdue` (for a daily cron) and `jiandu leads outcomes-export` (four-forms outcomes as
discipline_records rows, for the case-management office to deliver through the importer)."""

from __future__ import annotations

import csv
import datetime as dt
import sys

import click

from jiandu.leads.models import Lead, LeadOutcome, LeadTransfer
from jiandu.leads.selectors import lead_overdue, overdue_transfers


def _day(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD：{value}") from exc


@click.group("leads")
def leads() -> None:
    """问题线索：逾期提醒与处置结果导出。"""


@leads.command("overdue")
@click.option("--as-of", "as_of", default=None, help="基准日 YYYY-MM-DD（默认今天）")
def overdue(as_of: str | None) -> None:
    """列出逾期未确定处置方式、逾期未完成步骤、逾期未签收、逾期未回告的线索。退出码 1 表示有逾期。"""
    today = _day(as_of)
    found = 0
    open_leads = Lead.objects.exclude(status=Lead.Status.CLOSED).select_related("handling_org")
    for lead in open_leads.prefetch_related("steps").order_by("id"):
        why = lead_overdue(lead, today)
        if why:
            found += 1
            click.echo(f"线索\t{lead.lead_no}\t{lead.handling_org.name}\t{why}")
    rows = LeadTransfer.objects.select_related("lead", "to_org").order_by("id")
    flagged = overdue_transfers(rows, today)
    for t in flagged["receipt"]:
        found += 1
        click.echo(f"签收\t{t.lead.lead_no}\t{t.to_org.name}\t逾期未签收（期限 {t.receipt_due}）")
    for t in flagged["feedback"]:
        found += 1
        click.echo(f"回告\t{t.lead.lead_no}\t{t.to_org.name}\t逾期未回告（期限 {t.feedback_due}）")
    click.echo(f"共 {found} 项逾期（基准日 {today}）")
    sys.exit(1 if found else 0)


@leads.command("outcomes-export")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="输出 CSV 文件")
def outcomes_export(out: str) -> None:
    """以“执纪处理记录”（discipline_records）的列导出四种形态处置结果，供案管室报送导入。"""
    rows = LeadOutcome.objects.select_related("lead").exclude(id_number_enc="").order_by("decided", "id")
    with open(out, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["记录编号", "身份证号", "处理日期", "形态", "处理方式", "事由"])
        n = 0
        for o in rows:
            writer.writerow(
                # the case office re-imports this file: the ID is decrypted for it (the import hashes it again)
                [f"{o.lead.lead_no}-{o.pk}", o.id_number_plain(), o.decided, o.form, o.measure, o.lead.matter]
            )
            n += 1
    click.echo(f"已导出 {n} 条处置结果到 {out}")
