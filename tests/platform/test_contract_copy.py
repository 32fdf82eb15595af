"""The package's contract copy must be the shared spec, so the registry is built to the real contract."""

from __future__ import annotations

import pytest

from jiandu.analytics.contract import CONTRACT_PATH, load_contract
from jiandu.analytics.idcolumns import id_columns, stored_columns
from jiandu.registry.models import REGISTRY
from tests.checkout import shared_dir

SHARED = shared_dir() / "spec" / "contract.yaml"


def test_contract_has_the_23_tables_and_the_registry_all_of_them():
    tables = load_contract()
    assert len(tables) == 23
    assert set(REGISTRY) == set(tables)
    for name, model in REGISTRY.items():
        field_names = {f.name for f in model._meta.get_fields()}
        assert set(stored_columns(name)) <= field_names, name
        # an ID column is stored only as hash, token and masked form: no plaintext field
        assert not set(id_columns(name)) & field_names, name


@pytest.mark.skipif(not SHARED.exists(), reason="shared spec folder not beside this checkout")
def test_contract_copy_matches_shared_spec():
    assert CONTRACT_PATH.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")
