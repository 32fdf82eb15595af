"""The data step of the migration that stops storing plaintext IDs (registry 0002, see docs/security.md).

Existing rows get their `X_hash`, `X_enc`, `X_masked` (and `X_code` for a uscc in a mixed column) from the
plaintext `X` the next migration drops, and a new `row_hash` taken the way the importer now takes it (over the
keyed hash, so an unchanged re-delivery stays unchanged). RecordVersion values and their source row_hash are
converted the same way, so history keeps no plaintext either. The resolution state file (derived data holding
IDs) is deleted: the next `jiandu resolve` is a full run.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings

from jiandu.analytics.contract import Table, load_contract
from jiandu.analytics.idcolumns import id_columns, is_id_hash, stored_columns
from jiandu.analytics.intake.validate import DTYPES
from jiandu.analytics.resolution.normalise import normalise_id_number
from jiandu.analytics.rules.base import Evidence
from jiandu.analytics.rules.engine import fingerprint
from jiandu.registry.frames import row_digest_texts, row_digests
from jiandu.registry.models import CLASS_NAMES
from jiandu.security.idnumbers import id_hash, protect_values

CHUNK = 2000


def _typed(kind: str, value: Any) -> Any:
    """A stored value in the type the validated frame has: versions keep values as text (the merge casts
    them: '1'/'0' or 'true'/'false', ISO dates, decimal strings), live rows come typed from the ORM."""
    if value is None or not isinstance(value, str):
        return value
    if kind == "bool":
        return value.lower() in ("1", "true", "t")
    if kind == "date":
        return dt.date.fromisoformat(value[:10])
    if kind == "money":
        return Decimal(value)
    if kind == "int":
        return int(value)
    if kind == "list":
        return json.loads(value)
    return value


def plain_frame(table: Table, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows of contract values (from the ORM, or a version's text values) as a validated-rows frame."""
    data: dict[str, Any] = {"_row": pl.Series("_row", list(range(len(rows))), dtype=pl.Int64)}
    for column in table.columns:
        values = [_typed(column.type, row.get(column.key)) for row in rows]
        if column.type in ("id_number", "text", "uscc", "region", "enum"):
            values = [None if v is None else str(v) for v in values]
        data[column.key] = pl.Series(column.key, values, dtype=DTYPES[column.type])
    return pl.DataFrame(data)


