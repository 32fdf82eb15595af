"""廉政意见回复 (integrity clearance opinion) for an official, as a DOCX in GB/T 9704 layout.

Before a promotion or an award the organisation department asks the commission for its opinion. The opinion
states, each with the record it rests on: open leads, petitions about the official, discipline records whose
effect has not ended, open alerts — and the conclusion the data supports. Nothing is stated without a record.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from jiandu.accounts.access import records_for
from jiandu.alerts.models import OPEN_STATUSES, Alert
from jiandu.alerts.selectors import alerts_for
from jiandu.analytics.contract import load_contract
from jiandu.analytics.idcolumns import id_columns
from jiandu.leads.models import Lead
from jiandu.leads.selectors import leads_for_person
from jiandu.registry.models import REGISTRY
from jiandu.reports import gbt9704

R: dict[str, Any] = REGISTRY


@dataclass
class Statement:
    text: str
    citation: str = ""


@dataclass
class Opinion:
    name: str
    as_of: dt.date
    sections: list[tuple[str, list[Statement]]] = field(default_factory=list)
    conclusion: str = ""
    blocking: bool = False


def cite(table: str, record: Any) -> str:
    zh = load_contract()[table].zh
    ids = id_columns(table)  # the opinion names the official; it never prints an ID
    key = "、".join(str(getattr(record, k)) for k in load_contract()[table].key if k not in ids)
    return f"依据：{zh} {key}，报送#{record.delivery_id} 第{record.source_row}行"


def clearance_opinion(
    official: Any, as_of: dt.date, *, petitions: Any, discipline: Any, alerts: Any, leads: Any
) -> Opinion:
    """Assemble the statements from querysets the caller has already scoped to the reader."""
    opinion = Opinion(name=official.name, as_of=as_of)
    in_effect = [d for d in discipline if d.effect_until and d.effect_until >= as_of]
    opinion.sections.append(
        (
            "一、执纪处理情况",
            [
                Statement(
                    f"{d.decided}受到{d.form}处理（{d.measure}），影响期至{d.effect_until}，目前仍在影响期内。",
                    cite("discipline_records", d),
                )
                for d in in_effect
            ]
            or [Statement(f"截至{as_of}，未发现该同志处于党纪政务处分影响期内。")],
        )
    )
    open_petitions = [p for p in petitions if p.status != "已办结"]
    closed_petitions = [p for p in petitions if p.status == "已办结"]
    petition_lines = [
        Statement(
            f"{p.received}收到反映其{p.category}问题的信访举报，目前{p.status or '未办结'}。",
            cite("petitions", p),
        )
        for p in open_petitions
    ] + [
        Statement(f"{p.received}收到反映其{p.category}问题的信访举报，已办结。", cite("petitions", p))
        for p in closed_petitions
    ]
    opinion.sections.append(
        ("二、信访举报情况", petition_lines or [Statement("未收到反映该同志问题的信访举报。")])
    )
    lead_lines = [
        Statement(f"问题线索{lead.lead_no}正在办理中。", f"依据：问题线索登记 {lead.lead_no}")
        for lead in leads
    ]
    opinion.sections.append(
        ("三、问题线索情况", lead_lines or [Statement("未发现正在办理的涉及该同志的问题线索。")])
    )
    alert_lines = [
        Statement(
            f"预警{a.rule_code}“{a.title}”（{a.severity}）尚未销号，当前状态：{a.get_status_display()}。",
            f"依据：预警#{a.pk}",
        )
        for a in alerts
    ]
    opinion.sections.append(("四、监督预警情况", alert_lines or [Statement("未发现尚未销号的监督预警。")]))
    red_alerts = [a for a in alerts if a.severity == "红"]
    if in_effect:
        opinion.blocking = True
        opinion.conclusion = "该同志目前处于处分影响期内，按照有关规定，不宜提拔或者进一步使用。"
    elif open_petitions or leads or red_alerts:
        opinion.blocking = True
        opinion.conclusion = (
            "该同志存在尚未办结的信访举报、问题线索或重大预警，建议暂缓，待核查结论明确后再行回复。"
        )
    else:
        opinion.conclusion = f"截至{as_of}，根据本机关掌握的情况，未发现该同志有违反廉洁纪律的问题。"
    return opinion


def opinion_for(user: Any, official: Any, as_of: dt.date) -> Opinion:
    """The opinion for a reader: every source queried through the access module (None user = system)."""

    def scoped(qs: Any) -> Any:
        return qs if user is None else records_for(user, qs)

    pid = official.id_number_hash
    about = (
        Lead.objects.filter(subjects__id_number_hash=pid).distinct()
        if user is None
        else leads_for_person(user, pid)
    )
    leads = list(about.exclude(status=Lead.Status.CLOSED).order_by("id"))
    return clearance_opinion(
        official,
        as_of,
        petitions=list(scoped(R["petitions"].objects.filter(subject_id_hash=pid)).order_by("received")),
        discipline=list(
            scoped(R["discipline_records"].objects.filter(id_number_hash=pid)).order_by("decided")
        ),
        alerts=list(
            (Alert.objects.all() if user is None else alerts_for(user)).filter(
                subject_type="official", subject_key=pid, supported=True, status__in=OPEN_STATUSES
            )
        ),
        leads=leads,
    )


def opinion_docx(opinion: Opinion, *, authority: str, watermark_text: str) -> bytes:
    doc = gbt9704.new_document()
    gbt9704.watermark(doc, watermark_text)
    gbt9704.title(doc, f"关于{opinion.name}同志党风廉政情况的意见回复")
    gbt9704.addressee(doc, "中共市委组织部：")
    gbt9704.body(
        doc, f"根据贵部来函，经查阅本机关掌握的有关情况，现将{opinion.name}同志党风廉政情况回复如下："
    )
    for heading, statements in opinion.sections:
        gbt9704.heading(doc, heading)
        for statement in statements:
            gbt9704.body(doc, statement.text, statement.citation)
    gbt9704.heading(doc, "五、意见")
    gbt9704.body(doc, opinion.conclusion)
    gbt9704.signature(doc, authority, f"{opinion.as_of.year}年{opinion.as_of.month}月{opinion.as_of.day}日")
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()
