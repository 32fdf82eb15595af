"""Alerts raised by the rule engine, their evidence, and the closed loop that handles them.

An alert is identified across scans by its fingerprint (rule + subject + natural keys of the evidence), so a
re-scan keeps a still-supported alert (and its workflow history), marks one no longer supported, and adds new
ones. The workflow is 待分派 → 已分派 → 核查中 → 已反馈 → 整改中 → 已销号, or → 转为问题线索; every step is an
AlertTransition row (who, when, what).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scan(models.Model):
    """One run of the rule catalogue; recorded when it starts, so a scan whose process died is reported."""

    class Status(models.TextChoices):
        RUNNING = "running", _("扫描中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Phase(models.TextChoices):
        LOADING = "loading", _("正在载入登记库")
        RULES = "rules", _("正在运行规则")
        STORING = "storing", _("正在保存预警（一次提交）")

    as_of = models.DateField(_("扫描基准日"))
    rules = models.JSONField(_("规则"), default=list)
    params = models.JSONField(_("参数"), default=dict)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, null=True, blank=True
    )
    summary = models.JSONField(_("结果汇总"), default=dict)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    phase = models.CharField(_("处理阶段"), max_length=8, choices=Phase.choices, blank=True, default="")
    steps_done = models.IntegerField(_("已完成步骤"), default=0)
    steps_total = models.IntegerField(_("步骤总数"), default=0)
    message = models.TextField(_("说明"), blank=True, default="")
    # Which process runs the scan and its last progress write (jiandu/jobs/worker.py), checked by recovery.
    worker = models.CharField(_("处理进程"), max_length=200, blank=True, default="")
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("扫描")
        verbose_name_plural = _("扫描")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.as_of}"


class Alert(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待分派")
        ASSIGNED = "assigned", _("已分派")
        VERIFYING = "verifying", _("核查中")
        REPORTED = "reported", _("已反馈")
        RECTIFYING = "rectifying", _("整改中")
        CLOSED = "closed", _("已销号")
        TO_LEAD = "to_lead", _("转为问题线索")

    class Finding(models.TextChoices):
        TRUE = "true", _("属实")
        PARTLY = "partly", _("部分属实")
        FALSE = "false", _("不属实")
        UNVERIFIABLE = "unverifiable", _("无法核实")

    fingerprint = models.CharField(_("指纹"), max_length=64, unique=True)
    rule_code = models.CharField(_("规则代码"), max_length=16, db_index=True)
    rule_version = models.IntegerField(_("规则版本"))
    title = models.CharField(_("规则名称"), max_length=100)
    group = models.CharField(_("规则组"), max_length=8, db_index=True)
    severity = models.CharField(_("等级"), max_length=2, db_index=True)
    subject_type = models.CharField(_("对象类型"), max_length=16)
    subject_key = models.CharField(_("对象标识"), max_length=64, blank=True, default="", db_index=True)
    subject_label = models.CharField(_("对象名称"), max_length=200, blank=True, default="")
    unit_code = models.CharField(_("相关单位"), max_length=18, blank=True, default="", db_index=True)
    period_start = models.DateField(_("期间起"), null=True, blank=True)
    period_end = models.DateField(_("期间止"), null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict)
    computed = models.JSONField(_("计算值与阈值"), default=dict)
    evidence = models.JSONField(_("证据链"), default=list)
    scope_region = models.CharField(_("管辖区划"), max_length=6, blank=True, default="", db_index=True)
    supported = models.BooleanField(_("仍满足规则"), default=True)
    unsupported_at = models.DateTimeField(_("不再满足时间"), null=True, blank=True)
    unsupported_reason = models.CharField(_("不再满足原因"), max_length=200, blank=True, default="")
    first_scan = models.ForeignKey(
        Scan, on_delete=models.PROTECT, related_name="+", verbose_name=_("首次发现")
    )
    last_scan = models.ForeignKey(
        Scan, on_delete=models.PROTECT, related_name="+", verbose_name=_("最近扫描")
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    office = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("承办单位"), on_delete=models.PROTECT, null=True, blank=True
    )
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    finding = models.CharField(_("核查结论"), max_length=12, choices=Finding.choices, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.subject_key}"

    @property
    def rule(self) -> str:
        """The rule code, under the name the framework-free scoring expects."""
        return self.rule_code


# The one definition of which alerts are still open (not 已销号, not handed over as a lead): dashboards, portraits,
# the clearance letter and the alert selectors import these, never a list of their own.
OPEN_STATUSES = (
    Alert.Status.PENDING,
    Alert.Status.ASSIGNED,
    Alert.Status.VERIFYING,
    Alert.Status.REPORTED,
    Alert.Status.RECTIFYING,
)
# Open steps where someone must act by the alert's deadline: past it, the alert is overdue.
DEADLINE_STATUSES = (Alert.Status.ASSIGNED, Alert.Status.VERIFYING, Alert.Status.RECTIFYING)


class AlertTransition(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=12, choices=Alert.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Alert.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True, default="")
    details = models.JSONField(_("详情"), default=dict)
    attachment = models.FileField(_("附件"), upload_to="alerts/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("预警流转")
        verbose_name_plural = _("预警流转")
        ordering = ["at", "id"]
