"""Which contract columns hold resident ID numbers, and the database columns that replace them.

No plaintext id_number is stored (docs/security.md, "id_number columns"). Each protected contract column `X`
is kept as three database columns: `X_hash` (keyed hash of the normalised ID: natural keys, uniqueness, every
join), `X_enc` (an authenticated-encryption token: the rare full display) and `X_masked` (what pages show).
Three kinds of column are protected:

- `id`: every column typed `id_number` in the contract;
- `mixed`: text columns that hold a person's ID *or* a company's uscc (`company_roles.holder_id`,
  `payments.payee_code`, `bank_transactions.counterpart_id`). A valid uscc stays readable in `X` (company
  registration is public and the procurement rules join on it) in `X_code`; any other value goes to the
  three columns,
  with `X_hash` only when it is a valid ID (what is not an ID joins nothing, as before);
- `list`: `inspection_findings.person_ids`, lists of IDs; the three columns are lists in the same order.

Framework-free (no Django): the importer, the registry→DuckDB bridge and the migrations all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jiandu.analytics.contract import Table, load_contract

MIXED_COLUMNS = {
    "company_roles": ("holder_id",),
    "payments": ("payee_code",),
    "bank_transactions": ("counterpart_id",),
}
LIST_COLUMNS = {"inspection_findings": ("person_ids",)}


@dataclass(frozen=True)
class IdColumn:
    """One protected contract column and the names of its database columns."""

    table: str
    key: str
    kind: str  # 'id' | 'mixed' | 'list'
    required: bool

    @property
    def hash(self) -> str:
        return f"{self.key}_hash"

    @property
    def enc(self) -> str:
        return f"{self.key}_enc"

    @property
    def masked(self) -> str:
        return f"{self.key}_masked"

    @property
    def code(self) -> str:
        """Mixed columns only: the readable uscc when the value is a company's code."""
        return f"{self.key}_code"

    @property
    def stored(self) -> tuple[str, ...]:
        """The database columns of this contract column."""
        own = (self.hash, self.enc, self.masked)
        return (self.code, *own) if self.kind == "mixed" else own


@cache
def id_columns(table_name: str) -> dict[str, IdColumn]:
    """The protected columns of a table, by contract key, in contract order."""
    table: Table = load_contract()[table_name]
    found: dict[str, IdColumn] = {}
    for column in table.columns:
        if column.type == "id_number":
            kind = "id"
        elif column.key in MIXED_COLUMNS.get(table_name, ()):
            kind = "mixed"
        elif column.key in LIST_COLUMNS.get(table_name, ()):
            kind = "list"
        else:
            continue
        found[column.key] = IdColumn(table_name, column.key, kind, column.required)
    return found


def stored_columns(table_name: str) -> list[str]:
    """The registry's database columns for the contract columns of a table, in contract order."""
    protected = id_columns(table_name)
    out: list[str] = []
    for column in load_contract()[table_name].columns:
        out.extend(protected[column.key].stored if column.key in protected else (column.key,))
    return out


def key_columns(table_name: str) -> list[str]:
    """The database columns of the natural key: an ID column is matched through its keyed hash."""
    protected = id_columns(table_name)
    return [protected[k].hash if k in protected else k for k in load_contract()[table_name].key]


def is_id_hash(value: object) -> bool:
    """A keyed hash of an ID as stored in `X_hash` (64 lower-case hex digits; never a uscc or an ID)."""
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
