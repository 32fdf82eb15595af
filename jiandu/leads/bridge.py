"""Lead register → DuckDB: the `leads` interface table the rules read (RCT-03, CND-04).

One row per lead subject (a lead about two officials gives two rows with the same lead_no), so a rule can
join on `subject_id` (the keyed hash of the ID, as in every registry table the rules read); a subject known
only by name has subject_id NULL. `source_table`/`source_rid` name the
registry record the lead came from ('alerts' and the alert id for a lead from an alert).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from jiandu.analytics.duck import create_empty_tables
from jiandu.leads.models import LeadSubject


def leads_to_duckdb(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the contents of `leads` in `con` with the register (one row per lead subject)."""
    create_empty_tables(con)
    con.execute("DELETE FROM leads")
    rows = list(
        LeadSubject.objects.order_by("lead_id", "id").values_list(
            "lead_id",
            "lead__lead_no",
            "lead__received",
            "lead__closed",
            "lead__source_table",
            "lead__source_rid",
            "id_number_hash",
            "lead__status",
        )
    )
    if not rows:
        return
    cols = list(zip(*rows, strict=True))
    arrow = pa.table(
        {
            "_rid": pa.array(cols[0], type=pa.int64()),
            "lead_no": pa.array(cols[1], type=pa.string()),
            "opened": pa.array(cols[2], type=pa.date32()),
            "closed": pa.array(cols[3], type=pa.date32()),
            "source_table": pa.array([v or None for v in cols[4]], type=pa.string()),
            "source_rid": pa.array(cols[5], type=pa.int64()),
            "subject_id": pa.array([v or None for v in cols[6]], type=pa.string()),
            "status": pa.array(cols[7], type=pa.string()),
        }
    )
    con.register("_incoming_leads", arrow)
    try:
        con.execute(
            "INSERT INTO leads SELECT _rid, lead_no, opened, closed, source_table, source_rid, subject_id, status "
            "FROM _incoming_leads"
        )
    finally:
        con.unregister("_incoming_leads")
