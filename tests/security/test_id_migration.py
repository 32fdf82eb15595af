"""The upgrade that stopped storing plaintext IDs (registry 0003 fills the protected columns from the old
plaintext ones, 0004 drops those), run on a database holding rows stored the old way.

What it must leave: the keyed hash, the token that decrypts to the normalised ID, the masked form, no
plaintext column, and a row digest equal to the importer's, so re-delivering the same rows after the upgrade
finds them unchanged. A transaction test: the schema is migrated back and forth, and left at the latest state.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jiandu.analytics.contract import load_contract
from jiandu.registry.ids import id_plain
from jiandu.registry.models import CLASS_NAMES, REGISTRY
from jiandu.security.idnumbers import id_hash, id_normal
from jiandu.security.masking import mask_id_number
from jiandu.sources.services import sheet_store
from tests import builders
from tests.sources.samples import sample_rows, sample_sheet

BEFORE = [("registry", "0002_registry_indexes_no_delivery_fk")]
TABLES = ("officials", "payments", "family_members")


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, f"registry_{table}")}


@pytest.mark.django_db(transaction=True)
def test_upgrade_protects_stored_ids_and_a_redelivery_finds_the_rows_unchanged():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("registry")
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    try:
        assert "id_number" in _columns("officials")  # the old schema, with the plaintext column
        delivery = builders.make_delivery(file_name="old.csv")
        rows = {table: sample_rows(load_contract()[table], 2) for table in TABLES}
        rows["officials"][1]["id_number"] = rows["officials"][1]["id_number"].lower()  # as once stored
        for table in TABLES:
            model = old.get_model("registry", CLASS_NAMES[table])
            for number, row in enumerate(rows[table], start=2):
                model.objects.create(
                    delivery_id=delivery.pk,
                    source_file="old.csv",
                    source_hash="0" * 64,
                    source_row=number,
                    row_hash="f" * 64,
                    scope_region=builders.COUNTY_A,
                    **row,
                )
        _migrate(latest)
        assert not {"id_number"} & _columns("officials")
        assert not {"payee_code", "declarant_id"} & (_columns("payments") | _columns("family_members"))
        for stored, row in zip(
            REGISTRY["officials"].objects.order_by("source_row"), rows["officials"], strict=True
        ):
            plain = id_normal(row["id_number"])
            assert stored.id_number_hash == id_hash(row["id_number"]) == id_hash(plain)
            assert id_plain(stored, "id_number") == plain
            assert stored.id_number_masked == mask_id_number(plain)
        for table in TABLES:  # the same rows delivered again: nothing to change
            again = sheet_store(sheet=sample_sheet(table, rows[table]), delivery=builders.make_delivery())
            assert (again.accepted, again.updated, again.unchanged) == (0, 0, 2), table
    finally:
        _migrate(latest)
