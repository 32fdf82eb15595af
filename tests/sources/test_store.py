"""Storage of read sheets: every contract table lands with provenance, idempotently, with version history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from jiandu.analytics.contract import load_contract
from jiandu.registry.models import REGISTRY, RecordVersion
from jiandu.sources.models import Delivery
from jiandu.sources.services import sheet_store
from tests import builders
from tests.sources.samples import Cell, sample_rows, sample_sheet

pytestmark = pytest.mark.django_db

TABLES = sorted(load_contract())


def store(table: str, rows, *, errors=None, user=None, path: Path | None = None) -> Delivery:  # type: ignore[no-untyped-def]
    delivery = builders.make_delivery(file_name="sample.csv")
    sheet = sample_sheet(table, rows, errors)
    return sheet_store(sheet=sheet, delivery=delivery, user=user, path=path)


@pytest.mark.parametrize("table", TABLES)
def test_each_table_stores_rows_with_provenance(table):
    contract = load_contract()[table]
    rows = sample_rows(contract, 3)
    delivery = store(table, rows)
    assert (delivery.status, delivery.accepted, delivery.updated, delivery.unchanged) == ("done", 3, 0, 0)
    stored = list(REGISTRY[table].objects.order_by("source_row"))
    assert [r.source_row for r in stored] == [2, 3, 4]
    for record, row in zip(stored, rows, strict=True):
        assert record.delivery_id == delivery.pk
        assert record.source_file == "sample.csv"
        assert record.source_hash == delivery.file_hash
        assert len(record.row_hash) == 64
        # PostgreSQL's first delivery leaves the timestamps to the columns' default (the COPY's start)
        assert record.created_at == record.updated_at
        assert abs(record.created_at - timezone.now()) < dt.timedelta(minutes=1)
        for key, value in row.items():
            assert builders.plain(record, key) == value, (table, key)


@pytest.mark.parametrize("table", TABLES)
def test_same_rows_again_change_nothing(table):
    rows = sample_rows(load_contract()[table], 3)
    first = store(table, rows)
    before = list(REGISTRY[table].objects.values().order_by("id"))
    again = store(table, rows)
    assert (again.accepted, again.updated, again.unchanged) == (0, 0, 3)
    assert list(REGISTRY[table].objects.values().order_by("id")) == before
    assert all(r["delivery_id"] == first.pk for r in before)
    assert not RecordVersion.objects.exists()


@pytest.mark.parametrize("table", TABLES)
def test_changed_rows_update_and_keep_previous_version(table, people):
    contract = load_contract()[table]
    if len(contract.key) == len(contract.columns):
        pytest.skip("every column is part of the key")
    store(table, sample_rows(contract, 3))
    old = {r.pk: r for r in REGISTRY[table].objects.all()}
    changed = sample_rows(contract, 3, salt=7)
    second = store(table, changed[:2] + sample_rows(contract, 3)[2:], user=people["clerk"])
    assert (second.accepted, second.updated, second.unchanged) == (0, 2, 1)
    versions = RecordVersion.objects.filter(table_name=table).order_by("record_id")
    assert versions.count() == 2
    for version in versions:
        previous = old[version.record_id]
        assert version.replaced_by_delivery_id == second.pk
        assert version.replaced_by_user_id == people["clerk"].pk
        assert version.source["delivery_id"] == previous.delivery_id
        assert version.source["row_hash"] == previous.row_hash
        current = REGISTRY[table].objects.get(pk=version.record_id)
        assert current.delivery_id == second.pk
        assert current.row_hash != previous.row_hash


def test_rejected_rows_are_counted_and_valid_rows_still_land(tmp_path):
    contract = load_contract()["payments"]
    rows = sample_rows(contract, 2)
    csv_path = tmp_path / "国库集中支付.csv"
    csv_path.write_text(
        "支付流水号,付款单位代码,收款方名称,金额,支付日期\n"
        "P1,X,甲公司,12,2025-01-01\n"
        "P2,Y,乙公司,abc,2025-01-01\n"
        "P3,Z,丙公司,5,2025-13-01\n",
        encoding="utf-8",
    )
    errors = [
        Cell(row=3, column="amount", header="金额", value="abc", reason="金额格式错误"),
        Cell(row=4, column="paid", header="支付日期", value="2025-13-01", reason="日期无效"),
    ]
    delivery = builders.make_delivery(file_name=csv_path.name)
    sheet = sample_sheet("payments", rows, errors)
    sheet_store(sheet=sheet, delivery=delivery, path=csv_path)
    delivery.refresh_from_db()
    assert (delivery.accepted, delivery.rejected, delivery.total_rows) == (2, 2, 4)
    from jiandu.sources.reports import report_path

    report = report_path(delivery, "csv").read_text(encoding="utf-8-sig").splitlines()
    assert report[0] == "支付流水号,付款单位代码,收款方名称,金额,支付日期,原行号,错误原因"
    assert report[1] == "P2,Y,乙公司,abc,2025-01-01,3,金额：金额格式错误"
    assert report[2] == "P3,Z,丙公司,5,2025-13-01,4,支付日期：日期无效"
    from openpyxl import load_workbook

    sheet_xlsx = load_workbook(report_path(delivery, "xlsx")).active
    assert [c.value for c in sheet_xlsx[2]] == [
        "P2",
        "Y",
        "乙公司",
        "abc",
        "2025-01-01",
        3,
        "金额：金额格式错误",
    ]
    assert sheet_xlsx["D2"].comment.text == "金额格式错误"


def _orphans(table: str) -> int:
    """Registry rows whose delivery does not exist (the column has no database constraint; see models.py)."""
    return REGISTRY[table].objects.exclude(delivery_id__in=Delivery.objects.values("pk")).count()


@pytest.mark.parametrize("table", ["payments", "officials", "company_roles"])
def test_every_row_references_an_existing_delivery_which_cannot_be_deleted(table):
    from django.db.models import ProtectedError

    contract = load_contract()[table]
    store(table, sample_rows(contract, 3))
    second = store(table, sample_rows(contract, 4, salt=7))
    assert REGISTRY[table].objects.count() >= 4
    assert _orphans(table) == 0
    with pytest.raises(ProtectedError):
        second.delete()
    assert _orphans(table) == 0


def test_registry_tables_carry_only_the_declared_indexes():
    """db_index on a char column adds a second (pattern_ops) index on PostgreSQL; each one costs every
    imported row, so the registry declares its indexes explicitly (registry/models.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "registry_payments")
    indexed = sorted(
        tuple(c["columns"]) for c in found.values() if (c["index"] or c["unique"]) and not c["primary_key"]
    )
    assert indexed == [("payer_code",), ("payment_no",), ("scope_region",)]
    assert not [c for c in found.values() if c["foreign_key"]]


