"""Reads of the sources app, always through the access module."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiandu.accounts.access import record_for, records_for
from jiandu.accounts.roles import Capability
from jiandu.sources.models import Delivery


def deliveries_for(user: Any) -> QuerySet[Delivery]:
    """Deliveries the user may see: scoped by the delivering organisation's region."""
    queryset = Delivery.objects.select_related("organisation", "submitted_by")
    return records_for(user, queryset, capability=Capability.VIEW_DELIVERIES)


def delivery_for(user: Any, pk: Any) -> Delivery:
    """One delivery for the user, or Http404."""
    queryset = Delivery.objects.select_related("organisation", "submitted_by", "parent")
    return record_for(user, queryset, pk, capability=Capability.VIEW_DELIVERIES)


def status_label(delivery: Any) -> str:
    """The status in words; a running delivery says which phase it is in. While the checked rows are written
    into the registry in one transaction (jiandu/sources/merge.py) no progress of its own is reported, so the
    phase is what tells the clerk the import is not stuck at 100 %."""
    if delivery.status != Delivery.Status.RUNNING:
        return str(delivery.get_status_display())
    if delivery.phase:
        return str(delivery.get_phase_display())
    if delivery.total_rows and delivery.processed_rows >= delivery.total_rows:
        return str(Delivery.Phase.WRITING.label)
    return str(delivery.get_status_display())


def delivery_progress(delivery: Any) -> dict[str, Any]:
    """What the progress poller needs; no personal data. Rows: read from the file (`total_rows`), refused by
    validation (`rejected`), checked against the registry (`processed_rows`, counting refused ones), and once
    done written (`accepted` new, `updated`) or found `unchanged`."""
    total = delivery.total_rows
    return {
        "id": delivery.pk,
        "status": delivery.status,
        "status_label": status_label(delivery),
        "phase": delivery.phase,
        "processed_rows": delivery.processed_rows,
        "total_rows": total,
        "percent": round(100 * delivery.processed_rows / total)
        if total
        else (100 if delivery.status == "done" else 0),
        "accepted": delivery.accepted,
        "updated": delivery.updated,
        "unchanged": delivery.unchanged,
        "rejected": delivery.rejected,
        "message": delivery.message if delivery.status == Delivery.Status.FAILED else "",
        "finished": delivery.status in (Delivery.Status.DONE, Delivery.Status.FAILED),
    }


def delivery_group(delivery: Any) -> list[Any]:
    """The deliveries made from the same file (one per sheet), first sheet first."""
    first = delivery.parent or delivery
    return [first, *first.siblings.order_by("id")]
