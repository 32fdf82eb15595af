"""The exchange contract (spec/contract.yaml) as typed Python objects.

The contract is the single source of the 23 delivered tables: the registry models, the importer,
the blank templates and the demo city are all derived from it, so adding a column means editing
the YAML, not five modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

CONTRACT_PATH = Path(__file__).resolve().parent.parent / "spec" / "contract.yaml"

TYPES = ("id_number", "uscc", "region", "date", "money", "int", "bool", "text", "enum", "list")


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header a department may use for this column."""
        return (self.zh, *self.aliases, self.key)


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    source: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.name}.{key}")

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


@cache
def load_contract(path: Path = CONTRACT_PATH) -> dict[str, Table]:
    """Parse the contract once; tables keep the YAML's order."""
    # The C loader parses the contract in a fraction of the pure-Python time (it is read once per process).
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    tables: dict[str, Table] = {}
    for name, spec in raw["tables"].items():
        columns = tuple(
            Column(
                key=c["key"],
                zh=c["zh"],
                type=c["type"],
                required=bool(c.get("required", False)),
                aliases=tuple(c.get("aliases", ())),
                values=tuple(c.get("values", ())),
            )
            for c in spec["columns"]
        )
        for col in columns:
            if col.type not in TYPES:
                raise ValueError(f"contract: unknown type {col.type!r} for {name}.{col.key}")
        tables[name] = Table(
            name=name, zh=spec["zh"], source=spec.get("from", ""), key=tuple(spec["key"]), columns=columns
        )
    return tables


def table(name: str) -> Table:
    return load_contract()[name]
