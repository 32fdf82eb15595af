"""The per-table part of the source catalogue (docs/sources.md), generated from the contract.

    python -m jiandu.analytics.intake.catalogue [PAGE]  # rewrite the generated part of PAGE (docs/sources.md)

Run it from the checkout: the page is a developer doc, not package data, so nothing here reads the checkout
on import (the module works from an installed wheel).

A test checks the page against this function, so the catalogue cannot drift from the contract.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jiandu.analytics.contract import Table, load_contract

BEGIN = "<!-- BEGIN GENERATED: tables (python -m jiandu.analytics.intake.catalogue) -->"
END = "<!-- END GENERATED: tables -->"
DEFAULT_DOC = Path("docs") / "sources.md"

TYPE_LABELS = {
    "id_number": "身份证号 id_number",
    "uscc": "统一社会信用代码 uscc",
    "region": "行政区划代码 region",
    "date": "日期 date",
    "money": "金额 money",
    "int": "整数 int",
    "bool": "是/否 bool",
    "text": "文本 text",
    "enum": "枚举 enum",
    "list": "列表 list",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_table(table: Table) -> str:
    lines = [
        f"### `{table.name}` — {table.zh}",
        "",
        f"- Department: {table.source}",
        f"- Natural key (a re-delivered row with the same key updates the row): "
        f"{', '.join(f'`{k}`' for k in table.key)}",
        "",
        "| key | 中文表头 | aliases | type | required | accepted values |",
        "|---|---|---|---|---|---|",
    ]
    for column in table.columns:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{column.key}`",
                    _cell(column.zh),
                    _cell("、".join(column.aliases)),
                    TYPE_LABELS[column.type],
                    "必填" if column.required else "",
                    _cell("、".join(column.values)),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def render_tables() -> str:
    return "\n\n".join(render_table(t) for t in load_contract().values())


def generated_section(doc: str) -> str:
    """The generated part of the page as it stands (between the markers)."""
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    return doc[start:end].strip("\n")


def write(doc_path: Path) -> None:
    doc = doc_path.read_text(encoding="utf-8")
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    doc_path.write_text(doc[:start] + "\n" + render_tables() + "\n" + doc[end:], encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DOC)
