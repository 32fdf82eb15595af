"""The lead register (问题线索): intake, disposal steps, transfers between agencies, outcomes, history.

A lead is numbered XS-<year>-<6 digits>, one sequence per year. It names where it came from (a petition, an
alert, an audit or inspection finding, another agency's transfer, a superior's assignment, manual entry), the
people it is about (LeadSubject, linked to the officials register by id_number), and the jurisdiction it
belongs to (`scope_region`, as every protected row). Its disposal follows one of the ways in procedures.py,
each step a LeadStep row; its transfers to other organisations are LeadTransfer rows with receipt and feedback
deadlines; every change is a LeadEvent (append-only: services only ever create them).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.leads.procedures import WAYS
from jiandu.registry.ids import PersonIdFields

WAY_CHOICES = [(key, way.label) for key, way in WAYS.items()]


class Lead(models.Model):
    class Source(models.TextChoices):
        PETITION = "petition", _("信访举报")
        ALERT = "alert", _("平台预警")
        AUDIT = "audit_finding", _("审计发现问题")
        INSPECTION = "inspection_finding", _("巡察发现问题")
        TRANSFER = "transfer", _("外单位移送")
        ASSIGNMENT = "assignment", _("上级交办")
        MANUAL = "manual", _("其他（手工登记）")

    class Agency(models.TextChoices):
        POLICE = "公安", _("公安机关")
        PROCURATORATE = "检察", _("检察机关")
        COURT = "法院", _("审判机关")
        AUDIT = "审计", _("审计机关")
        INSPECTION = "巡察", _("巡察机构")
        OTHER = "其他", _("其他单位")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("待处置")
        DISPOSING = "disposing", _("处置中")
        SHELVED = "shelved", _("暂存待查")
        CASE_FILED = "case_filed", _("立案审查调查")
        CLOSED = "closed", _("已办结")

    class Verdict(models.TextChoices):
        TRUE = "true", _("属实")
        PARTLY = "partly", _("部分属实")
        FALSE = "false", _("不属实")
        UNVERIFIABLE = "unverifiable", _("无法查实")

    class Form(models.TextChoices):
        FIRST = "第一种形态", _("第一种形态")
        SECOND = "第二种形态", _("第二种形态")
        THIRD = "第三种形态", _("第三种形态")
        FOURTH = "第四种形态", _("第四种形态")

    lead_no = models.CharField(_("线索编号"), max_length=20, unique=True)
    year = models.IntegerField(_("年度"))
    seq = models.IntegerField(_("年度序号"))
    received = models.DateField(_("受理日期"))
    source = models.CharField(_("来源"), max_length=24, choices=Source.choices)
    source_agency = models.CharField(
        _("移送机关"), max_length=8, choices=Agency.choices, blank=True, default=""
    )
    source_ref = models.CharField(_("来文编号"), max_length=100, blank=True, default="")
    source_table = models.CharField(_("来源数据表"), max_length=40, blank=True, default="")
    source_rid = models.BigIntegerField(_("来源记录ID"), null=True, blank=True)
    alert = models.ForeignKey(
        "alerts.Alert", verbose_name=_("来源预警"), on_delete=models.PROTECT, null=True, blank=True
    )
    category = models.CharField(_("问题类别"), max_length=32)
    matter = models.CharField(_("反映事项"), max_length=200)
    summary = models.TextField(_("内容摘要"), blank=True, default="")
    scope_region = models.CharField(_("管辖区划"), max_length=6, db_index=True)
    handling_org = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    way = models.CharField(_("处置方式"), max_length=32, choices=WAY_CHOICES, blank=True, default="")
    way_started = models.DateField(_("处置方式确定日期"), null=True, blank=True)
    # incremented each time a way is chosen, so the steps of a later way never count for an earlier one
    way_round = models.IntegerField(_("处置轮次"), default=0)
    due = models.DateField(_("处置期限"))
    verdict = models.CharField(_("核查结论"), max_length=12, choices=Verdict.choices, blank=True, default="")
    conclusion = models.TextField(_("办结结论"), blank=True, default="")
    form = models.CharField(_("形态"), max_length=8, choices=Form.choices, blank=True, default="")
    measure = models.CharField(_("处理方式"), max_length=100, blank=True, default="")
    closed = models.DateField(_("办结日期"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("疑似重复"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Sealed (encrypted with jiandu.security.crypto): see jiandu/leads/secrecy.py.
    reporter_name = models.TextField(_("举报人姓名"), blank=True, default="")
    reporter_contact = models.TextField(_("举报人联系方式"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="lead_year_seq")]
        indexes = [models.Index(fields=["source_table", "source_rid"])]

    def __str__(self) -> str:
        return self.lead_no


class LeadCounter(models.Model):
    """The last sequence number used in a year; locked while a lead is numbered."""

    year = models.IntegerField(primary_key=True)
    last = models.IntegerField(default=0)


class LeadSubject(PersonIdFields):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("单位"), max_length=100, blank=True, default="")
    title = models.CharField(_("职务"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("被反映人")
        verbose_name_plural = _("被反映人")
        ordering = ["id"]


class LeadStep(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="steps")
    way = models.CharField(_("处置方式"), max_length=32)
    round = models.IntegerField(_("处置轮次"))
    step = models.CharField(_("步骤"), max_length=32)
    done_on = models.DateField(_("完成日期"))
    due = models.DateField(_("期限"))
    values = models.JSONField(_("填报内容"), default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("处置步骤")
        verbose_name_plural = _("处置步骤")
        ordering = ["id"]

    @property
    def on_time(self) -> bool:
        return self.done_on <= self.due


class LeadTransfer(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="transfers")
    from_org = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("移送单位"), on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("移送日期"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("移送说明"), blank=True, default="")
    include_reporter = models.BooleanField(_("提供举报人信息"), default=False)
    receipt_due = models.DateField(_("签收期限"))
    received_on = models.DateField(_("签收日期"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    feedback_due = models.DateField(_("回告期限"))
    feedback_on = models.DateField(_("回告日期"), null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    feedback = models.TextField(_("办理结果"), blank=True, default="")

    class Meta:
        verbose_name = _("线索移送")
        verbose_name_plural = _("线索移送")
        ordering = ["id"]


class LeadEvent(models.Model):
    """One entry of a lead's history; never updated or deleted (services only create them)."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=32)
    label = models.CharField(_("说明"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    transfer = models.ForeignKey(
        LeadTransfer, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    details = models.JSONField(_("详情"), default=dict)

    class Meta:
        verbose_name = _("线索记录")
        verbose_name_plural = _("线索记录")
        ordering = ["at", "id"]


class LeadOutcome(PersonIdFields):
    """A four-forms outcome of a concluded lead, per subject: read by the portrait with discipline_records."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="outcomes")
    name = models.CharField(_("姓名"), max_length=50)
    decided = models.DateField(_("处理日期"))
    form = models.CharField(_("形态"), max_length=8, choices=Lead.Form.choices)
    measure = models.CharField(_("处理方式"), max_length=100)
    scope_region = models.CharField(_("管辖区划"), max_length=6, db_index=True)

    class Meta:
        verbose_name = _("线索处置结果")
        verbose_name_plural = _("线索处置结果")
        ordering = ["-decided", "-id"]


class FindingFeedback(models.Model):
    """The result of a lead sent back to the audit/inspection finding (or petition) it came from."""

    source_table = models.CharField(_("来源数据表"), max_length=40)
    source_rid = models.BigIntegerField(_("来源记录ID"))
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="finding_feedback")
    at = models.DateTimeField(_("回告时间"), auto_now_add=True)
    text = models.TextField(_("处置结果"))
    scope_region = models.CharField(_("管辖区划"), max_length=6, db_index=True)

    class Meta:
        verbose_name = _("移送问题处置结果")
        verbose_name_plural = _("移送问题处置结果")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["source_table", "source_rid"])]


def request_cutoff() -> dt.datetime:
    """Requests made at or before this moment and still pending have lapsed (JIANDU_REPORTER_REQUEST_HOURS)."""
    return timezone.now() - dt.timedelta(hours=int(settings.JIANDU_REPORTER_REQUEST_HOURS))


class ReporterDisclosure(models.Model):
    """A petition-office request to see a lead's reporter (举报人信息) and a leader's decision on it.

    Four eyes: the requester (信访室) and the approver (a leader over the requester) are two different users.
    An approval opens the identity to the requester alone, until `expires_at`; every showing is an access-log
    event (action reveal). Rows are kept as the record of who asked, why, and who allowed it.
    See jiandu/leads/disclosure.py.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="reporter_disclosures")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("查看截止时间"), null=True, blank=True)

    @property
    def lapsed(self) -> bool:
        """A pending request no leader decided within JIANDU_REPORTER_REQUEST_HOURS: it can no longer be
        approved, and no longer blocks a new request (jiandu/leads/disclosure.py)."""
        return self.status == self.Status.PENDING and self.requested_at <= request_cutoff()

    def status_label(self) -> str:
        return str(_("已失效（逾期未审批）")) if self.lapsed else str(self.get_status_display())

    shown_count = models.IntegerField(_("查看次数"), default=0)

    class Meta:
        verbose_name = _("举报人信息查看申请")
        verbose_name_plural = _("举报人信息查看申请")
        ordering = ["-id"]
