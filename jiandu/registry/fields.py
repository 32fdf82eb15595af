"""Contract column types → Django model fields, and `id_assign`, which fills the stored forms of an ID column.

The importer stores values already normalised and validated (see the contract's header comment), so the
database types are plain: identifiers as fixed-length strings, money as 18,2 decimals, lists as JSON.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from jiandu.analytics.contract import Column
from jiandu.analytics.idcolumns import IdColumn
from jiandu.security.idnumbers import protect_values


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


def id_fields(column: Column, spec: IdColumn) -> dict[str, models.Field]:  # type: ignore[type-arg]
    """The database fields that replace a protected ID column (jiandu/analytics/idcolumns.py).

    `X_hash` is what natural keys, uniqueness and joins use (its index is declared in the model's Meta);
    `X_enc` the SM4-GCM token; `X_masked` what pages show. A mixed column keeps a company's uscc readable in `X_code`. All may be null: a required
    column is enforced by the importer, and a mixed value is either a code or an ID.
    """
    nullable: dict[str, object] = {"null": True, "blank": True}
    if spec.kind == "list":
        return {
            spec.hash: models.JSONField(f"{column.zh}（摘要）", default=list, **nullable),  # type: ignore[arg-type]
            spec.enc: models.JSONField(f"{column.zh}（密文）", default=list, **nullable),  # type: ignore[arg-type]
            spec.masked: models.JSONField(f"{column.zh}（脱敏）", default=list, **nullable),  # type: ignore[arg-type]
        }
    fields: dict[str, models.Field] = {}  # type: ignore[type-arg]
    if spec.kind == "mixed":
        fields[spec.code] = models.CharField(f"{column.zh}（单位代码）", max_length=18, **nullable)  # type: ignore[arg-type]
    fields[spec.hash] = models.CharField(f"{column.zh}（摘要）", max_length=64, **nullable)  # type: ignore[arg-type]
    fields[spec.enc] = models.TextField(f"{column.zh}（密文）", **nullable)  # type: ignore[arg-type]
    fields[spec.masked] = models.CharField(f"{column.zh}（脱敏）", max_length=32, **nullable)  # type: ignore[arg-type]
    return fields


def id_assign(record: Any, spec: IdColumn, value: object) -> None:
    """Fill the stored forms of `spec` on `record` from a plaintext value (None clears them)."""
    if spec.kind == "list":
        items = [str(v) for v in (value or [])]  # type: ignore[attr-defined]
        protected, _ = protect_values(items)
        setattr(record, spec.hash, protected.hashes)
        setattr(record, spec.enc, protected.tokens)
        setattr(record, spec.masked, protected.masked)
        return
    text = None if value is None or value == "" else str(value)
    protected, plain = protect_values([text], mixed=spec.kind == "mixed")
    setattr(record, spec.hash, protected.hashes[0])
    setattr(record, spec.enc, protected.tokens[0])
    setattr(record, spec.masked, protected.masked[0])
    if spec.kind == "mixed":
        setattr(record, spec.code, plain[0])
