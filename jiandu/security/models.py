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
