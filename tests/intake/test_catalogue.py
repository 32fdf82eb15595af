"""The source catalogue (docs/sources.md) must describe every contract table and column as the contract does."""

from __future__ import annotations

from jiandu.analytics.contract import load_contract
from jiandu.analytics.intake import catalogue
from tests.checkout import DOCS

DOC = DOCS / "sources.md"


def test_generated_part_of_the_catalogue_matches_the_contract():
    doc = DOC.read_text(encoding="utf-8")
    assert catalogue.generated_section(doc) == catalogue.render_tables(), (
        "docs/sources.md is out of date: run python -m jiandu.analytics.intake.catalogue"
    )


def test_every_table_and_column_appears():
    doc = DOC.read_text(encoding="utf-8")
    for table in load_contract().values():
        assert f"### `{table.name}` — {table.zh}" in doc
        for column in table.columns:
            assert f"| `{column.key}` | {column.zh} |" in doc, (table.name, column.key)
