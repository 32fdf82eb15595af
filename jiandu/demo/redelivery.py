"""Re-deliveries, as departments really send them: a byte-identical second copy of a file, and a later
partial delivery of rows whose values changed (status updates the importer must keep with history)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

from jiandu.demo.deliveries import DeliveryFile, FileSpec, natural_key
from jiandu.demo.world import AS_OF, World

DUPLICATE_OF = "市场监管局/市场主体登记.csv"
DUPLICATE = "市场监管局/市场主体登记（重复报送）.csv"
UPDATE = FileSpec(
    "审计局/审计发现问题（2026年7月更新）.xlsx", "xlsx", (("问题清单", "audit_findings", "zh"),)
)


def write_redeliveries(
    out_dir: Path,
    files: list[DeliveryFile],
    world: World,
    seed: int,
    truth: Any,
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    original = next(f for f in files if f.spec.path == DUPLICATE_OF)
    shutil.copyfile(out_dir / DUPLICATE_OF, out_dir / DUPLICATE)
    for record in [r for r in truth.invalid_records if r["file"] == DUPLICATE_OF]:
        truth.invalid_row(dict(record, file=DUPLICATE))
    sink = original.sinks["companies"]
    entries.append(
        {
            "path": DUPLICATE,
            "department": "市场监管局",
            "format": "csv",
            "encoding": sink.file.encoding,
            "sheets": [{"sheet": None, "table": "companies", "rows": sink.rows, "header_style": sink.style}],
            "redelivery_of": DUPLICATE_OF,
            "redelivery": "duplicate",
        }
    )

    audit = next(f for f in files if "audit_findings" in f.sinks).sinks["audit_findings"]
    rng = random.Random(f"{seed}:update")
    candidates = [
        r
        for r in world.rows.get("audit_findings", [])
        if not r.get("_protected")
        and r["status"] != "已整改"
        and tuple(natural_key(audit.table, r).values()) not in audit.corrupted_keys
    ]
    chosen = rng.sample(candidates, min(len(candidates), max(1, len(candidates) // 3)))
    update = DeliveryFile(out_dir, UPDATE, seed, lambda *a: None, truth.invalid_row)
    sink = update.sinks["audit_findings"]
    for row in sorted(chosen, key=lambda r: r["finding_no"]):
        fixed = min(AS_OF, row["found"] + dt.timedelta(days=rng.randrange(30, 200)))
        sink.write(dict(row, status="已整改", fixed=fixed, _protected=True))
    update.close()
    entries.append(
        {
            "path": UPDATE.path,
            "department": "审计局",
            "format": "xlsx",
            "encoding": None,
            "sheets": [
                {"sheet": "问题清单", "table": "audit_findings", "rows": sink.rows, "header_style": "zh"}
            ],
            "redelivery_of": "审计局/审计发现问题.xlsx",
            "redelivery": "update",
        }
    )
    return entries
