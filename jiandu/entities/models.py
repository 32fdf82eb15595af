"""Resolved entities as the web and the rules see them, the review queue, and supervisors' judgements.

The resolution engine (jiandu.analytics.resolution) decides; this app stores its output (EntityLink), the
uncertain pairs for review (ReviewItem, with each feature's contribution) and the verdicts (Judgement, one
current row per pair plus JudgementEvent history), which every later run respects. Reverting a verdict is a
new event, so merges and splits are audited and reversible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResolveRun(models.Model):
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    incremental = models.BooleanField(_("增量"), default=False)
    last_delivery_id = models.BigIntegerField(_("已处理的最大报送编号"), default=0)
    changed = models.JSONField(_("变更行数"), default=dict)
    stats = models.JSONField(_("统计"), default=dict)

    class Meta:
        verbose_name = _("实体归并运行")
        verbose_name_plural = _("实体归并运行")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class EntityLink(models.Model):
    class Status(models.TextChoices):
        LINKED = "linked", _("已关联")
        PROPOSED = "proposed", _("待确认")

    source_table = models.CharField(_("数据表"), max_length=40)
    record_id = models.BigIntegerField(_("记录ID"))
    field = models.CharField(_("字段"), max_length=40)
    entity_id = models.CharField(_("实体"), max_length=80, db_index=True)
    # the keyed hash of the ID (what the registry hands to resolution), never the ID itself
    id_number = models.CharField(_("身份证号（摘要）"), max_length=64, blank=True, default="", db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, default="", db_index=True)
    method = models.CharField(_("方法"), max_length=32)
    score = models.FloatField(_("得分"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("实体关联")
        verbose_name_plural = _("实体关联")
        indexes = [models.Index(fields=["source_table", "record_id"])]

    def __str__(self) -> str:
        return f"{self.source_table}:{self.record_id}:{self.field} → {self.entity_id}"


class ReviewItem(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("人员")
        PETITION = "petition", _("信访对象")
        COMPANY = "company", _("企业")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    left_key = models.CharField(_("左"), max_length=80)
    right_key = models.CharField(_("右"), max_length=80)
    score = models.FloatField(_("匹配概率"))
    match_weight = models.FloatField(_("匹配权重"), null=True, blank=True)
    contributions = models.JSONField(_("各特征贡献"), default=dict)
    scope_region = models.CharField(_("管辖区划"), max_length=6, blank=True, default="", db_index=True)
    open = models.BooleanField(_("待处理"), default=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待确认关联")
        verbose_name_plural = _("待确认关联")
        constraints = [models.UniqueConstraint(fields=["left_key", "right_key"], name="review_item_pair")]
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return f"{self.left_key} ↔ {self.right_key}"


class Judgement(models.Model):
    class Verdict(models.TextChoices):
        SAME = "same", _("同一")
        DIFFERENT = "different", _("不同")
        UNSURE = "unsure", _("不确定")

    left_key = models.CharField(_("左"), max_length=80)
    right_key = models.CharField(_("右"), max_length=80)
    verdict = models.CharField(_("结论"), max_length=10, choices=Verdict.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("判定人"))
    at = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        verbose_name = _("人工判定")
        verbose_name_plural = _("人工判定")
        constraints = [models.UniqueConstraint(fields=["left_key", "right_key"], name="judgement_pair")]

    def __str__(self) -> str:
        return f"{self.left_key} {self.verdict} {self.right_key}"


class JudgementEvent(models.Model):
    """Append-only history: every verdict given or withdrawn, by whom and when."""

    left_key = models.CharField(_("左"), max_length=80)
    right_key = models.CharField(_("右"), max_length=80)
    verdict = models.CharField(_("结论"), max_length=10, blank=True, default="")  # "" = withdrawn
    previous = models.CharField(_("原结论"), max_length=10, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("判定人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True, default="")

    class Meta:
        verbose_name = _("判定记录")
        verbose_name_plural = _("判定记录")
        ordering = ["at", "id"]
