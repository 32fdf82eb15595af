"""What every indicator shares: the result container (Cardinal's output shape) and the common building blocks.

Common building blocks follow Cardinal's definitions (docs "cli/indicators/index", glossary):

- a **submitted** bid has a string status other than ``invited`` and ``withdrawn`` (pending, valid, disqualified);
- awards are **final** when ``/awards`` is an array, ``/bids/details`` is an array, and no award has a string
  status other than ``active``, ``cancelled`` or ``unsuccessful`` (a pending award makes results unstable);
  ``active`` awards are the complete (winning) ones;
- the **single award** case (R024, R025, R058): exactly one active award, made to exactly one supplier with an id;
- the **main currency** is the ``currency`` setting, else the first currency observed (in input order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb

from jiandu.ocds.settings import Settings

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")

FINAL_AWARDS_SQL = """
    SELECT r.seq
    FROM releases r
    WHERE r.has_awards AND r.has_bid_details
      AND NOT EXISTS (
        SELECT 1 FROM awards a
        WHERE a.seq = r.seq AND a.status IS NOT NULL AND a.status NOT IN ('active', 'cancelled', 'unsuccessful')
      )
"""

# Processes with final awards, exactly one active award, made to exactly one supplier with a string id.
SINGLE_AWARD_SQL = f"""
    SELECT a.seq, any_value(a.first_supplier_id) AS supplier_id
    FROM awards a
    WHERE a.seq IN ({FINAL_AWARDS_SQL}) AND a.status = 'active'
    GROUP BY a.seq
    HAVING count(*) = 1
       AND bool_and(a.suppliers_is_array AND a.n_suppliers = 1 AND a.first_supplier_id IS NOT NULL)
"""

SUBMITTED_BIDS_SQL = "SELECT * FROM bids WHERE status IS NOT NULL AND status NOT IN ('invited', 'withdrawn')"

# Valid bids with an amount, a currency and exactly one tenderer with a string id (Cardinal's price tuples).
VALID_PRICED_BIDS_SQL = """
    SELECT seq, bid_idx, first_tenderer_id AS tenderer_id, amount, currency
    FROM bids
    WHERE status = 'valid' AND amount IS NOT NULL AND currency IS NOT NULL
      AND tenderers_is_array AND n_tenderers = 1 AND first_tenderer_id IS NOT NULL
"""


@dataclass
class Results:
    """Cardinal's output: group → identifier → indicator code → value; plus ``Meta`` (quartiles and fences)."""

    results: dict[str, dict[str, dict[str, float]]] = field(default_factory=lambda: {g: {} for g in GROUPS})
    meta: dict[str, dict[str, float]] = field(default_factory=dict)
    # Flagged tenderers per flagged ocid, per indicator (Cardinal's --map "ocid_tenderer_rNNN"), and the
    # tenderers of each ocid ("ocid_tenderer").
    maps: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    # Cardinal's "ocid_buyer_r038" / "ocid_procuringentity_r038": the organisation of each ocid with a
    # disqualified bid.
    org_maps: dict[str, dict[str, str]] = field(default_factory=dict)

    def set(self, group: str, key: str, code: str, value: float) -> None:
        self.results[group].setdefault(key, {})[code] = float(value)

    def set_meta(self, code: str, key: str, value: float) -> None:
        self.meta.setdefault(code, {})[key] = value

    def map_tenderer(self, code: str, ocid: str, tenderer_id: str) -> None:
        self.maps.setdefault(f"ocid_tenderer_{code.lower()}", {}).setdefault(ocid, set()).add(tenderer_id)

    def maps_json(self) -> dict[str, Any]:
        """Cardinal's ``Maps`` key (``--map``)."""
        output: dict[str, Any] = {
            name: {ocid: sorted(ids) for ocid, ids in sorted(entries.items())}
            for name, entries in self.maps.items()
        }
        output.update({name: dict(sorted(entries.items())) for name, entries in self.org_maps.items()})
        return dict(sorted(output.items()))

    def as_json(self, *, meta: bool = True) -> dict[str, Any]:
        """Cardinal's JSON object: empty groups left out, ``Meta`` rounded to 4 decimals."""
        output: dict[str, Any] = {}
        for group in GROUPS:
            entries = self.results[group]
            if entries:
                output[group] = {
                    key: {code: _finite(value) for code, value in sorted(values.items())}
                    for key, values in sorted(entries.items())
                }
        if meta and self.meta:
            output["Meta"] = {
                code: {key: _round4(value) for key, value in values.items()}
                for code, values in sorted(self.meta.items())
            }
        return output


def _finite(value: float) -> float | None:
    """JSON has no NaN or infinity; Cardinal (serde_json) writes them as null."""
    return value if math.isfinite(value) else None


def _round4(value: float) -> float | None:
    if math.isnan(value) or math.isinf(value):
        return None
    # Rust: (v * 10_000.0).round() / 10_000.0, rounding half away from zero.
    scaled = value * 10_000.0
    rounded = math.floor(abs(scaled) + 0.5) * (1 if scaled >= 0 else -1)
    return rounded / 10_000.0


@dataclass
class Context:
    """The connection holding the flattened tables, the settings, and values shared between indicators."""

    con: duckdb.DuckDBPyConnection
    settings: Settings
    main_currency: str | None = None


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return con.execute(sql, params or []).fetchall()
