"""Sign-in and TOTP forms, with messages that do not reveal whether an account exists."""

from __future__ import annotations

import copy

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.security.backends import LOCKOUT_ATTRIBUTE


class SignInForm(AuthenticationForm):
    locked = False

    def get_invalid_login_error(self) -> ValidationError:
        state = getattr(self.request, LOCKOUT_ATTRIBUTE, None)
        if state is not None:
            self.locked = True
            minutes = max(1, (state.retry_after_seconds + 59) // 60)
            return ValidationError(
                _("登录失败次数过多，已暂时锁定，请 %(minutes)s 分钟后再试。") % {"minutes": minutes},
                code="locked",
            )
        return ValidationError(_("用户名或密码不正确，请重新输入。"), code="invalid_login")


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态验证码"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
    )

    def clean_code(self) -> str:
        return _six_digits(self.cleaned_data["code"])


def _six_digits(value: str) -> str:
    code = value.strip()
    if not code.isdigit():
        raise ValidationError(_("验证码应为6位数字。"))
    return code


class StepUpForm(forms.Form):
    """Re-authentication before a sensitive operation: the password, and the TOTP code when the user must
    use one. The message on failure never says which of the two was wrong."""

    password = forms.CharField(
        label=gettext_lazy("登录密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, needs_code: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if needs_code:
            self.fields["code"] = copy.deepcopy(TotpCodeForm.base_fields["code"])

    def clean_code(self) -> str:
        return _six_digits(self.cleaned_data["code"])
