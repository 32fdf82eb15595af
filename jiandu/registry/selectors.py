"""Reads over the registry, always through the access module."""

from __future__ import annotations

from typing import Any

from jiandu.accounts.access import records_for
from jiandu.analytics.contract import Column, Table
from jiandu.registry.models import REGISTRY, RegistryRecord
from jiandu.security.masking import mask_text


def registry_counts(user: Any) -> list[tuple[str, str, int]]:
    """(table name, Chinese name, rows the user may see) for every contract table."""
    return [
        (name, model.table.zh, records_for(user, model.objects.all()).count())
        for name, model in REGISTRY.items()
    ]


def search_fields(table: Table) -> list[str]:
    """Columns a free-text search looks in: the natural key and the text-like columns."""
    wanted = ("text", "id_number", "uscc")
    return [c.key for c in table.columns if c.type in wanted or c.key in table.key]


def shown(column: Column, value: Any) -> Any:
    """A value as pages show it: resident ID numbers masked (see jiandu/web/masking.py)."""
    if value is not None and column.type == "id_number":
        return mask_text(value)
    if column.key in ("holder_id", "payee_code", "counterpart_id") and value:
        return mask_text(value)
    return value


def record_display(record: RegistryRecord) -> list[tuple[str, Any]]:
    return [(c.zh, shown(c, getattr(record, c.key))) for c in record.table.columns]


DEFAULT_CITY_REGION = "349900"


def demo_regions() -> tuple[str, list[str]]:
    """The city's region and its county regions as found in the unit register (for demo accounts)."""
    unit: Any = REGISTRY["units"]  # generated model: its contract fields are invisible to the type checker
    city = (
        unit.objects.filter(level="市").values_list("region_code", flat=True).order_by("region_code").first()
    )
    counties = list(
        unit.objects.filter(level="县")
        .values_list("region_code", flat=True)
        .distinct()
        .order_by("region_code")
    )
    city_region = (city[:4] + "00") if city else DEFAULT_CITY_REGION
    return city_region, [c for c in counties if not c.endswith("00")] or [city_region[:4] + "02"]


def visible_rows(user: Any, table: str) -> Any:
    """Rows of a contract table the user may see (a queryset typed loosely: the models are generated)."""
    model: Any = REGISTRY[table]
    return records_for(user, model.objects.all())
