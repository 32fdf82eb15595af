"""Thin web views: validate, ask the access module, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jiandu.accounts.access import access_record, records_for, records_listed, require
from jiandu.accounts.models import User
from jiandu.accounts.roles import Capability
from jiandu.audit.services import record_list, record_search, record_view
from jiandu.registry.models import REGISTRY, RecordVersion
from jiandu.registry.selectors import (
    has_ids,
    record_display,
    registry_counts,
    search_condition,
    shown,
    version_display,
)
from jiandu.security.ratelimit import rate_limited_response, reading_rate_exceeded


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = registry_counts(user) if isinstance(user, User) and user.can(Capability.VIEW_REGISTRY) else []
    return render(request, "web/home.html", {"counts": counts})


@login_required
@require_GET
def registry_index(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_REGISTRY)
    return render(request, "web/registry_index.html", {"counts": registry_counts(request.user)})


def _model_or_404(table: str):  # type: ignore[no-untyped-def]
    model = REGISTRY.get(table)
    if model is None:
        raise Http404("unknown table")
    return model


@login_required
@require_GET
def registry_list(request: HttpRequest, table: str) -> HttpResponse:
    model = _model_or_404(table)
    if reading_rate_exceeded(request.user):
        return rate_limited_response(request, object_type=f"registry.{model.table.name}")
    rows = records_listed(request.user, records_for(request.user, model.objects.all())).order_by("-id")
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(search_condition(model.table, query))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    # Every list page is logged with the ids it shows: a list of officials is as much an access as a detail.
    object_type = f"registry.{model.table.name}"
    shown_ids = [row.pk for row in page]
    if query:
        record_search(
            request,
            object_type=object_type,
            query=query,
            result_count=page.paginator.count,
            shown_ids=shown_ids,
        )
    else:
        record_list(request, object_type=object_type, shown_ids=shown_ids, page_number=page.number)
    columns = list(model.table.columns)
    return render(
        request,
        "web/registry_list.html",
        {
            "table": model.table,
            "columns": columns,
            "page": page,
            "query": query,
            "rows": [(row.pk, [shown(row, c) for c in columns]) for row in page],
        },
    )


@login_required
@require_GET
def registry_detail(request: HttpRequest, table: str, pk: int) -> HttpResponse:
    model = _model_or_404(table)
    record = access_record(request, model.objects.select_related("delivery"), pk)
    ids = has_ids(record)
    may_unmask = bool(ids) and request.user.can(Capability.VIEW_FULL_ID)  # type: ignore[union-attr]
    full = may_unmask and request.GET.get("unmask") == "1"
    record_view(request, record, unmasked=ids if full else None)
    versions = RecordVersion.objects.filter(table_name=table, record_id=record.pk).order_by("-replaced_at")
    return render(
        request,
        "web/registry_detail.html",
        {
            "table": model.table,
            "record": record,
            "fields": record_display(record, full=full),
            "may_unmask": may_unmask and not full,
            "versions": [(v, version_display(model.table, v.values)) for v in versions],
        },
    )