def protected_rows(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For rows of plaintext contract values: the stored form of the ID columns and the new row_hash."""
    if not rows:
        return []
    texts, stored = row_digest_texts(table, plain_frame(table, rows))
    digests = row_digests(texts).to_list()
    lists = {spec.hash for spec in id_columns(table.name).values() if spec.kind == "list"}
    lists |= {spec.enc for spec in id_columns(table.name).values() if spec.kind == "list"}
    lists |= {spec.masked for spec in id_columns(table.name).values() if spec.kind == "list"}
    out: list[dict[str, Any]] = []
    for i in range(len(rows)):
        values: dict[str, Any] = {}
        for name, series in stored.items():
            value = series[i]
            values[name] = json.loads(value) if name in lists and value is not None else value
        values["row_hash"] = digests[i]
        out.append(values)
    return out


def _versions(apps: Any, table: Table) -> None:
    version_model = apps.get_model("registry", "RecordVersion")
    versions = list(version_model.objects.filter(table_name=table.name).order_by("id"))
    for start in range(0, len(versions), CHUNK):
        chunk = versions[start : start + CHUNK]
        converted = protected_rows(table, [v.values for v in chunk])
        for version, new in zip(chunk, converted, strict=True):
            row_hash = new.pop("row_hash")
            plain = {k: v for k, v in version.values.items() if k not in id_columns(table.name)}
            version.values = {k: {**plain, **new}.get(k) for k in stored_columns(table.name)}
            version.source = {**version.source, "row_hash": row_hash}
        version_model.objects.bulk_update(chunk, ["values", "source"], batch_size=500)


def protect_existing(apps: Any, schema_editor: Any) -> None:
    """RunPython forward step: fill the protected columns of every registry row and version."""
    for name, table in load_contract().items():
        if not id_columns(name):
            continue
        model = apps.get_model("registry", CLASS_NAMES[name])
        ids = list(model.objects.order_by("id").values_list("id", flat=True))
        fields = [f for f in stored_columns(name) if f not in table.column_keys] + ["row_hash"]
        for start in range(0, len(ids), CHUNK):
            rows = list(
                model.objects.filter(id__in=ids[start : start + CHUNK])
                .order_by("id")
                .values("id", *table.column_keys)
            )
            converted = protected_rows(table, rows)
            objects = [model(id=row["id"], **new) for row, new in zip(rows, converted, strict=True)]
            model.objects.bulk_update(objects, fields, batch_size=500)
        _versions(apps, table)
    _drop_resolution_state()


def _drop_resolution_state() -> None:
    path = getattr(settings, "JIANDU_RESOLUTION_STATE", None) or settings.DATA_DIR / "resolution.duckdb"
    try:
        path.unlink()
    except (FileNotFoundError, AttributeError):
        pass


def _hash_if_id(value: Any) -> Any:
    """A plaintext ID (as stored before) → its keyed hash; anything else (already a hash, a code) unchanged."""
    if isinstance(value, str) and not is_id_hash(value) and normalise_id_number(value) is not None:
        return id_hash(value)
    return value


def alerts_protect(apps: Any, schema_editor: Any) -> None:
    """Alerts: an official's subject_key and the ID columns of evidence keys become keyed hashes (what scans now
    produce), and the fingerprint is recomputed the way the engine computes it, so the next scan keeps each
    alert with its workflow instead of raising it again."""
    alert_model = apps.get_model("alerts", "Alert")
    contract = load_contract()
    changed = []
    for alert in alert_model.objects.order_by("id").iterator(chunk_size=CHUNK):
        subject = _hash_if_id(alert.subject_key) if alert.subject_type == "official" else alert.subject_key
        evidence = []
        for item in alert.evidence:
            ids = id_columns(item["table"]) if item["table"] in contract else {}
            key = {k: _hash_if_id(v) if k in ids else v for k, v in (item.get("key") or {}).items()}
            evidence.append({**item, "key": key})
        if subject == alert.subject_key and evidence == alert.evidence:
            continue
        alert.subject_key, alert.evidence = subject, evidence
        alert.fingerprint = fingerprint(
            alert.rule_code,
            alert.subject_type,
            subject,
            [Evidence(e["table"], e["rid"], e.get("key") or {}) for e in evidence],
        )
        changed.append(alert)
    alert_model.objects.bulk_update(changed, ["subject_key", "evidence", "fingerprint"], batch_size=500)


def _person_key(key: str) -> str:
    """ "P:<id>" → "P:<keyed hash>" (resolution's key of a person known by ID); other keys unchanged."""
    if key.startswith("P:") and not key.startswith("P:~"):
        return "P:" + str(_hash_if_id(key[2:]))
    return key


def entities_protect(apps: Any, schema_editor: Any) -> None:
    """Entity links, review items and judgements name people by "P:<id>": rewritten to the keyed hash."""
    link_model = apps.get_model("entities", "EntityLink")
    links = []
    for link in link_model.objects.exclude(id_number="").iterator(chunk_size=CHUNK):
        link.id_number = _hash_if_id(link.id_number)
        link.entity_id = _person_key(link.entity_id)
        links.append(link)
    link_model.objects.bulk_update(links, ["id_number", "entity_id"], batch_size=500)
    for name in ("ReviewItem", "Judgement", "JudgementEvent"):
        model = apps.get_model("entities", name)
        rows = []
        for row in model.objects.all().iterator(chunk_size=CHUNK):
            row.left_key, row.right_key = _person_key(row.left_key), _person_key(row.right_key)
            rows.append(row)
        model.objects.bulk_update(rows, ["left_key", "right_key"], batch_size=500)


def leads_protect(apps: Any, schema_editor: Any) -> None:
    """Lead subjects and outcomes: hash, token and masked form from the plaintext the next step drops."""
    for name in ("LeadSubject", "LeadOutcome"):
        model = apps.get_model("leads", name)
        rows = list(model.objects.exclude(id_number="").order_by("id"))
        protected, _ = protect_values([r.id_number for r in rows])
        for row, h, t, m in zip(rows, protected.hashes, protected.tokens, protected.masked, strict=True):
            row.id_number_hash, row.id_number_enc, row.id_number_masked = h or "", t or "", m or ""
        model.objects.bulk_update(
            rows, ["id_number_hash", "id_number_enc", "id_number_masked"], batch_size=500
        )
