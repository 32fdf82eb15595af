"""The access log chain: append-only at the ORM and in PostgreSQL, tamper detection, anchors, no forks."""

from __future__ import annotations

import hashlib
import threading

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction

from jiandu.audit.chain import anchor_path, canonical_bytes, entry_fields
from jiandu.audit.commands import audit
from jiandu.audit.models import GENESIS_HASH, AccessEvent, AppendOnlyError, ChainHead
from jiandu.audit.services import access_event_record
from jiandu.audit.verify import chain_verify

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL-only (trigger, row locks across threads)"
)


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.JIANDU_AUDIT_ANCHOR_PATH = str(tmp_path / "audit-anchor.log")
    return tmp_path / "audit-anchor.log"


def _events(user, n: int) -> list[AccessEvent]:  # type: ignore[no-untyped-def]
    return [
        access_event_record(request_or_user=user, action="view", object_type="registry.persons", object_id=i)
        for i in range(1, n + 1)
    ]


def _raw(sql: str, params: list[object]) -> None:
    """Tamper as someone with direct database access would: raw SQL, the PostgreSQL trigger switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER USER")


def _verify_cli() -> tuple[int, str]:
    result = CliRunner().invoke(audit, ["verify"])
    return result.exit_code, result.output


def test_entries_chain_with_sm3_over_canonical_fields(people):
    first, second = _events(people["city"], 2)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.entry_hash
    stored = AccessEvent.objects.get(pk=second.pk)
    expected = hashlib.new("sm3", canonical_bytes(entry_fields(stored), stored.prev_hash)).hexdigest()
    assert stored.entry_hash == expected
    head = ChainHead.objects.get()
    assert (head.seq, head.entry_hash) == (2, second.entry_hash)
    report = chain_verify()
    assert report.intact and report.checked == 2
    assert _verify_cli()[0] == 0


def test_intl_family_chains_with_sha256(people, settings):
    settings.JIANDU_CRYPTO = "intl"
    event = _events(people["city"], 1)[0]
    stored = AccessEvent.objects.get(pk=event.pk)
    assert (
        stored.entry_hash == hashlib.sha256(canonical_bytes(entry_fields(stored), GENESIS_HASH)).hexdigest()
    )


def test_orm_refuses_update_and_delete(people):
    event = _events(people["city"], 1)[0]
    event.object_id = "999"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(object_id="999")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).delete()
    assert AccessEvent.objects.get(pk=event.pk).object_id == "1"


@on_postgresql
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_accessevent SET object_id = '999'", "DELETE FROM audit_accessevent"]
)
def test_postgresql_trigger_refuses_raw_update_and_delete(people, sql):
    _events(people["city"], 1)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AccessEvent.objects.filter(object_id="1").count() == 1


def test_verify_detects_a_modified_field(people):
    events = _events(people["city"], 5)
    _raw("UPDATE audit_accessevent SET object_id = %s WHERE seq = %s", ["4242", events[2].seq])
    report = chain_verify()
    assert not report.intact
    assert (report.first.seq, report.first.kind) == (3, "modified")
    code, output = _verify_cli()
    assert code != 0 and "第 3 条" in output


def test_verify_detects_a_modified_entry_whose_hash_was_recomputed(people):
    """A forger who rewrites an entry and its hash still breaks the next entry's link."""
    events = _events(people["city"], 4)
    target = AccessEvent.objects.get(seq=2)
    fields = entry_fields(target)
    fields["object_id"] = "4242"
    forged_hash = hashlib.new("sm3", canonical_bytes(fields, target.prev_hash)).hexdigest()
    _raw(
        "UPDATE audit_accessevent SET object_id = %s, entry_hash = %s WHERE seq = %s",
        ["4242", forged_hash, events[1].seq],
    )
    report = chain_verify()
    assert [(p.seq, p.kind) for p in report.problems] == [(3, "inserted")]


def test_verify_detects_a_deleted_entry(people):
    events = _events(people["city"], 5)
    _raw("DELETE FROM audit_accessevent WHERE seq = %s", [events[1].seq])
    report = chain_verify()
    assert (report.first.seq, report.first.kind) == (2, "deleted")
    assert _verify_cli()[0] != 0


def test_verify_detects_an_inserted_entry(people):
    events = _events(people["city"], 3)
    last = events[-1]
    _raw(
        "INSERT INTO audit_accessevent (seq, at, actor_username, scope_region, action, object_type, object_id, "
        "path, client_address, user_agent_hash, details, prev_hash, entry_hash) "
        "VALUES (%s, %s, '', '', 'view', 'registry.persons', '77', '', '', '', '{}', %s, %s)",
        [last.seq + 1, last.at, "f" * 64, "e" * 64],
    )
    kinds = {p.kind for p in chain_verify().problems}
    assert {"modified", "inserted", "head"} <= kinds


def test_verify_detects_a_truncated_tail_through_the_head_row(people):
    events = _events(people["city"], 4)
    _raw("DELETE FROM audit_accessevent WHERE seq = %s", [events[-1].seq])
    report = chain_verify()
    assert [p.kind for p in report.problems] == ["head"]


def test_anchor_file_records_heads_and_catches_a_rewritten_chain(
    people, settings, anchor_file, django_capture_on_commit_callbacks
):
    settings.JIANDU_AUDIT_ANCHOR_EVERY = 2
    with django_capture_on_commit_callbacks(execute=True):
        events = _events(people["city"], 5)
    assert anchor_path() == anchor_file
    lines = anchor_file.read_text().splitlines()
    assert [line.split("\t")[1:] for line in lines] == [
        ["2", "sm3", events[1].entry_hash],
        ["4", "sm3", events[3].entry_hash],
    ]
    assert chain_verify().anchors_checked == 2 and chain_verify().intact
    # Rewrite the whole chain consistently (and the head row): only the external anchor can tell.
    _raw("DELETE FROM audit_accessevent WHERE seq >= %s", [4])
    ChainHead.objects.update(seq=3, entry_hash=events[2].entry_hash)
    report = chain_verify()
    assert [(p.seq, p.kind) for p in report.problems] == [(4, "anchor")]


def test_anchor_command_writes_the_current_head(people, anchor_file):
    _events(people["city"], 3)
    result = CliRunner().invoke(audit, ["anchor"])
    assert result.exit_code == 0
    assert anchor_file.read_text().split("\t")[1] == "3"


def test_cli_registry_has_audit():
    from jiandu.cli import COMMANDS

    assert COMMANDS["audit"] == "jiandu.audit.commands:audit"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_do_not_fork_the_chain():
    from django.db import connections

    threads_count, per_thread = 4, 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_count)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                access_event_record(
                    request_or_user=None, action="view", object_type="registry.persons", object_id=f"{n}-{i}"
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seqs = list(AccessEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads_count * per_thread + 1))
    report = chain_verify()
    assert report.intact and report.checked == threads_count * per_thread
