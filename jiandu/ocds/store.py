"""Store OCDS in the registry through the importer's own path (Django side of jiandu.ocds).

Compile → map (jiandu/ocds/mapper.py) → one Delivery per table per run, each stored by
``jiandu.sources.services.sheet_store`` exactly like a departmental file: the same validation (contract types,
required columns, duplicate keys), staging, set-based merge with history, provenance and scope. So a re-import of
the same files changes nothing and a newer release updates its rows with the previous values kept.

Provenance: ``source_file`` = the OCDS file the process's current state was read from (the record's, else the
newest release's), ``source_sheet`` = the table, ``source_row`` = the position of that release or record among
those of the file.

Organisations (docs/decisions/0002-ocds-identifiers.md): the uscc when the publisher gives one; otherwise the
synthetic code ``OCDS`` + 14 hex digits of SHA-256 over the scheme-qualified identifier (publisher-qualified when
the publisher gives no scheme). Only on this path are the organisation columns checked as text instead of as a
uscc; departmental files never get that relaxation. ``OcdsOrganisation`` says what each code stands for,
``OcdsProcess`` records the currency of each process's amounts (never converted).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from django.db import transaction

from jiandu.analytics.contract import Table, load_contract
from jiandu.analytics.identifiers import uscc_problem
from jiandu.analytics.intake.cells import cell_text
from jiandu.analytics.intake.model import Sheet
from jiandu.analytics.intake.validate import check_rows
from jiandu.analytics.rules.engine import run_rules
from jiandu.ocds.bridge import process_currencies_to_duckdb
from jiandu.ocds.codes import publisher_of
from jiandu.ocds.compare import RULE_CODES
from jiandu.ocds.mapper import MappingResult, releases_map
from jiandu.ocds.models import OcdsOrganisation, OcdsProcess
from jiandu.ocds.reader import Origin, ReadReport, _files, compiled_releases_read
from jiandu.registry.bridge import registry_to_duckdb
from jiandu.sources.models import Delivery
from jiandu.sources.services import sheet_store

# Stored in this order: units and tenders first so that the rows depending on them get their scope at once.
STORE_ORDER = ("units", "companies", "tenders", "bids", "contracts")
ORGANISATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "units": ("unit_code", "parent_code"),
    "companies": ("uscc",),
    "tenders": ("buyer_code",),
    "bids": ("bidder_code",),
    "contracts": ("buyer_code", "supplier_code"),
}
SYNTHETIC_PREFIX = "OCDS"  # 'O' is not in GB 32100's alphabet: a synthetic code is never a valid uscc


def stored_code(code: str, scheme: str | None, publisher: str) -> str:
    """The registry code of a mapped organisation code (see the module docstring)."""
    if len(code) == 18 and uscc_problem(code) is None:
        return code
    key = code if scheme else f"{publisher}:{code}"
    return SYNTHETIC_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:14].upper()


def _raw_id(code: str, scheme: str | None) -> str:
    return code[len(scheme) + 1 :] if scheme and code.startswith(f"{scheme}-") else code


@dataclass
class OcdsImportResult:
    publisher: str
    read: ReadReport
    mapping: MappingResult
    deliveries: dict[str, Any] = field(default_factory=dict)  # table → Delivery
    rejected: dict[str, Counter[str]] = field(default_factory=dict)  # table → "column: reason" → rows
    organisations: int = 0
    processes: int = 0
    currencies: Counter[str] = field(default_factory=Counter)


def _relaxed(table: Table) -> Table:
    """The table with its organisation columns checked as text: for OCDS deliveries only."""
    columns = ORGANISATION_COLUMNS[table.name]
    return dataclasses.replace(
        table,
        columns=tuple(dataclasses.replace(c, type="text") if c.key in columns else c for c in table.columns),
    )


def _sheet(table: Table, rows: list[dict[str, Any]], origins: dict[str, Origin], label: str) -> Sheet:
    """Validate mapped rows like a delivered sheet; valid rows carry their release position and file."""
    keys = list(table.column_keys)
    data: dict[str, list[Any]] = {"_row": list(range(1, len(rows) + 1))}
    for key in keys:
        data[key] = [cell_text(row.get(key)) for row in rows]
    schema = {k: (pl.Int64 if k == "_row" else pl.String) for k in data}
    raw = pl.DataFrame(data, schema=schema)
    valid, errors, total = check_rows(raw, _relaxed(table), {k: k for k in keys})
    # Validation numbers rows 1..n (unique, so rejected rows count right); storage keeps the OCDS position.
    where = [origins.get(row.get("_ocid") or row.get("tender_no") or "", ("", 0)) for row in rows]
    index = valid["_row"].to_list()
    valid = valid.with_columns(
        pl.Series("_row", [where[i - 1][1] for i in index], dtype=pl.Int64),
        pl.Series("_source_file", [where[i - 1][0] or None for i in index], dtype=pl.String),
    )
    return Sheet(
        source_file=label,
        sheet=table.name,
        table=table.name,
        encoding="utf-8",
        header_map={k: k for k in keys},
        valid=valid,
        errors=errors,
        total_rows=total,
    )


def _codes_replace(mapping: MappingResult, publisher: str) -> dict[str, dict[str, Any]]:
    """Put registry codes into every organisation column; returns the side-table rows by registry code."""
    known: dict[str, tuple[str | None, str | None]] = {}
    for table, column in (("units", "unit_code"), ("companies", "uscc")):
        for row in mapping.rows[table]:
            known.setdefault(row[column], (row.get("_scheme"), row.get("name")))
    roles: dict[str, set[str]] = {}
    for table, role in (("units", "buyer"), ("bids", "bidder"), ("contracts", "supplier")):
        column = {"units": "unit_code", "bids": "bidder_code", "contracts": "supplier_code"}[table]
        for row in mapping.rows[table]:
            if row.get(column):
                roles.setdefault(row[column], set()).add(role)
    organisations: dict[str, dict[str, Any]] = {}
    for code, (scheme, name) in known.items():
        registry = stored_code(code, scheme, publisher)
        if registry == code:
            continue  # a real uscc: the registry's own tables describe it
        entry = organisations.setdefault(
            registry,
            {
                "scheme": scheme or "",
                "raw_id": _raw_id(code, scheme)[:200],
                "name": name or "",
                "publisher": publisher,
                "roles": set(),
            },
        )
        entry["roles"] |= roles.get(code, {"company"})
    for table, columns in ORGANISATION_COLUMNS.items():
        for row in mapping.rows[table]:
            for column in columns:
                mapped = row.get(column)
                if mapped:
                    row[column] = stored_code(mapped, known.get(mapped, (None, None))[0], publisher)
    return organisations


def _processes(
    mapping: MappingResult, origins: dict[str, Origin], publisher: str
) -> dict[str, dict[str, Any]]:
    processes: dict[str, dict[str, Any]] = {}
    for table in ("tenders", "bids", "contracts"):
        for row in mapping.rows[table]:
            ocid = row.get("tender_no")
            if not ocid:
                continue
            entry = processes.setdefault(
                ocid,
                {
                    "publisher": publisher,
                    "currencies": [],
                    "procurement_method": "",
                    "procurement_method_details": "",
                    "source_file": origins.get(ocid, ("", 0))[0],
                    "source_row": origins.get(ocid, ("", 0))[1],
                },
            )
            currency = (row.get("_currency") or "").upper()
            if currency and currency not in entry["currencies"]:
                entry["currencies"].append(currency)
            if table == "tenders":
                entry["procurement_method"] = (row.get("_procurement_method") or "")[:200]
                entry["procurement_method_details"] = (row.get("_procurement_method_details") or "")[:200]
    for entry in processes.values():
        entry["currency"] = entry["currencies"][0] if entry["currencies"] else ""
        entry["currencies"] = sorted(entry["currencies"])
    return processes


def _side_tables_store(
    organisations: dict[str, dict[str, Any]], processes: dict[str, dict[str, Any]], delivery: Any
) -> None:
    """Upsert the side tables; a row whose content did not change is left alone (idempotent re-imports)."""
    model: Any
    for model, rows in ((OcdsOrganisation, organisations), (OcdsProcess, processes)):
        existing = {obj.pk: obj for obj in model.objects.filter(pk__in=list(rows))}
        new: list[Any] = []
        changed: list[Any] = []
        for key, values in rows.items():
            values = {k: sorted(v) if isinstance(v, set) else v for k, v in values.items()}
            obj = existing.get(key)
            if obj is None:
                new.append(model(pk=key, delivery=delivery, **values))
            elif any(getattr(obj, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(obj, k, v)
                obj.delivery = delivery
                changed.append(obj)
        model.objects.bulk_create(new, batch_size=1000)
        if changed:
            model.objects.bulk_update(changed, [*next(iter(rows.values())), "delivery"], batch_size=1000)


def _run_identity(paths: list[Path], publisher: str) -> tuple[str, str, int]:
    """(label, digest, size) of the files read in one run: the Delivery's file fields."""
    files = sorted(_files(paths))
    digest = hashlib.sha256()
    for file in files:
        digest.update(hashlib.sha256(file.read_bytes()).hexdigest().encode())
    size = sum(f.stat().st_size for f in files)
    if len(files) == 1:
        label = files[0].name
    else:
        folder = paths[0].resolve()
        label = f"{publisher} {folder.parent.name}/{folder.name}（{len(files)} 个 OCDS 文件）"
    return label[:255], digest.hexdigest(), size


