"""The closed loop of an alert: 分派 → 核查 → 反馈 → 整改 → 销号, or hand-off to the lead register.

Every change goes through `alert_act`, which checks the transition is allowed from the current status, that
the fields the step needs are present, and records an AlertTransition. Views only call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import checks
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from jiandu.accounts.models import Organisation
from jiandu.alerts.models import DEADLINE_STATUSES, Alert, AlertTransition

S = Alert.Status
F = Alert.Finding


class WorkflowError(ValueError):
    """A refused step; the message is shown to the user (Chinese)."""


# 转为问题线索 registers a lead in the lead register, which sits above alerts (it reads them). The step reaches it
# through this hook, filled by jiandu.leads from its AppConfig.ready: (alert, user, note) -> (lead_no, lead id).
# The opener raises WorkflowError when the register refuses.
LeadOpener = Callable[[Alert, Any, str], tuple[str, int]]
_lead_openers: list[LeadOpener] = []


def lead_opener_register(opener: LeadOpener) -> None:
    _lead_openers[:] = [opener]


@checks.register()
def lead_opener_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if _lead_openers:
        return []
    return [
        checks.Error(
            "预警无法转为问题线索：问题线索登记（jiandu.leads）未安装或未登记转办函数。",
            hint="确认 INSTALLED_APPS 含 jiandu.leads。",
            id="jiandu.E011",
        )
    ]


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str


STEPS: dict[str, Step] = {
    s.action: s
    for s in (
        Step("assign", "分派", (S.PENDING,), S.ASSIGNED),
        Step("start", "开始核查", (S.ASSIGNED,), S.VERIFYING),
        Step("report", "反馈核查结果", (S.VERIFYING,), S.REPORTED),
        Step("rectify", "进入整改", (S.REPORTED,), S.RECTIFYING),
        Step("close", "销号", (S.REPORTED, S.RECTIFYING), S.CLOSED),
        Step("to_lead", "转为问题线索", (S.PENDING, S.ASSIGNED, S.VERIFYING, S.REPORTED), S.TO_LEAD),
    )
}


def steps_available(alert: Alert) -> list[Step]:
    return [s for s in STEPS.values() if alert.status in s.sources]


def is_overdue(alert: Alert, today: dt.date | None = None) -> bool:
    """A step with a deadline that has passed: the deadline day itself still counts as on time."""
    today = today or timezone.localdate()
    return bool(alert.deadline and alert.deadline < today and alert.status in DEADLINE_STATUSES)


@transaction.atomic
def alert_act(
    *,
    alert: Alert,
    user: Any,
    action: str,
    note: str = "",
    office: Organisation | None = None,
    deadline: dt.date | None = None,
    finding: str = "",
    attachment: Any = None,
) -> AlertTransition:
    step = STEPS.get(action)
    if step is None:
        raise WorkflowError(f"未知的操作：{action}")
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status not in step.sources:
        raise WorkflowError(f"当前状态“{alert.get_status_display()}”下不能执行“{step.label}”")
    details: dict[str, Any] = {}
    if action == "assign":
        if office is None or deadline is None:
            raise WorkflowError("分派需要选择承办单位并填写办理期限")
        if deadline < timezone.localdate():
            raise WorkflowError("办理期限不能早于今天")
        alert.office, alert.deadline = office, deadline
        details = {"office": office.pk, "deadline": deadline.isoformat()}
    if action == "report":
        if finding not in F.values:
            raise WorkflowError("反馈需要选择核查结论：属实 / 部分属实 / 不属实 / 无法核实")
        if not note.strip():
            raise WorkflowError("反馈需要填写核查情况说明")
        alert.finding = finding
        details = {"finding": finding}
    if action == "rectify" and alert.finding not in (F.TRUE, F.PARTLY):
        raise WorkflowError("只有核查属实或部分属实的预警才进入整改")
    if action == "rectify":
        if deadline is None:
            raise WorkflowError("进入整改需要填写整改期限")
        alert.deadline = deadline
        details = {"deadline": deadline.isoformat()}
    if action == "close" and alert.status == S.REPORTED and alert.finding in (F.TRUE, F.PARTLY):
        raise WorkflowError("核查属实的预警须先整改，整改完成后方可销号")
    if action == "close" and not note.strip():
        raise WorkflowError("销号需要填写销号说明")
    if action == "to_lead" and not note.strip():
        raise WorkflowError("转为问题线索需要填写转办说明")
    transition = AlertTransition.objects.create(
        alert=alert,
        from_status=alert.status,
        to_status=step.target,
        by=user,
        note=note,
        details=details,
        attachment=attachment or "",
    )
    alert.status = step.target
    alert.save()
    if action == "to_lead":
        _lead_hook(alert, user, note, transition)
    return transition


def _lead_hook(alert: Alert, user: Any, note: str, transition: AlertTransition) -> None:
    """Register the lead in the lead register (issue 9) and remember its number on the transition."""
    if not _lead_openers:
        raise WorkflowError("问题线索登记（jiandu.leads）未安装，不能转为问题线索")
    lead_no, lead_id = _lead_openers[0](alert, user, note)
    transition.details = {**transition.details, "lead_no": lead_no, "lead_id": lead_id}
    transition.save(update_fields=["details"])


def rule_verdicts() -> dict[str, dict[str, int]]:
    """Per rule: how many alerts were reported true, partly true, false or unverifiable."""
    out: dict[str, dict[str, int]] = {}
    rows = Alert.objects.exclude(finding="").values("rule_code", "finding").annotate(n=Count("id"))
    for row in rows:
        out.setdefault(row["rule_code"], {})[row["finding"]] = row["n"]
    return out


def observed_precision(verdicts: dict[str, int]) -> float | None:
    """Confirmed (属实 + 部分属实) over confirmed + false; unverifiable ones do not count either way."""
    confirmed = verdicts.get(F.TRUE, 0) + verdicts.get(F.PARTLY, 0)
    judged = confirmed + verdicts.get(F.FALSE, 0)
    return confirmed / judged if judged else None
