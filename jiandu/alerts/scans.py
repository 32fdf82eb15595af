"""Reads and pages of scans as jobs: status, phase and progress of each run of the rule catalogue.

A scan runs over the whole registry and carries no personal data and no region; the pages show the job only
(when, which phase, how many rules run, why it failed) — never alert counts, which the scoped alert list
gives each user for their own jurisdiction. Readers need the right to read alerts.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jiandu.accounts.access import AccessRefused, require
from jiandu.accounts.roles import Capability
from jiandu.alerts.models import Scan


def scan_for(user: Any, pk: Any) -> Scan:
    """One scan for a user who may read alerts, or a 404 (AccessRefused) like any refusal."""
    require(user, Capability.VIEW_ALERTS)
    scan = Scan.objects.filter(pk=pk).first()
    if scan is None:
        raise AccessRefused("not_found", object_type="alerts.scan", object_id=pk)
    return scan


def scan_progress(scan: Scan) -> dict[str, Any]:
    label = scan.get_phase_display() if scan.status == Scan.Status.RUNNING and scan.phase else None
    total = scan.steps_total
    return {
        "id": scan.pk,
        "status": scan.status,
        "status_label": str(label or scan.get_status_display()),
        "steps_done": scan.steps_done,
        "steps_total": total,
        "percent": round(100 * scan.steps_done / total) if total else 0,
        "message": scan.message,
        "finished": scan.status != Scan.Status.RUNNING,
    }


@login_required
@require_GET
def scan_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_ALERTS)
    page = Paginator(Scan.objects.select_related("started_by"), 50).get_page(request.GET.get("page"))
    rows = [(scan, scan_progress(scan)) for scan in page]
    return render(request, "alerts/scan_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def scan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scan = scan_for(request.user, pk)
    return render(request, "alerts/scan_detail.html", {"scan": scan, "progress": scan_progress(scan)})


@login_required
@require_GET
def scan_progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(scan_progress(scan_for(request.user, pk)))
