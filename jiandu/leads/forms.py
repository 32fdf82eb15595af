"""Input forms of the lead pages; they validate shape only, the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from jiandu.accounts.models import Organisation
from jiandu.analytics.contract import load_contract
from jiandu.analytics.identifiers import id_problem
from jiandu.leads.models import Lead
from jiandu.leads.procedures import WAYS
from jiandu.leads.services import SubjectIn

SUBJECT_ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"})


def _categories() -> list[tuple[str, str]]:
    column = next(c for c in load_contract()["petitions"].columns if c.key == "category")
    return [(v, v) for v in column.values]


class RegisterForm(forms.Form):
    """Manual intake: another agency's transfer, a superior's assignment, or any other lead."""

    source = forms.ChoiceField(
        label="线索来源",
        choices=[
            (Lead.Source.TRANSFER, Lead.Source.TRANSFER.label),
            (Lead.Source.ASSIGNMENT, Lead.Source.ASSIGNMENT.label),
            (Lead.Source.PETITION, Lead.Source.PETITION.label),
            (Lead.Source.MANUAL, Lead.Source.MANUAL.label),
        ],
    )
    source_agency = forms.ChoiceField(
        label="移送机关", choices=[("", "—"), *Lead.Agency.choices], required=False
    )
    source_ref = forms.CharField(label="来文/交办文号", max_length=100, required=False)
    received = forms.DateField(label="受理日期", widget=DATE)
    scope_region = forms.CharField(label="管辖区划", max_length=6, min_length=6)
    category = forms.ChoiceField(label="问题类别", choices=_categories)
    matter = forms.CharField(label="反映事项", max_length=200)
    summary = forms.CharField(label="内容摘要", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_contact = forms.CharField(label="举报人联系方式", max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_subject_fields(self, first_required=True)

    def clean(self) -> dict[str, Any]:
        return _clean_subject_ids(self, super().clean() or {})

    def subjects(self) -> list[SubjectIn]:
        return _subjects(self.cleaned_data)


def _add_subject_fields(form: forms.Form, *, first_required: bool) -> None:
    for i in range(1, SUBJECT_ROWS + 1):
        form.fields[f"subject_name_{i}"] = forms.CharField(
            label=f"被反映人{i} 姓名", max_length=50, required=first_required and i == 1
        )
        form.fields[f"subject_id_{i}"] = forms.CharField(
            label=f"被反映人{i} 身份证号", max_length=18, required=False
        )
        form.fields[f"subject_unit_{i}"] = forms.CharField(
            label=f"被反映人{i} 单位", max_length=100, required=False
        )
        form.fields[f"subject_title_{i}"] = forms.CharField(
            label=f"被反映人{i} 职务", max_length=100, required=False
        )


def _clean_subject_ids(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    for i in range(1, SUBJECT_ROWS + 1):
        value = (data.get(f"subject_id_{i}") or "").strip().upper()
        if value and (problem := id_problem(value)):
            form.add_error(f"subject_id_{i}", problem)
    return data


def _subjects(d: dict[str, Any]) -> list[SubjectIn]:
    return [
        SubjectIn(
            name=d.get(f"subject_name_{i}") or "",
            id_number=(d.get(f"subject_id_{i}") or "").strip().upper(),
            unit=d.get(f"subject_unit_{i}") or "",
            title=d.get(f"subject_title_{i}") or "",
        )
        for i in range(1, SUBJECT_ROWS + 1)
    ]


class AgencyTransferForm(forms.Form):
    """A partner agency (公安/审计/巡察/财政) sends a lead to a commission."""

    to_org = forms.ModelChoiceField(label="接收单位", queryset=Organisation.objects.none())
    source_ref = forms.CharField(label="移送文号", max_length=100, required=False)
    finding_no = forms.CharField(label="本单位问题编号（审计、巡察发现问题）", max_length=100, required=False)
    category = forms.ChoiceField(label="问题类别", choices=_categories)
    matter = forms.CharField(label="反映事项", max_length=200)
    summary = forms.CharField(label="内容摘要", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, commissions: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = commissions  # type: ignore[attr-defined]
        _add_subject_fields(self, first_required=False)

    def clean(self) -> dict[str, Any]:
        return _clean_subject_ids(self, super().clean() or {})

    def subjects(self) -> list[SubjectIn]:
        return _subjects(self.cleaned_data)


class WayForm(forms.Form):
    way = forms.ChoiceField(label="处置方式", choices=[(k, w.label) for k, w in WAYS.items()])
    on = forms.DateField(label="确定日期", widget=DATE, required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConcludeForm(forms.Form):
    verdict = forms.ChoiceField(label="核查结论", choices=[("", "—"), *Lead.Verdict.choices], required=False)
    conclusion = forms.CharField(label="办结结论", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    form = forms.ChoiceField(label="形态", choices=[("", "无"), *Lead.Form.choices], required=False)
    measure = forms.CharField(label="处理方式", max_length=100, required=False)
    closed_on = forms.DateField(label="办结日期", widget=DATE, required=False)


class TransferForm(forms.Form):
    to_org = forms.ModelChoiceField(label="接收单位", queryset=Organisation.objects.none())
    note = forms.CharField(label="移送说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    include_reporter = forms.BooleanField(label="提供举报人信息", required=False)
    sent_on = forms.DateField(label="移送日期", widget=DATE, required=False)
    receipt_due = forms.DateField(label="签收期限", widget=DATE, required=False)
    feedback_due = forms.DateField(label="回告期限", widget=DATE, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = organisations  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    text = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FromRecordForm(forms.Form):
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_contact = forms.CharField(label="举报人联系方式", max_length=100, required=False)
