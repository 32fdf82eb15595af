"""The access log page for commission leaders and auditors (Capability.VIEW_ACCESS_LOG)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jiandu.accounts.access import require
from jiandu.accounts.roles import Capability
from jiandu.audit.models import Action
from jiandu.audit.selectors import LogFilter, access_events_for
from jiandu.audit.services import access_event_record, search_term_hash


class LogFilterForm(forms.Form):
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("动作"), required=False, choices=[("", _("全部")), *Action.choices])
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=60)
    object_id = forms.CharField(label=_("对象ID"), required=False, max_length=64)
    search_term = forms.CharField(label=_("检索词"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_ACCESS_LOG)
    form = LogFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    log_filter = LogFilter(**{k: v for k, v in values.items() if v})
    # Reading the log is itself logged (first, so the page and its count agree); a search term only as its
    # keyed hash, like any other search.
    details = {k: str(v) for k, v in values.items() if v and k != "search_term"}
    if log_filter.search_term:
        details["search_term_hash"] = search_term_hash(log_filter.search_term)
    access_event_record(
        request_or_user=request, action=Action.SEARCH, object_type="audit.access_log", details=details
    )
    events = access_events_for(request.user, log_filter)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/access_log.html", {"form": form, "page": page, "query": query.urlencode()})