def _notices(result: OcdsImportResult, label: str, organisations: int) -> list[str]:
    read = result.read
    currencies = "、".join(sorted(result.currencies)) or "无金额"
    lines = [
        f"OCDS 导入（发布方 {result.publisher}）：{label}，读取 {read.files} 个文件，"
        f"编译得到 {read.counts.get('compiled releases', 0)} 个采购过程。",
        f"金额保持发布方币种，未换算：{currencies}。",
        f"无统一社会信用代码的机构以 {SYNTHETIC_PREFIX} 开头的平台代码存储（{organisations} 个），"
        "原标识方案与编号见「OCDS 机构」表。",
    ]
    if result.mapping.report:
        lines.append("无法映射或经转换的内容（按 OCDS 字段）：")
        lines += [f"  {key}：{n}" for key, n in sorted(result.mapping.report.items())]
    return lines


def ocds_import(
    paths: list[str | Path], *, publisher: str | None = None, user: Any = None
) -> OcdsImportResult:
    """Read, compile, map and store OCDS files; one Delivery per table (the first is the others' parent)."""
    path_list = [Path(p) for p in paths]
    read = ReadReport()
    origins: dict[str, Origin] = {}
    releases = compiled_releases_read(path_list, read, origins)
    mapping = releases_map(releases)
    for key in [k for k in mapping.report if k.endswith("(publisher scheme kept)")]:
        renamed = key.replace("(publisher scheme kept)", "(stored under an OCDS code, see OcdsOrganisation)")
        mapping.report[renamed] = mapping.report.pop(key)
    if publisher is None:
        first = next((r.get("ocid") for r in releases if isinstance(r, dict) and r.get("ocid")), None)
        publisher = publisher_of(first)
    result = OcdsImportResult(publisher=publisher, read=read, mapping=mapping)
    organisations = _codes_replace(mapping, publisher)
    processes = _processes(mapping, origins, publisher)
    for entry in processes.values():
        result.currencies.update(entry["currencies"])
    label, digest, size = _run_identity(path_list, publisher)
    notices = _notices(result, label, len(organisations))
    contract = load_contract()
    parent = None
    for table_name in STORE_ORDER:
        table = contract[table_name]
        sheet = _sheet(table, mapping.rows[table_name], origins, label)
        rejected: Counter[str] = Counter()
        for error in sheet.errors:
            column = table.column(error.column).zh if error.column else "整行"
            reason = re.sub(r"第\d+行", "前面某行", error.reason)  # validation row numbers are not positions
            rejected[f"{column}：{reason}"] += 1
        result.rejected[table_name] = rejected
        sheet.notices = notices + (
            ["拒收（按字段，OCDS 未提供或不符合规范）："]
            + [f"  {k}：{n}" for k, n in sorted(rejected.items())]
            if rejected
            else []
        )
        delivery = Delivery.objects.create(
            file_name=label,
            file_hash=digest,
            file_size=size,
            table_name=table_name,
            channel=Delivery.Channel.CLI,
            submitted_by=user if getattr(user, "pk", None) else None,
            parent=parent,
        )
        parent = parent or delivery
        result.deliveries[table_name] = sheet_store(sheet=sheet, delivery=delivery, user=user, path=None)
    with transaction.atomic():
        _side_tables_store(organisations, processes, parent)
    result.organisations, result.processes = len(organisations), len(processes)
    return result


def platform_rules_on(ocids: set[str], *, as_of: Any) -> list[Any]:
    """The PRC rules linked to OCP indicators, run by the engine on the registry rows of these processes."""
    con = duckdb.connect()
    registry_to_duckdb(con, tables=["tenders", "bids", "contracts", "companies", "units"])
    process_currencies_to_duckdb(con)
    con.execute("CREATE TEMP TABLE _ocids (ocid VARCHAR)")
    con.executemany("INSERT INTO _ocids VALUES (?)", [(o,) for o in sorted(ocids)])
    for table in ("tenders", "bids", "contracts"):
        con.execute(
            f"DELETE FROM {table} WHERE tender_no IS NULL OR tender_no NOT IN (SELECT ocid FROM _ocids)"
        )
    return run_rules(con, as_of=as_of, codes=RULE_CODES)
