"""The 知悉范围 page of an alert or a lead: its handling office's leader adds and removes readers.

Thin views: the matter is fetched through its area's selector (404 for anyone who may not read it), the page
is refused (404) to anyone but a leader of the handling office while the matter is restricted, and the writes
are the services in grants.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jiandu.accounts.access import AccessRefused, access_checked, inside_access
from jiandu.accounts.grants import (
    GrantError,
    grant_candidates,
    grants_of,
    is_manager,
    need_to_know_grant,
    need_to_know_revoke,
)
from jiandu.accounts.models import NeedToKnowGrant


@dataclass(frozen=True)
class MatterKind:
    """A kind of matter under need-to-know, as its area registers it (`matter_kind_register`, from the area's
    AppConfig.ready: accounts knows no area above it)."""

    kind: str
    model: type[Model]
    office_field: str
    read_capability: str
    handle_capability: str
    detail_url: str
    page_url: str
    readable: Callable[[Any], QuerySet[Any]]  # the matters the user may read (through the access module)
    restricted: Callable[[], Q]  # the matters under need-to-know


KINDS: dict[str, MatterKind] = {}


def matter_kind_register(spec: MatterKind) -> None:
    KINDS[spec.kind] = spec


def is_restricted(spec: MatterKind, obj: Model) -> bool:
    """Whether `obj` (handed out by the access module) is under need-to-know: part of the access rule."""
    with inside_access():
        return spec.model._default_manager.filter(spec.restricted(), pk=obj.pk).exists()


class GrantForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("人员"),
        queryset=None,  # type: ignore[arg-type]
    )
    reason = forms.CharField(label=gettext_lazy("授权理由"), max_length=200)

    def __init__(self, *args: Any, candidates: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = candidates
        field.label_from_instance = lambda u: f"{u.organisation} · {u.get_full_name() or u.username}"


def _matter(request: HttpRequest, kind: str, pk: int) -> tuple[MatterKind, Any]:
    spec = KINDS[kind]
    try:
        obj = spec.readable(request.user).get(pk=pk)
    except (spec.model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        with inside_access():  # the refusal's reason, for the access log only
            exists = spec.model._default_manager.filter(pk=pk).exists()
        raise AccessRefused(
            "out_of_scope" if exists else "not_found",
            object_type=f"{spec.model._meta.app_label}.{spec.model._meta.model_name}",
            object_id=pk,
            capability=spec.read_capability,
        ) from exc
    if not is_manager(request.user, getattr(obj, spec.office_field)) or not is_restricted(spec, obj):
        raise AccessRefused(
            "no_capability",
            object_type=f"{spec.model._meta.app_label}.{spec.model._meta.model_name}",
            object_id=pk,
            capability=spec.handle_capability,
        )
    return spec, obj


def _page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec, obj = _matter(request, kind, pk)
    access_checked(request, obj)
    user: Any = request.user
    office_id = getattr(obj, spec.office_field)
    candidates = grant_candidates(
        kind=kind,
        obj=obj,
        office_id=office_id,
        read_capability=spec.read_capability,
        handle_capability=spec.handle_capability,
    )
    form = GrantForm(candidates=candidates)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                need_to_know_revoke(
                    request=request,
                    by=user,
                    kind=kind,
                    obj=obj,
                    office_id=office_id,
                    grant_id=request.POST.get("grant"),
                )
                messages.success(request, _("已撤销授权"))
                return redirect(spec.page_url, pk=obj.pk)
            form = GrantForm(request.POST, candidates=candidates)
            if form.is_valid():
                need_to_know_grant(
                    request=request,
                    by=user,
                    kind=kind,
                    obj=obj,
                    office_id=office_id,
                    grantee=form.cleaned_data["user"],
                    reason=form.cleaned_data["reason"],
                    read_capability=spec.read_capability,
                    handle_capability=spec.handle_capability,
                )
                messages.success(request, _("已加入知悉范围"))
                return redirect(spec.page_url, pk=obj.pk)
            messages.error(
                request,
                _("提交的内容有误：")
                + "；".join(f"{form.fields[k].label} {v[0]}" for k, v in form.errors.items()),
            )
        except GrantError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "accounts/need_to_know.html",
        {
            "obj": obj,
            "kind": kind,
            "title": str(obj.lead_no)
            if kind == NeedToKnowGrant.Kind.LEAD
            else f"{obj.rule_code} {obj.title}",
            "back": reverse(spec.detail_url, args=[obj.pk]),
            "grants": grants_of(kind, obj.pk),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_need_to_know(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, NeedToKnowGrant.Kind.ALERT, pk)


@login_required
@require_http_methods(["GET", "POST"])
def lead_need_to_know(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, NeedToKnowGrant.Kind.LEAD, pk)
