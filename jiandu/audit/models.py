"""The access log: who looked at, searched, exported or changed what, hash-chained and append-only.

Each event stores the hash of the event before it (`prev_hash`) and its own `entry_hash`, the digest (SM3, or
SHA-256 with JIANDU_CRYPTO=intl) of a canonical serialisation of its fields plus `prev_hash`. Changing,
removing or inserting a row breaks the chain at that point, which `jiandu audit verify` reports. `seq` numbers
the chain without gaps; `ChainHead` is the single row appends lock to stay in order (see services.py).

Events never hold personal data in plain text: objects are named by table and primary key, search terms by a
keyed hash and their length, user agents by a keyed hash.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an access log entry."""


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    LIST = "list", _("浏览列表")
    SEARCH = "search", _("检索")
    EXPORT = "export", _("导出")
    CHANGE = "change", _("修改")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    LOCKED_OUT = "locked_out", _("锁定拒绝")
    TOTP_VERIFIED = "totp_verified", _("双因素验证通过")
    TOTP_FAILED = "totp_failed", _("双因素验证失败")
    TOTP_ENROLLED = "totp_enrolled", _("绑定双因素")
    SESSIONS_ENDED = "sessions_ended", _("结束全部会话")
    DENIED = "denied", _("拒绝访问")
    STEP_UP = "step_up", _("再次验证身份")
    STEP_UP_FAILED = "step_up_failed", _("再次验证失败")
    REVEAL = "reveal", _("查看举报人信息")
    RECUSED = "recused", _("回避拦截")


class AccessEventQuerySet(models.QuerySet["AccessEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("access log entries cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("access log entries cannot be deleted")


class AccessEvent(models.Model):
    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("用户"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True, default="")
    # The actor's jurisdiction when the event happened: scopes who may read the event (accounts/access.py).
    scope_region = models.CharField(_("管辖区划"), max_length=6, blank=True, default="", db_index=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True, default="")
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True, default="")
    path = models.CharField(_("请求路径"), max_length=300, blank=True, default="")
    client_address = models.CharField(_("客户端地址"), max_length=45, blank=True, default="")
    user_agent_hash = models.CharField(_("浏览器标识摘要"), max_length=64, blank=True, default="")
    details = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条摘要"), max_length=64)
    entry_hash = models.CharField(_("本条摘要"), max_length=64, unique=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("访问日志")
        verbose_name_plural = _("访问日志")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("access log entries cannot be changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("access log entries cannot be deleted")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """The one row appends lock: the last sequence number and hash of the chain."""

    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("日志链头")
