"""The departments' deliveries: which table goes into which file, and the writers that produce them.

Large tables are CSV (some GBK, as older government systems export them; some UTF-8 with BOM; the
central bank's system writes plain UTF-8 with English keys); the rest are XLSX, some with several sheets.
XLSX files are re-packed with fixed timestamps so a seed always yields byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from jiandu.analytics.contract import Table, load_contract
from jiandu.demo.noise import INVALID_ROW_RATE, VARIANT_ROW_RATE, corrupt, render, variant

FIXED_TIME = dt.datetime(2026, 6, 30, 18, 0, 0)


@dataclass(frozen=True)
class FileSpec:
    path: str
    encoding: str  # "xlsx", "utf-8-sig", "gbk", "utf-8"
    sheets: tuple[tuple[str | None, str, str], ...]  # (sheet name, table, header style zh|alias|key)


LAYOUT: tuple[FileSpec, ...] = (
    FileSpec("组织部/单位名录.xlsx", "xlsx", (("单位名录", "units", "zh"),)),
    FileSpec(
        "组织部/干部基本信息.xlsx",
        "xlsx",
        (("干部基本信息", "officials", "zh"), ("干部任职", "positions", "alias")),
    ),
    FileSpec(
        "组织部/个人有关事项报告.xlsx",
        "xlsx",
        (("家庭成员", "family_members", "zh"), ("财产及经商办企业", "declared_assets", "alias")),
    ),
    FileSpec("组织部/因私出国（境）审批.xlsx", "xlsx", (("审批记录", "travel_approvals", "zh"),)),
    FileSpec("市场监管局/市场主体登记.csv", "utf-8-sig", ((None, "companies", "alias"),)),
    FileSpec("市场监管局/股东及主要人员.csv", "gbk", ((None, "company_roles", "zh"),)),
    FileSpec("公共资源交易中心/招标采购项目.xlsx", "xlsx", (("项目", "tenders", "zh"),)),
    FileSpec("公共资源交易中心/投标记录.csv", "utf-8-sig", ((None, "bids", "alias"),)),
    FileSpec("公共资源交易中心/政府采购合同.xlsx", "xlsx", (("合同", "contracts", "zh"),)),
    FileSpec("财政局/国库集中支付.csv", "gbk", ((None, "payments", "zh"),)),
    FileSpec("各单位报备/三重一大决策事项.xlsx", "xlsx", (("决策事项", "decisions", "zh"),)),
    FileSpec("信访室/信访举报登记.xlsx", "xlsx", (("信访件", "petitions", "zh"),)),
    FileSpec("审计局/审计发现问题.xlsx", "xlsx", (("问题清单", "audit_findings", "zh"),)),
    FileSpec("巡察办/巡察发现问题.xlsx", "xlsx", (("问题清单", "inspection_findings", "zh"),)),
    FileSpec("公安局出入境管理大队/出入境记录.csv", "gbk", ((None, "border_crossings", "zh"),)),
    FileSpec("不动产登记中心/不动产登记.csv", "utf-8-sig", ((None, "real_estate", "zh"),)),
    FileSpec("税务局/个人所得税收入.csv", "gbk", ((None, "tax_income", "alias"),)),
    FileSpec("人民银行/大额交易报告.csv", "utf-8", ((None, "bank_transactions", "key"),)),
    FileSpec("案件监督管理室/执纪处理记录.xlsx", "xlsx", (("处理记录", "discipline_records", "zh"),)),
    FileSpec("案件监督管理室/谈话函询记录.xlsx", "xlsx", (("谈话函询", "talks", "zh"),)),
    FileSpec("党风政风监督室/多方评价.xlsx", "xlsx", (("评价结果", "evaluations", "zh"),)),
)


def header_for(table: Table, style: str) -> list[str]:
    if style == "key":
        return list(table.column_keys)
    if style == "alias":
        return [c.aliases[0] if c.aliases else c.zh for c in table.columns]
    return [c.zh for c in table.columns]


def natural_key(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row's contract key with JSON-friendly canonical values."""
    out: dict[str, Any] = {}
    for key in table.key:
        value = row.get(key)
        col = table.column(key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif col.type == "money" and value is not None:
            value = f"{value / 100:.2f}"
        out[key] = value
    return out


@dataclass
class SheetSink:
    """Writes rows of one table into one CSV or XLSX sheet, applying variants and invalid values."""

    file: FileSpec
    sheet: str | None
    table: Table
    style: str
    rng: random.Random
    emit_row: Callable[[SheetSink, dict[str, Any], int], None]
    emit_invalid: Callable[[dict[str, Any]], None]
    append: Callable[[list[Any]], None] = field(repr=False, default=lambda values: None)
    rows: int = 0
    corrupted_keys: set[tuple] = field(default_factory=set)

    def write(self, row: dict[str, Any]) -> None:
        rng = self.rng
        xlsx = self.file.encoding == "xlsx"
        gbk = self.file.encoding == "gbk"
        self.rows += 1
        line = self.rows + 1  # header is spreadsheet row 1
        varied = rng.random() < VARIANT_ROW_RATE
        values = []
        for col in self.table.columns:
            value = row.get(col.key)
            if varied and value is not None and rng.random() < 0.5:
                values.append(variant(col, value, rng, xlsx=xlsx, gbk=gbk))
            else:
                values.append(render(col, value, xlsx=xlsx))
        broken = None
        if not row.get("_protected") and rng.random() < INVALID_ROW_RATE:
            broken = corrupt(self.table, row, rng)
        if broken is not None:
            key, problem, bad = broken
            index = self.table.column_keys.index(key)
            values[index] = None if (bad == "" and xlsx) else bad
            self.corrupted_keys.add(tuple(natural_key(self.table, row).values()))
            self.emit_invalid(
                {
                    "file": self.file.path,
                    "sheet": self.sheet,
                    "row": line,
                    "table": self.table.name,
                    "column": key,
                    "problem": problem,
                    "value": bad,
                    "key": natural_key(self.table, row),
                }
            )
        else:
            self.emit_row(self, row, line)
        self.append(values)


class DeliveryFile:
    """One open delivery file with one sink per sheet."""

    def __init__(
        self, out_dir: Path, spec: FileSpec, seed: int, emit_row: Callable, emit_invalid: Callable
    ) -> None:
        self.spec = spec
        self.path = out_dir / spec.path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        contract = load_contract()
        self.sinks: dict[str, SheetSink] = {}
        if spec.encoding == "xlsx":
            self.workbook = Workbook(write_only=True)
            self.workbook.properties.creator = "jiandu demo"
        else:
            self._fh = open(self.path, "w", encoding=spec.encoding, newline="")  # noqa: SIM115
            self._csv = csv.writer(self._fh, lineterminator="\r\n")
        for sheet, table_name, style in spec.sheets:
            table = contract[table_name]
            sink = SheetSink(
                spec,
                sheet,
                table,
                style,
                random.Random(f"{seed}:{spec.path}:{sheet}"),
                emit_row,
                emit_invalid,
            )
            header = header_for(table, style)
            if spec.encoding == "xlsx":
                ws = self.workbook.create_sheet(title=sheet)
                ws.append(header)
                sink.append = ws.append
            else:
                self._csv.writerow(header)
                sink.append = self._csv.writerow
            self.sinks[table_name] = sink

    def close(self) -> None:
        if self.spec.encoding == "xlsx":
            self.workbook.save(self.path)
            freeze_xlsx(self.path)
        else:
            self._fh.close()


def freeze_xlsx(path: Path) -> None:
    """Re-pack an XLSX with fixed zip timestamps and fixed document properties (openpyxl writes 'now')."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())
