"""Reads over the registry, always through the access module."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from jiandu.accounts.access import records_for
from jiandu.analytics.contract import Column, Table
from jiandu.analytics.idcolumns import id_columns
from jiandu.registry.ids import id_plain
from jiandu.registry.models import REGISTRY, RegistryRecord
from jiandu.security.idnumbers import id_hash
from jiandu.security.masking import mask_text


def registry_counts(user: Any) -> list[tuple[str, str, int]]:
    """(table name, Chinese name, rows the user may see) for every contract table."""
    return [
        (name, model.table.zh, records_for(user, model.objects.all()).count())
        for name, model in REGISTRY.items()
    ]


def search_fields(table: Table) -> list[str]:
    """Columns a free-text search looks in: the natural key and the text-like columns (not ID columns)."""
    wanted = ("text", "uscc")
    protected = id_columns(table.name)
    return [
        c.key for c in table.columns if (c.type in wanted or c.key in table.key) and c.key not in protected
    ]


def search_condition(table: Table, query: str) -> Q:
    """A registry list search: contained in a text column, or exactly a whole ID (matched by keyed hash)."""
    condition = Q()
    for field in search_fields(table):
        condition |= Q(**{f"{field}__icontains": query})
    digest = id_hash(query)
    for spec in id_columns(table.name).values():
        if spec.kind == "list":
            condition |= Q(**{f"{spec.hash}__icontains": digest})
        else:
            condition |= Q(**{spec.hash: digest})
            if spec.kind == "mixed":
                condition |= Q(**{f"{spec.code}__icontains": query})
    return condition


def shown(record: RegistryRecord, column: Column, *, full: bool = False) -> Any:
    """A value as pages show it: an ID masked, or decrypted when `full` (the caller checked the capability
    and logs the view as unmasked); codes and other text as stored (IDs inside text masked)."""
    spec = id_columns(record.table.name).get(column.key)
    if spec is None:
        value = getattr(record, column.key)
        return mask_text(value) if isinstance(value, str) and column.type == "text" else value
    if full:
        value = id_plain(record, column.key)
        return "、".join(value) if isinstance(value, list) else value
    masked = getattr(record, spec.masked)
    if spec.kind == "list":
        return "、".join(masked or [])
    if spec.kind == "mixed" and not masked:
        return getattr(record, spec.code)
    return masked


def has_ids(record: RegistryRecord) -> list[str]:
    """The ID columns of a record that hold a value (what a full display would unmask)."""
    return [key for key, spec in id_columns(record.table.name).items() if getattr(record, spec.enc)]


def record_display(record: RegistryRecord, *, full: bool = False) -> list[tuple[str, Any]]:
    return [(c.zh, shown(record, c, full=full)) for c in record.table.columns]


def version_display(table: Table, values: dict[str, Any]) -> list[tuple[str, Any]]:
    """A RecordVersion's values as pages show them: contract columns, IDs masked (never the token)."""
    out: list[tuple[str, Any]] = []
    protected = id_columns(table.name)
    for column in table.columns:
        spec = protected.get(column.key)
        if spec is None:
            out.append((column.zh, values.get(column.key)))
        elif spec.kind == "list":
            out.append((column.zh, "、".join(values.get(spec.masked) or [])))
        else:
            out.append(
                (column.zh, values.get(spec.masked) or values.get(spec.code if spec.kind == "mixed" else ""))
            )
    return out


DEFAULT_CITY_REGION = "349900"


def demo_cities() -> list[str]:
    """The prefecture-level cities (xxxx00 codes) in the unit register, the demo's first city (349900) first."""
    unit: Any = REGISTRY["units"]  # generated model: its contract fields are invisible to the type checker
    codes = unit.objects.filter(level="市").values_list("region_code", flat=True).distinct()
    return sorted({c[:4] + "00" for c in codes if c}, reverse=True)


def demo_regions() -> tuple[str, list[str]]:
    """The city's region and its county regions as found in the unit register (for demo accounts).

    At scale > 1 the register holds several cities (3499…, 3498…, 3497…): the city is the demo's first one
    (the highest code, 349900 when present) and the counties are that city's."""
    unit: Any = REGISTRY["units"]
    cities = demo_cities()
    city_region = cities[0] if cities else DEFAULT_CITY_REGION
    counties = list(
        unit.objects.filter(level="县", region_code__startswith=city_region[:4])
        .values_list("region_code", flat=True)
        .distinct()
        .order_by("region_code")
    )
    return city_region, [c for c in counties if not c.endswith("00")] or [city_region[:4] + "02"]


def demo_province(cities: list[str]) -> str | None:
    """The province (xx0000) over the demo's cities when there are several of one province, else None."""
    provinces = {c[:2] for c in cities}
    if len(cities) < 2 or len(provinces) != 1:
        return None
    return provinces.pop() + "0000"


def visible_rows(user: Any, table: str) -> Any:
    """Rows of a contract table the user may see (a queryset typed loosely: the models are generated)."""
    model: Any = REGISTRY[table]
    return records_for(user, model.objects.all())
