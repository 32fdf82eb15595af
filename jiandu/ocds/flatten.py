"""Flatten compiled releases into relational tables in DuckDB, for set-based indicators.

Each table keeps exactly the facts Cardinal's indicators read, with Cardinal's type discipline: a value is kept only
if it has the JSON type the indicator needs (an ``amount`` must be a JSON number, a ``status`` or an ``id`` a JSON
string, ``numberOfTenderers`` a non-negative JSON integer, ``awards`` and ``bids.details`` arrays); otherwise the
column is NULL and the indicator treats it as absent. ``seq`` is the release's position in the input (0-based), so
that "first observed" and "last one wins" follow the file order.

Tables: ``releases``, ``bids``, ``bid_tenderers``, ``awards``, ``award_suppliers``, ``award_items``.
Only processes that pass Cardinal's global exclusions are loaded (see :func:`release_included`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

from jiandu.ocds.settings import Settings

SCHEMA: dict[str, list[tuple[str, pa.DataType]]] = {
    "releases": [
        ("seq", pa.int64()),
        ("ocid", pa.string()),
        ("buyer_id", pa.string()),
        ("procuring_entity_id", pa.string()),
        ("has_tender", pa.bool_()),
        ("procurement_method", pa.string()),
        ("procurement_method_details", pa.string()),
        ("number_of_tenderers", pa.int64()),
        ("tender_start", pa.string()),
        ("tender_end", pa.string()),
        ("has_awards", pa.bool_()),
        ("has_bid_details", pa.bool_()),
        ("price_comparison", pa.bool_()),
    ],
    "bids": [
        ("seq", pa.int64()),
        ("bid_idx", pa.int64()),
        ("status", pa.string()),
        ("date", pa.string()),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("tenderers_is_array", pa.bool_()),
        ("n_tenderers", pa.int64()),
        ("first_tenderer_id", pa.string()),
    ],
    "bid_tenderers": [
        ("seq", pa.int64()),
        ("bid_idx", pa.int64()),
        ("pos", pa.int64()),
        ("tenderer_id", pa.string()),
    ],
    "awards": [
        ("seq", pa.int64()),
        ("award_idx", pa.int64()),
        ("status", pa.string()),
        ("suppliers_is_array", pa.bool_()),
        ("n_suppliers", pa.int64()),
        ("first_supplier_id", pa.string()),
        ("items_is_array", pa.bool_()),
    ],
    "award_suppliers": [
        ("seq", pa.int64()),
        ("award_idx", pa.int64()),
        ("pos", pa.int64()),
        ("supplier_id", pa.string()),
    ],
    "award_items": [
        ("seq", pa.int64()),
        ("award_idx", pa.int64()),
        ("item_idx", pa.int64()),
        ("classification_id", pa.string()),
    ],
}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _natural(value: Any) -> int | None:
    """A JSON integer ≥ 0 (Rust's ``as_u64``): 1.0 and true are not integers."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def matches_procurement_method_details(
    release: dict[str, Any], include: frozenset[str], exclude: frozenset[str]
) -> bool:
    """Cardinal's allow/deny list on ``/tender/procurementMethodDetails``.

    A deny list works even when empty; an allow list only when non-empty. A process without the field matches only
    when no allow list is set.
    """
    details = _str(_obj(release.get("tender")).get("procurementMethodDetails"))
    if details is None:
        return not include
    if not include:
        return details not in exclude
    return details in include


def release_included(release: Any, settings: Settings) -> str | None:
    """Why a release is excluded from every indicator (Cardinal's global exclusions), or None if included."""
    if not isinstance(release, dict):
        return "not a JSON object"
    if not isinstance(release.get("ocid"), str):
        return "ocid is not a string"
    if _str(_obj(release.get("tender")).get("status")) == "cancelled":
        return "tender/status is cancelled"
    if not matches_procurement_method_details(
        release, frozenset(), settings.excluded_procurement_method_details
    ):
        return "[exclusions] procurement_method_details"
    return None


class _Columns:
    """A table being built column by column (Arrow builds much faster from columns than from row dicts)."""

    def __init__(self, name: str) -> None:
        self.names = [column for column, _ in SCHEMA[name]]
        self.data: dict[str, list[Any]] = {column: [] for column in self.names}

    def append(self, row: dict[str, Any]) -> None:
        for column in self.names:
            self.data[column].append(row[column])

    def __len__(self) -> int:
        return len(self.data[self.names[0]])