def _index_columns(table: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, f"registry_{table}")
    return sorted(tuple(c["columns"]) for c in found.values() if c["index"] or c["unique"])


def test_large_first_delivery_rebuilds_the_indexes_it_dropped(monkeypatch):
    from jiandu.sources import merge

    monkeypatch.setattr(merge, "REBUILD_MIN_ROWS", 2)
    contract = load_contract()["payments"]
    before = _index_columns("payments")
    assert merge.rebuild_pays(connection, contract, 3)
    delivery = store("payments", sample_rows(contract, 3))
    assert (delivery.status, delivery.accepted) == ("done", 3)
    assert _index_columns("payments") == before
    # the table now holds as many rows as a delivery of 3: no rebuild for the next one
    assert not merge.rebuild_pays(connection, contract, 3)


def test_failed_merge_keeps_the_dropped_indexes(monkeypatch):
    from jiandu.sources import merge, services

    monkeypatch.setattr(merge, "REBUILD_MIN_ROWS", 2)
    before = _index_columns("payments")

    dropped = []

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        dropped.append(_index_columns("payments"))
        raise RuntimeError("insert failed while the indexes were dropped")

    monkeypatch.setattr(services, "rows_insert", broken)  # PostgreSQL's first delivery
    monkeypatch.setattr(services, "rows_upsert", broken)  # SQLite's
    with pytest.raises(RuntimeError):
        store("payments", sample_rows(load_contract()["payments"], 3))
    assert not REGISTRY["payments"].objects.exists()
    assert len(dropped[0]) < len(before)
    assert _index_columns("payments") == before


def test_error_report_keeps_delivered_formulas_as_text(tmp_path):
    """A delivered cell that looks like a formula must stay text in the report a clerk opens in Excel/WPS."""
    from openpyxl import load_workbook

    from jiandu.sources.reports import report_path

    rows = sample_rows(load_contract()["payments"], 1)
    csv_path = tmp_path / "国库集中支付.csv"
    csv_path.write_text(
        '支付流水号,付款单位代码,收款方名称,金额,支付日期\nP1,X,"=HYPERLINK(""http://x"",""y"")",abc,2025-01-01\n',
        encoding="utf-8",
    )
    errors = [Cell(row=2, column="amount", header="金额", value="abc", reason="金额格式错误")]
    delivery = builders.make_delivery(file_name=csv_path.name)
    sheet_store(sheet=sample_sheet("payments", rows[:0], errors), delivery=delivery, path=csv_path)
    cell = load_workbook(report_path(delivery, "xlsx")).active["C2"]
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s"


def test_mixed_delivery_writes_only_new_and_changed_rows():
    """New, changed and unchanged rows in one file: only the first two are staged and written."""
    contract = load_contract()["payments"]
    first = store("payments", sample_rows(contract, 3))
    before = {r.payment_no: r for r in REGISTRY["payments"].objects.all()}
    rows = sample_rows(contract, 4)
    rows[1] = sample_rows(contract, 4, salt=7)[1] | {"payment_no": rows[1]["payment_no"]}
    second = store("payments", rows)
    assert (second.accepted, second.updated, second.unchanged) == (1, 1, 2)
    after = {r.payment_no: r for r in REGISTRY["payments"].objects.all()}
    kept, changed, _, new = (r["payment_no"] for r in rows)
    assert after[kept].delivery_id == first.pk and after[kept].updated_at == before[kept].updated_at
    assert after[changed].delivery_id == second.pk and after[changed].pk == before[changed].pk
    assert after[new].delivery_id == second.pk and new not in before
    assert RecordVersion.objects.filter(record_id=before[changed].pk).count() == 1


def test_a_report_that_cannot_be_written_stores_nothing(tmp_path, monkeypatch):
    """The error report is written while the rows are stored, and awaited inside the merge transaction."""
    from jiandu.sources import services

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(services, "error_reports_write", broken)
    csv_path = tmp_path / "国库集中支付.csv"
    csv_path.write_text(
        "支付流水号,付款单位代码,收款方名称,金额,支付日期\nP1,X,甲公司,abc,2025-01-01\n", "utf-8"
    )
    errors = [Cell(row=2, column="amount", header="金额", value="abc", reason="金额格式错误")]
    delivery = builders.make_delivery(file_name=csv_path.name)
    sheet = sample_sheet("payments", sample_rows(load_contract()["payments"], 3), errors)
    with pytest.raises(OSError):
        sheet_store(sheet=sheet, delivery=delivery, path=csv_path)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and not REGISTRY["payments"].objects.exists()
