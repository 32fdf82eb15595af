"""Deliveries: one file (or pushed payload) a department sent, and what became of it.

A delivery is the unit of provenance: every registry row points to the delivery, file, sheet and row it came
from, so any figure on any page can be traced back to what a department actually sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Phase(models.TextChoices):
        READING = "reading", _("正在读取并校验文件")
        STAGING = "staging", _("正在比对已有记录")
        WRITING = "writing", _("正在写入登记库（一次提交）")

    class Channel(models.TextChoices):
        WEB = "web", _("网页上传")
        CLI = "cli", _("命令行")
        API = "api", _("接口推送")

    file_name = models.CharField(_("文件名"), max_length=255)
    file_hash = models.CharField(_("文件摘要"), max_length=64, db_index=True)
    file_size = models.BigIntegerField(_("文件大小"), default=0)
    table_name = models.CharField(_("数据表"), max_length=40, blank=True, default="")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices, default=Channel.CLI)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("报送单位"), on_delete=models.PROTECT, null=True, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, null=True, blank=True
    )
    scope_region = models.CharField(_("管辖区划"), max_length=6, blank=True, default="", db_index=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    total_rows = models.IntegerField(_("总行数"), default=0)
    processed_rows = models.IntegerField(_("已处理行数"), default=0)
    accepted = models.IntegerField(_("新增"), default=0)
    updated = models.IntegerField(_("更新"), default=0)
    unchanged = models.IntegerField(_("未变化"), default=0)
    rejected = models.IntegerField(_("拒收"), default=0)
    message = models.TextField(_("说明"), blank=True, default="")
    phase = models.CharField(_("处理阶段"), max_length=8, choices=Phase.choices, blank=True, default="")
    # Which process runs the import and when it last reported progress (jiandu/jobs/worker.py): what recovery
    # checks to fail a delivery whose process died.
    worker = models.CharField(_("处理进程"), max_length=200, blank=True, default="")
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    retry_of = models.ForeignKey(
        "self",
        verbose_name=_("重试的报送"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retries",
    )
    source_sheet = models.CharField(_("工作表"), max_length=100, blank=True, default="")
    stored_path = models.CharField(_("存档路径"), max_length=500, blank=True, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("同一文件的首个报送"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="siblings",
    )
    api_token = models.ForeignKey(
        "sources.ApiToken",
        verbose_name=_("接口令牌"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )

    class Meta:
        verbose_name = _("数据报送")
        verbose_name_plural = _("数据报送")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class ApiToken(models.Model):
    """A partner system's credential for pushing deliveries through the API.

    The token itself is shown once at creation; only a keyed hash (HMAC with the site key, SM3 or SHA-256
    per JIANDU_CRYPTO) is stored, so a database dump does not yield usable credentials. A token may deliver
    only its listed tables and read only the deliveries it made.
    """

    name = models.CharField(_("名称"), max_length=100)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("所属组织"), on_delete=models.PROTECT
    )
    tables = models.JSONField(_("可报送的数据表"), default=list)
    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    algorithm = models.CharField(_("摘要算法"), max_length=8, default="sm3")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return self.name

    @property
    def is_authenticated(self) -> bool:
        """Lets DRF treat a token as the request's principal; it is never a user."""
        return True
