"""Contract column types → Django model fields.

The importer stores values already normalised and validated (see the contract's header comment), so the
database types are plain: identifiers as fixed-length strings, money as 18,2 decimals, lists as JSON.
"""

from __future__ import annotations

from django.db import models

from jiandu.analytics.contract import Column


def model_field(column: Column, *, db_index: bool = False) -> models.Field:  # type: ignore[type-arg]
    """The Django field that stores one contract column."""
    common: dict[str, object] = {"verbose_name": column.zh, "db_index": db_index}
    nullable = {"null": True, "blank": True}
    if not column.required:
        common.update(nullable)
    kind = column.type
    if kind == "id_number" or kind == "uscc":
        return models.CharField(max_length=18, **common)  # type: ignore[arg-type]
    if kind == "region":
        return models.CharField(max_length=6, **common)  # type: ignore[arg-type]
    if kind == "date":
        return models.DateField(**common)  # type: ignore[arg-type]
    if kind == "money":
        return models.DecimalField(max_digits=18, decimal_places=2, **common)  # type: ignore[arg-type]
    if kind == "int":
        return models.BigIntegerField(**common)  # type: ignore[arg-type]
    if kind == "bool":
        return models.BooleanField(**{**common, **nullable})  # type: ignore[arg-type]
    if kind == "enum":
        choices = [(v, v) for v in column.values]
        return models.CharField(max_length=32, choices=choices, **common)  # type: ignore[arg-type]
    if kind == "list":
        return models.JSONField(default=list, **{**common, "blank": True})  # type: ignore[arg-type]
    return models.TextField(**common)  # type: ignore[arg-type]
