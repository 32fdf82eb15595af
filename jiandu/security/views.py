"""Second-factor pages and "sign out everywhere": validate, call one service, render."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jiandu.accounts.models import User
from jiandu.accounts.services import user_sessions_end
from jiandu.audit.models import Action
from jiandu.audit.services import access_event_record
from jiandu.security.client import client_address
from jiandu.security.forms import TotpCodeForm
from jiandu.security.lockout import lockout_state, sign_in_failure_record
from jiandu.security.signals import SESSION_TOTP_OK
from jiandu.security.totp import (
    confirmed_device,
    device_secret,
    pending_device,
    provisioning_uri,
    qr_svg_data_uri,
    secret_for_display,
    totp_code_check,
    totp_enrolment_confirm,
    totp_enrolment_start,
)


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _passed(request: HttpRequest) -> HttpResponseRedirect:
    request.session.cycle_key()  # a new session id once the second factor is passed
    request.session[SESSION_TOTP_OK] = True
    return HttpResponseRedirect(_next_url(request))


def _failed(request: HttpRequest) -> HttpResponse | None:
    """Count a wrong code like a wrong password; sign the session out once the pair is locked."""
    username = request.user.get_username()
    address = client_address(request)
    sign_in_failure_record(username=username, address=address, kind="totp")
    access_event_record(request_or_user=request, action=Action.TOTP_FAILED, obj=_user(request))
    if lockout_state(username=username, address=address).locked:
        logout(request)
        messages.error(request, _("验证失败次数过多，已暂时锁定，请稍后重新登录。"))
        return redirect("login")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is not None:
        if request.session.get(SESSION_TOTP_OK):
            return render(request, "security/totp_enrolled.html")
        return redirect("totp_verify")
    device = pending_device(request.user) or totp_enrolment_start(request.user)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_enrolment_confirm(device, form.cleaned_data["code"]):
            access_event_record(request_or_user=request, action=Action.TOTP_ENROLLED, obj=_user(request))
            return _passed(request)
        refused = _failed(request)
        if refused is not None:
            return refused
        form.add_error("code", _("验证码不正确，请核对手机时间后重试。"))
    secret = device_secret(device)
    uri = provisioning_uri(request.user, secret)
    context = {
        "form": form,
        "secret": secret_for_display(secret),
        "qr": qr_svg_data_uri(uri),
        "next": _next_url(request),
    }
    return render(request, "security/totp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def totp_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return redirect("totp_setup")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_code_check(device, form.cleaned_data["code"]):
            access_event_record(request_or_user=request, action=Action.TOTP_VERIFIED, obj=_user(request))
            return _passed(request)
        refused = _failed(request)
        if refused is not None:
            return refused
        form.add_error("code", _("验证码不正确或已使用，请输入新的验证码。"))
    return render(request, "security/totp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def sessions_end(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere: every session of this user, this one included, stops working."""
    user_sessions_end(user=_user(request), by=request)
    logout(request)
    messages.info(request, _("已在所有设备上退出登录。"))
    return redirect("login")