def flatten(releases: Iterable[Any], settings: Settings) -> tuple[dict[str, _Columns], Counter[str]]:
    """Columns per table, and the count of releases excluded per reason."""
    rows = {name: _Columns(name) for name in SCHEMA}
    excluded: Counter[str] = Counter()
    for seq, release in enumerate(releases):
        reason = release_included(release, settings)
        if reason:
            excluded[reason] += 1
            continue
        tender = release.get("tender")
        tender_obj = _obj(tender)
        period = _obj(tender_obj.get("tenderPeriod"))
        bids = _obj(release.get("bids")).get("details")
        awards = release.get("awards")
        rows["releases"].append(
            {
                "seq": seq,
                "ocid": release["ocid"],
                "buyer_id": _str(_obj(release.get("buyer")).get("id")),
                "procuring_entity_id": _str(_obj(tender_obj.get("procuringEntity")).get("id")),
                "has_tender": isinstance(tender, dict),
                "procurement_method": _str(tender_obj.get("procurementMethod")),
                "procurement_method_details": _str(tender_obj.get("procurementMethodDetails")),
                "number_of_tenderers": _natural(tender_obj.get("numberOfTenderers")),
                "tender_start": _str(period.get("startDate")),
                "tender_end": _str(period.get("endDate")),
                "has_awards": isinstance(awards, list),
                "has_bid_details": isinstance(bids, list),
                "price_comparison": matches_procurement_method_details(
                    release,
                    settings.price_comparison_procurement_methods,
                    settings.no_price_comparison_procurement_methods,
                ),
            }
        )
        for bid_idx, bid in enumerate(bids if isinstance(bids, list) else []):
            bid = _obj(bid)
            value = _obj(bid.get("value"))
            tenderers = bid.get("tenderers")
            first = _str(_obj(tenderers[0]).get("id")) if isinstance(tenderers, list) and tenderers else None
            rows["bids"].append(
                {
                    "seq": seq,
                    "bid_idx": bid_idx,
                    "status": _str(bid.get("status")),
                    "date": _str(bid.get("date")),
                    "amount": _number(value.get("amount")),
                    "currency": _str(value.get("currency")),
                    "tenderers_is_array": isinstance(tenderers, list),
                    "n_tenderers": len(tenderers) if isinstance(tenderers, list) else None,
                    "first_tenderer_id": first,
                }
            )
            for pos, tenderer in enumerate(tenderers if isinstance(tenderers, list) else []):
                tenderer_id = _str(_obj(tenderer).get("id"))
                if tenderer_id is not None:
                    rows["bid_tenderers"].append(
                        {"seq": seq, "bid_idx": bid_idx, "pos": pos, "tenderer_id": tenderer_id}
                    )
        for award_idx, award in enumerate(awards if isinstance(awards, list) else []):
            award = _obj(award)
            suppliers = award.get("suppliers")
            items = award.get("items")
            first = _str(_obj(suppliers[0]).get("id")) if isinstance(suppliers, list) and suppliers else None
            rows["awards"].append(
                {
                    "seq": seq,
                    "award_idx": award_idx,
                    "status": _str(award.get("status")),
                    "suppliers_is_array": isinstance(suppliers, list),
                    "n_suppliers": len(suppliers) if isinstance(suppliers, list) else None,
                    "first_supplier_id": first,
                    "items_is_array": isinstance(items, list),
                }
            )
            for pos, supplier in enumerate(suppliers if isinstance(suppliers, list) else []):
                supplier_id = _str(_obj(supplier).get("id"))
                if supplier_id is not None:
                    rows["award_suppliers"].append(
                        {"seq": seq, "award_idx": award_idx, "pos": pos, "supplier_id": supplier_id}
                    )
            for item_idx, item in enumerate(items if isinstance(items, list) else []):
                code = _str(_obj(_obj(item).get("classification")).get("id"))
                if code is not None:
                    rows["award_items"].append(
                        {"seq": seq, "award_idx": award_idx, "item_idx": item_idx, "classification_id": code}
                    )
    return rows, excluded


def flatten_into(con: duckdb.DuckDBPyConnection, releases: Iterable[Any], settings: Settings) -> Counter[str]:
    """Create the flattened tables in ``con`` (replacing any) and return the excluded counts."""
    rows, excluded = flatten(releases, settings)
    for name, columns in SCHEMA.items():
        con.register("_incoming", pa.Table.from_pydict(rows[name].data, schema=pa.schema(columns)))
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _incoming")
        con.unregister("_incoming")
    return excluded
