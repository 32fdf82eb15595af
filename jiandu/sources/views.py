"""Web pages for data clerks: upload a delivery, follow its import, download the error report, list deliveries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.accounts.access import require
from jiandu.accounts.roles import Capability
from jiandu.analytics.contract import load_contract
from jiandu.sources.blank import blank_template
from jiandu.sources.forms import UploadForm
from jiandu.sources.models import Delivery
from jiandu.sources.ratelimits import limit_uploads
from jiandu.sources.reports import report_path
from jiandu.sources.selectors import deliveries_for, delivery_for, delivery_group, delivery_progress
from jiandu.sources.uploads import (
    RetryRefused,
    UploadTooLarge,
    delivery_accept,
    delivery_retry,
    retry_refusal,
)


def _user(request: HttpRequest) -> Any:
    """The signed-in user (login_required ran); typed loosely because AUTH_USER_MODEL adds `can`."""
    return request.user


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_DELIVERIES)
    page = Paginator(deliveries_for(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sources/delivery_list.html",
        {"page": page, "can_deliver": _user(request).can(Capability.DELIVER_DATA)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@limit_uploads
def delivery_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.DELIVER_DATA)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            delivery = delivery_accept(
                upload=form.cleaned_data["file"],
                user=request.user,
                organisation=_user(request).organisation,
                table=form.cleaned_data["table"] or None,
            )
        except UploadTooLarge as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("文件已接收，正在导入。"))
            return redirect("delivery_detail", pk=delivery.pk)
    return render(request, "sources/delivery_upload.html", {"form": form})


@login_required
@require_GET
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = delivery_for(request.user, pk)
    group = [d for d in delivery_group(delivery) if d.pk != delivery.pk]
    failed = delivery.status == Delivery.Status.FAILED
    return render(
        request,
        "sources/delivery_detail.html",
        {
            "delivery": delivery,
            "progress": delivery_progress(delivery),
            "siblings": group,
            "has_report": report_path(delivery, "csv").exists(),
            "can_retry": failed and _user(request).can(Capability.DELIVER_DATA),
            "retry_refusal": retry_refusal(delivery) if failed else None,
            "retries": list(deliveries_for(request.user).filter(retry_of=delivery.parent or delivery)),
        },
    )


@login_required
@require_POST
def delivery_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a failed delivery's archived file again (a new delivery); the clerk's own scope only."""
    require(request.user, Capability.DELIVER_DATA)
    delivery = delivery_for(request.user, pk)
    try:
        retry = delivery_retry(delivery=delivery, user=request.user)
    except RetryRefused as exc:
        messages.error(request, str(exc))
        return redirect("delivery_detail", pk=delivery.pk)
    messages.success(request, _("已重新排队导入。"))
    return redirect("delivery_detail", pk=retry.pk)


@login_required
@require_GET
def delivery_progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    delivery = delivery_for(request.user, pk)
    return JsonResponse(delivery_progress(delivery))


@login_required
@require_GET
def delivery_errors(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    delivery = delivery_for(request.user, pk)
    if kind not in ("csv", "xlsx"):
        raise Http404("unknown report")
    path = report_path(delivery, kind)
    if not path.exists():
        raise Http404("no report")
    stem = delivery.file_name.rsplit(".", 1)[0]
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{stem}_错误报告_{delivery.pk}.{kind}",
        content_type=XLSX if kind == "xlsx" else "text/csv; charset=utf-8",
    )


def _require_any(request: HttpRequest) -> None:
    if not _user(request).can(Capability.DELIVER_DATA):
        require(request.user, Capability.VIEW_DELIVERIES)


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    return render(request, "sources/template_list.html", {"tables": list(load_contract().values())})


@login_required
@require_GET
def template_download(request: HttpRequest, table: str) -> HttpResponse:
    _require_any(request)
    contract = load_contract().get(table)
    if contract is None:
        raise Http404("unknown table")
    response = HttpResponse(blank_template(contract), content_type=XLSX)

    response["Content-Disposition"] = content_disposition_header(True, f"{contract.zh}_报送模板.xlsx")
    return response
