"""Reads for the review queue: items in the reader's jurisdiction, each side described in words."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiandu.accounts.access import records_for
from jiandu.accounts.roles import Capability
from jiandu.analytics.contract import load_contract
from jiandu.entities.models import ReviewItem
from jiandu.registry.models import REGISTRY
from jiandu.security.masking import mask_text

NAME_FIELDS = (
    "name",
    "holder_name",
    "owner_name",
    "subject_name",
    "bidder_name",
    "payee_name",
    "counterpart_name",
)
CONTEXT_FIELDS = (
    "relation",
    "employer",
    "job",
    "subject_unit",
    "subject_title",
    "birth_date",
    "uscc",
    "role",
    "location",
)


def review_items_for(user: Any) -> QuerySet[ReviewItem]:
    return records_for(user, ReviewItem.objects.all(), capability=Capability.HANDLE_ALERTS)


def describe(user: Any, key: str) -> dict[str, Any]:
    """A key as a supervisor reads it: which record, the name it carries, the context around it."""
    if key.startswith("P:") or key.startswith("C:"):
        # a person's key is "P:<keyed hash of the ID>": shown as the masked ID of the official it names
        table, field = ("officials", "id_number_hash") if key[0] == "P" else ("companies", "uscc")
        manager: Any = REGISTRY[table].objects
        row = records_for(user, manager.filter(**{field: key[2:]})).first()
        label = row.name if row else "（登记数据中无此人/企业）"
        shown = (row.id_number_masked if row else "") if key[0] == "P" else key[2:]
        return {
            "table": load_contract()[table].zh,
            "label": label,
            "context": mask_text(shown),
            "url": None,
            "record": row,
        }
    table, rid, field = key.split(":", 2)
    manager = REGISTRY[table].objects
    row = records_for(user, manager.filter(pk=int(rid))).first()
    if row is None:
        return {"table": table, "label": "—", "context": "", "url": None, "record": None}
    name = next((getattr(row, f) for f in NAME_FIELDS if hasattr(row, f) and getattr(row, f)), "")
    context = "；".join(f"{getattr(row, f)}" for f in CONTEXT_FIELDS if hasattr(row, f) and getattr(row, f))
    return {
        "table": load_contract()[table].zh,
        "label": name,
        "context": mask_text(context),
        "url": f"/registry/{table}/{rid}/",
        "record": row,
    }
