"""Reading and normalising delivered files (issue 3, framework-free half).

`read_file` turns a CSV / XLSX / JSONL delivery into one `Sheet` per table: typed valid rows plus the
rejected cells with Chinese reasons. Everything is driven by the contract (jiandu/spec/contract.yaml);
see docs/sources.md for the accepted forms of each type.
"""

from jiandu.analytics.intake.headers import recognise_table
from jiandu.analytics.intake.model import CellError, DeliveryError, Limits, Sheet
from jiandu.analytics.intake.reader import read_file
from jiandu.analytics.intake.scalar import CellValueError, normalise_value

__all__ = [
    "CellError",
    "CellValueError",
    "DeliveryError",
    "Limits",
    "Sheet",
    "normalise_value",
    "read_file",
    "recognise_table",
]
