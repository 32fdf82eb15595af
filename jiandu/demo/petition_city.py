"""The demo city's petitions and the registers they name, in memory and in the analytics DuckDB shape.

`jiandu resolve-bench` scores petition linking on them without writing and importing the deliveries: the
same world `generate` writes (same seed, same scale), the same rows, with the truth each petition carries.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from jiandu.analytics.contract import load_contract

TABLES = ("units", "positions", "officials", "petitions")
_ARROW = {"date": pa.date32(), "bool": pa.bool_(), "int": pa.int64(), "list": pa.list_(pa.string())}


def petition_city(
    seed: int = 7, scale: float = 1.0
) -> tuple[duckdb.DuckDBPyConnection, dict[str, str | None]]:
    """(DuckDB with units, positions, officials and petitions; petition_no → true official id or None)."""
    from jiandu.demo.generate import build_world

    world, _cases = build_world(seed, scale, lambda stage, done, total: None)
    contract = load_contract()
    con = duckdb.connect()
    for name in TABLES:
        columns = contract[name].columns
        rows = world.rows.get(name, [])
        data = {
            c.key: pa.array([r.get(c.key) for r in rows], _ARROW.get(c.type, pa.string())) for c in columns
        }
        data["_rid"] = pa.array(range(1, len(rows) + 1), pa.int64())
        con.register("_city_rows", pa.table(data))
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _city_rows')
        con.unregister("_city_rows")
    truth = {r["petition_no"]: r["_petition_link"] for r in world.rows.get("petitions", [])}
    return con, truth
