"""Generate the demo city: build the world, plant the cases, write deliveries, manifest and truth."""

from __future__ import annotations

import gc
import json
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiandu.demo.business import CompanyFactory, build_companies
from jiandu.demo.careers import build_careers
from jiandu.demo.deliveries import LAYOUT, DeliveryFile, SheetSink, natural_key
from jiandu.demo.families import build_families
from jiandu.demo.geography import build_geography
from jiandu.demo.oversight import build_conduct, build_findings, build_petitions, build_public_transactions
from jiandu.demo.plant import plant_all
from jiandu.demo.procurement import Procurement
from jiandu.demo.redelivery import write_redeliveries
from jiandu.demo.world import AS_OF, Row, World

Progress = Callable[[str, int, int], None]
STREAMED = ("tenders", "bids", "contracts", "payments", "decisions")


@dataclass
class GenerationSummary:
    out_dir: Path
    seed: int
    scale: float
    as_of: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    invalid_rows: int = 0
    planted_cases: int = 0


class TruthWriter:
    """Streams the truth files from the same rows the deliveries are written from."""

    def __init__(self, truth_dir: Path) -> None:
        truth_dir.mkdir(parents=True, exist_ok=True)
        self.persons = open(truth_dir / "persons.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self.companies = open(truth_dir / "companies.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self.petitions = open(truth_dir / "petition_links.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self.invalid = open(truth_dir / "invalid_rows.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self.invalid_count = 0
        self.invalid_records: list[dict[str, Any]] = []

    def row(self, sink: SheetSink, row: Row, line: int) -> None:
        table = sink.table.name
        key = None
        for field_name, pid in (row.get("_persons") or {}).items():
            key = key or natural_key(sink.table, row)
            self.persons.write(_dump({"table": table, "key": key, "field": field_name, "person": pid}))
        for field_name, uscc in (row.get("_companies") or {}).items():
            key = key or natural_key(sink.table, row)
            self.companies.write(_dump({"table": table, "key": key, "field": field_name, "uscc": uscc}))
        if table == "petitions":
            self.petitions.write(
                _dump({"petition_no": row["petition_no"], "official": row["_petition_link"]})
            )

    def invalid_row(self, record: dict[str, Any]) -> None:
        self.invalid_count += 1
        self.invalid_records.append(record)
        self.invalid.write(_dump(record))

    def close(self) -> None:
        for fh in (self.persons, self.companies, self.petitions, self.invalid):
            fh.close()


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n"


def build_world(seed: int, scale: float, report: Progress) -> tuple[World, Any]:
    """The city in memory with its planted cases (registers complete; procurement is streamed later)."""
    steps = ("行政区划与单位", "干部任职", "市场主体", "家庭与财产", "信访与监督", "植入案例")
    world = World.create(seed, float(scale))
    report(steps[0], 0, len(steps))
    build_geography(world)
    report(steps[1], 1, len(steps))
    build_careers(world)
    factory = CompanyFactory(world)
    report(steps[2], 2, len(steps))
    build_companies(world, factory)
    report(steps[3], 3, len(steps))
    build_families(world, factory)
    build_public_transactions(world)
    report(steps[4], 4, len(steps))
    build_petitions(world)
    build_findings(world)
    build_conduct(world)
    report(steps[5], 5, len(steps))
    cases = plant_all(world, factory)
    world.rows["units"] = [unit_row(u) for u in world.units]
    return world, cases


def generate(seed: int, scale: float, out_dir: Path, progress: Progress | None = None) -> GenerationSummary:
    """Write the demo city for `seed` and `scale` into `out_dir` (replacing what is there)."""
    out_dir = Path(out_dir)
    scale = float(scale)  # 1 and 1.0 must give the same bytes
    report = progress or (lambda stage, done, total: None)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    world, cases = build_world(seed, scale, report)
    # The city now holds millions of long-lived objects; without this, every full collection of the
    # cyclic GC walks all of them while millions of short-lived rows stream past (minutes at scale 10).
    gc.collect()
    gc.freeze()
    truth = TruthWriter(out_dir / "truth")
    files = [DeliveryFile(out_dir, spec, seed, truth.row, truth.invalid_row) for spec in LAYOUT]
    sinks = {name: sink for f in files for name, sink in f.sinks.items()}
    mixer = random.Random(f"{seed}:mix")
    registers = [name for name in sinks if name not in STREAMED]
    total = sum(len(world.rows.get(name, [])) for name in registers)
    written = 0
    for name in registers:
        rows = world.rows.get(name, [])
        mixer.shuffle(rows)
        rows.sort(key=_order_key(name))
        for row in rows:
            sinks[name].write(row)
            written += 1
            if written % 20000 == 0:
                report("写出登记类数据", written, total)
        if name != "audit_findings":  # kept: the July re-delivery updates some of them
            world.rows[name] = []  # written: free the memory before the procurement stream
    report("写出登记类数据", total, total)
    planted = {name: world.rows.get(name, []) for name in STREAMED}
    for name in STREAMED:
        mixer.shuffle(planted[name])
    expected = max(1, round(345000 * scale)) + sum(len(v) for v in planted.values())
    written = 0
    for name, row in _mix(Procurement(world).stream(), planted, mixer, expected):
        sinks[name].write(row)
        written += 1
        if written % 20000 == 0:
            report("写出招投标与支付数据", min(written, expected), expected)
    report("写出招投标与支付数据", expected, expected)
    for f in files:
        f.close()
    extra = write_redeliveries(out_dir, files, world, seed, truth)
    truth.close()
    summary = GenerationSummary(out_dir=out_dir, seed=seed, scale=scale, as_of=AS_OF.isoformat())
    manifest_files = []
    for f in files:
        manifest_files.append(
            {
                "path": f.spec.path,
                "department": f.spec.path.split("/")[0],
                "format": "xlsx" if f.spec.encoding == "xlsx" else "csv",
                "encoding": None if f.spec.encoding == "xlsx" else f.spec.encoding,
                "sheets": [
                    {"sheet": s.sheet, "table": s.table.name, "rows": s.rows, "header_style": s.style}
                    for s in f.sinks.values()
                ],
            }
        )
        for s in f.sinks.values():
            summary.rows[s.table.name] = s.rows
    manifest_files.extend(extra)
    with open(out_dir / "truth" / "planted_cases.jsonl", "w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(_dump(case))
    manifest = {
        "generator": "jiandu demo-data",
        "seed": seed,
        "scale": scale,
        "as_of": AS_OF.isoformat(),
        "as_of_note": "scan date used by every planted case (DEC-04, PET-03, RCT-01, RCT-03, CND-02 …)",
        "cities": [
            {"name": c["name"], "code": c["code"], "counties": c["county_codes"]} for c in world.cities
        ],
        "files": manifest_files,
        "truth": [
            "truth/planted_cases.jsonl",
            "truth/invalid_rows.jsonl",
            "truth/persons.jsonl",
            "truth/petition_links.jsonl",
            "truth/companies.jsonl",
        ],
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    summary.files = len(manifest_files)
    summary.invalid_rows = truth.invalid_count
    summary.planted_cases = len(cases)
    gc.unfreeze()
    report("完成", 1, 1)
    return summary


def _order_key(table: str) -> Callable[[Row], Any]:
    """Departments export sorted by their own natural order (a date or a code)."""
    date_field = {
        "positions": "start_date",
        "family_members": "year",
        "declared_assets": "year",
        "companies": "founded",
        "company_roles": "start_date",
        "petitions": "received",
        "audit_findings": "found",
        "inspection_findings": "found",
        "travel_approvals": "leave",
        "border_crossings": "crossed",
        "real_estate": "registered",
        "tax_income": "year",
        "bank_transactions": "tx_date",
        "discipline_records": "decided",
        "talks": "held",
        "evaluations": "year",
    }.get(table)
    if date_field is None:
        return lambda row: 0
    return lambda row: row[date_field]


def _mix(
    background: Iterator[tuple[str, Row]], planted: dict[str, list[Row]], rng: random.Random, expected: int
) -> Iterator[tuple[str, Row]]:
    """Spread the planted procurement rows through the background stream instead of bunching them."""
    queue = [(name, row) for name, rows in planted.items() for row in rows]
    rng.shuffle(queue)
    rate = len(queue) / expected
    for item in background:
        yield item
        while queue and rng.random() < rate:
            yield queue.pop()
    yield from queue


def unit_row(unit: Any) -> Row:
    return {
        "unit_code": unit.code,
        "name": unit.name,
        "parent_code": unit.parent_code,
        "region_code": unit.region_code,
        "kind": unit.kind,
        "level": unit.level,
        "sector": unit.sector,
        "_protected": True,
    }
