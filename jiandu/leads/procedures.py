"""The four ways of disposing of a lead (and case filing), as data: ordered steps, required fields, deadlines.

The table follows the procedure of 《中国共产党纪律检查机关监督执纪工作规则》 as the commissions apply it: a
谈话函询 is approved, the letter goes out (or the talk is held), the written reply comes back, and an opinion is
given; a 初步核实 needs an approved plan, then a verification report, then a proposal; a lead shelved pending
(暂存待查) is reviewed periodically; 予以了结 needs the approval and its reason; 立案审查调查 runs filing →
investigation report → trial → decision. Each step's deadline is counted in calendar days from the previous
step's date (the first step: from the day the way was chosen). The rules' 15 *working* days for a reply are
approximated by 15 calendar days here; a deployment may change `due_days` below — the rules are this table.

Deadlines are inclusive: a step due on D is on time when done on D.
"""

from __future__ import annotations

from dataclasses import dataclass

# Days a registered lead may wait for its way of disposal to be chosen.
INTAKE_DAYS = 30


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # "text" | "date"


@dataclass(frozen=True)
class StepDef:
    key: str
    label: str
    fields: tuple[Field, ...]
    due_days: int
    # the field holding the date the step was done (a date field of `fields`)
    date_field: str


@dataclass(frozen=True)
class Way:
    key: str
    label: str
    steps: tuple[StepDef, ...]
    # the lead's status while this way runs
    status: str
    form_required: bool = False

    def step(self, key: str) -> StepDef | None:
        return next((s for s in self.steps if s.key == key), None)


def _d(name: str, label: str) -> Field:
    return Field(name, label, "date")


def _t(name: str, label: str) -> Field:
    return Field(name, label, "text")


WAYS: dict[str, Way] = {
    w.key: w
    for w in (
        Way(
            "talk_inquiry",
            "谈话函询",
            (
                StepDef(
                    "approved",
                    "谈话函询审批",
                    (_d("approved_on", "批准日期"), _t("approver", "批准人")),
                    15,
                    "approved_on",
                ),
                StepDef(
                    "letter_sent",
                    "发出函询函（或开展谈话）",
                    (_d("sent_on", "发函日期"), _t("letter_no", "函件编号")),
                    15,
                    "sent_on",
                ),
                StepDef(
                    "reply_received",
                    "收到书面说明",
                    (_d("received_on", "收到日期"), _t("reply_summary", "说明材料摘要")),
                    15,
                    "received_on",
                ),
                StepDef(
                    "opinion",
                    "提出处理意见",
                    (_d("opinion_on", "日期"), _t("opinion", "处理意见")),
                    30,
                    "opinion_on",
                ),
            ),
            "disposing",
        ),
        Way(
            "preliminary_verification",
            "初步核实",
            (
                StepDef(
                    "plan_approved",
                    "初步核实方案审批",
                    (_d("approved_on", "批准日期"), _t("approver", "批准人"), _t("plan", "核实方案要点")),
                    15,
                    "approved_on",
                ),
                StepDef(
                    "report",
                    "初步核实情况报告",
                    (_d("report_on", "报告日期"), _t("report", "核实情况")),
                    90,
                    "report_on",
                ),
                StepDef(
                    "proposal",
                    "提出处置建议并审批",
                    (_d("decided_on", "审批日期"), _t("proposal", "处置建议")),
                    15,
                    "decided_on",
                ),
            ),
            "disposing",
        ),
        Way(
            "shelve",
            "暂存待查",
            (
                StepDef(
                    "approved",
                    "暂存待查审批",
                    (_d("approved_on", "批准日期"), _t("reason", "暂存理由")),
                    15,
                    "approved_on",
                ),
                StepDef(
                    "reviewed",
                    "定期排查",
                    (_d("reviewed_on", "排查日期"), _t("review", "排查情况")),
                    180,
                    "reviewed_on",
                ),
            ),
            "shelved",
        ),
        Way(
            "close",
            "予以了结",
            (
                StepDef(
                    "approved",
                    "了结审批",
                    (_d("approved_on", "批准日期"), _t("approver", "批准人"), _t("reason", "了结理由")),
                    15,
                    "approved_on",
                ),
            ),
            "disposing",
        ),
        Way(
            "case_filing",
            "立案审查调查",
            (
                StepDef(
                    "filed",
                    "立案审批",
                    (_d("filed_on", "立案日期"), _t("case_no", "案件编号")),
                    15,
                    "filed_on",
                ),
                StepDef(
                    "investigated",
                    "审查调查报告",
                    (_d("report_on", "报告日期"), _t("report", "审查调查情况")),
                    90,
                    "report_on",
                ),
                StepDef(
                    "tried",
                    "案件审理",
                    (_d("tried_on", "审理日期"), _t("trial_opinion", "审理意见")),
                    30,
                    "tried_on",
                ),
                StepDef(
                    "decided",
                    "作出处理决定",
                    (_d("decided_on", "决定日期"), _t("decision_no", "决定文号")),
                    30,
                    "decided_on",
                ),
            ),
            "case_filed",
            form_required=True,
        ),
    )
}

# The ways a lead shelved pending may leave to; every other way is final once chosen.
REOPENABLE_FROM = ("shelve",)
