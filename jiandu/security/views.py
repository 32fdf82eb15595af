"""Second-factor pages, step-up re-authentication and "sign out everywhere": validate, call one service,
render."""

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
from jiandu.security.forms import StepUpForm, TotpCodeForm
from jiandu.security.lockout import lockout_state, sign_in_failure_record
from jiandu.security.signals import SESSION_TOTP_OK
from jiandu.security.stepup import step_up_mark, step_up_seconds
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
    totp_required,
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


def _failed(
    request: HttpRequest,
    *,
    kind: str = "totp",
    action: str = Action.TOTP_FAILED,
    details: dict[str, str] | None = None,
) -> HttpResponse | None:
    """Count a wrong code (or a wrong password at step-up) like a wrong password at sign-in; sign the
    session out once the pair is locked."""
    username = request.user.get_username()
    address = client_address(request)
    sign_in_failure_record(username=username, address=address, kind=kind)
    access_event_record(request_or_user=request, action=action, obj=_user(request), details=details)
    return _signed_out_if_locked(request)


def _signed_out_if_locked(request: HttpRequest) -> HttpResponse | None:
    if lockout_state(username=request.user.get_username(), address=client_address(request)).locked:
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
@require_http_methods(["GET", "POST"])
def step_up(request: HttpRequest) -> HttpResponse:
    """Re-enter the password (and the TOTP code) before a sensitive operation (jiandu/security/stepup.py).

    Checked in the order of sign-in: a locked (account, address) pair is signed out before the password is
    tested, so this page cannot be used to guess passwords either; each failure counts towards the lock.
    """
    user = _user(request)
    needs_code = totp_required(user)
    device = confirmed_device(user) if needs_code else None
    if needs_code and device is None:
        return redirect("totp_setup")
    locked = _signed_out_if_locked(request)
    if locked is not None:
        return locked
    form = StepUpForm(request.POST or None, needs_code=needs_code)
    if request.method == "POST" and form.is_valid():
        if not user.check_password(form.cleaned_data["password"]):
            failed = _failed(
                request, kind="step_up", action=Action.STEP_UP_FAILED, details={"factor": "password"}
            )
        elif device is not None and not totp_code_check(device, form.cleaned_data["code"]):
            failed = _failed(request, kind="totp", action=Action.STEP_UP_FAILED, details={"factor": "totp"})
        else:
            request.session.cycle_key()
            step_up_mark(request)
            access_event_record(
                request_or_user=request,
                action=Action.STEP_UP,
                obj=user,
                details={"factors": "password+totp" if device is not None else "password"},
            )
            return HttpResponseRedirect(_next_url(request))
        if failed is not None:
            return failed
        form.add_error(None, _("密码或验证码不正确，请重新输入。"))
    context = {
        "form": form,
        "next": _next_url(request),
        "minutes": step_up_seconds() // 60,
        "needs_code": needs_code,
    }
    return render(request, "security/step_up.html", context)


@login_required
@require_POST
def sessions_end(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere: every session of this user, this one included, stops working."""
    user_sessions_end(user=_user(request), by=request)
    logout(request)
    messages.info(request, _("已在所有设备上退出登录。"))
    return redirect("login")
