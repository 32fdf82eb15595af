"""Sign-in hardening state: failed attempts (for lockout) and TOTP devices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInFailure(models.Model):
    """One failed password or TOTP attempt. The username is kept as a keyed hash: a mistyped username is
    often the user's password typed into the wrong box."""

    username_hash = models.CharField(max_length=64)
    address = models.CharField(max_length=45, blank=True, default="")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, default="password")  # password | totp

    class Meta:
        verbose_name = _("登录失败记录")
        indexes = [
            models.Index(fields=["username_hash", "address", "at"], name="signin_account_addr_idx"),
            models.Index(fields=["address", "at"], name="signin_addr_idx"),
        ]


class TotpDevice(models.Model):
    """A user's authenticator (RFC 6238, 30 s, 6 digits). The shared secret is stored encrypted (SM4-GCM or
    AES-GCM, purpose "totp-secret"): a database dump alone does not give anyone the second factor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="totp_device"
    )
    secret_encrypted = models.TextField(_("密钥（加密）"))
    confirmed = models.BooleanField(_("已确认"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # The last accepted time step: a code is accepted once, so a shoulder-surfed code cannot be replayed.
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("双因素认证设备")
        verbose_name_plural = _("双因素认证设备")


class RecusalNotice(models.Model):
    """A blocked access under the recusal rules (registry/recusal.py), reported to the user's superiors: the
    leaders of the user's organisation see it on the 回避报告 page and mark it handled.

    Repeated attempts on the same object while the notice is open are counted on it rather than added, so
    a leader sees one line per (user, object). Proofs are (table, rid) pairs; no names or id_numbers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象ID"), max_length=64)
    entry = models.CharField(_("访问页面"), max_length=40, blank=True, default="")  # the URL name
    reasons = models.JSONField(_("回避事由"), default=list)
    proofs = models.JSONField(_("依据记录"), default=list)
    first_at = models.DateTimeField(_("首次时间"), auto_now_add=True, db_index=True)
    last_at = models.DateTimeField(_("最近时间"))
    attempts = models.PositiveIntegerField(_("访问次数"), default=1)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_note = models.TextField(_("处理意见"), blank=True, default="")

    class Meta:
        verbose_name = _("回避报告")
        verbose_name_plural = _("回避报告")
        ordering = ["-last_at", "-id"]
        indexes = [models.Index(fields=["organisation", "handled_at"], name="recusal_org_open_idx")]
