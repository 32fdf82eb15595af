"""Background work of the sources app (huey; see settings.HUEY and docs/import.md, "Background imports")."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from jiandu.sources.services import delivery_run


@db_task()
def delivery_import_task(delivery_id: int) -> None:
    """Import an uploaded delivery; progress is written to the Delivery row while it runs."""
    delivery_run(delivery_id)
