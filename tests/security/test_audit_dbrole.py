"""PostgreSQL: the application's role can append to and read the access log, never change or remove it."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner
from django.db import connection

from jiandu.audit.commands import audit
from jiandu.audit.services import access_event_record

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles"),
    pytest.mark.django_db(transaction=True),
]
ROLE = "jiandu_security_test_app"


@pytest.fixture
def app_connection():  # type: ignore[no-untyped-def]
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {ROLE}")
        cursor.execute(f"CREATE ROLE {ROLE} LOGIN")
        cursor.execute(f'GRANT CONNECT ON DATABASE "{settings["NAME"]}" TO {ROLE}')
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
    result = CliRunner().invoke(audit, ["grant", ROLE])
    assert result.exit_code == 0, result.output
    conn = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=ROLE,
        autocommit=True,
    )
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {ROLE}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {ROLE}")
        cursor.execute(f"REVOKE ALL ON SCHEMA public FROM {ROLE}")
        cursor.execute(f'REVOKE ALL ON DATABASE "{settings["NAME"]}" FROM {ROLE}')
        cursor.execute(f"DROP ROLE {ROLE}")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accessevent SET object_id = 'x'",
        "DELETE FROM audit_accessevent",
        "TRUNCATE audit_accessevent",
        "ALTER TABLE audit_accessevent DISABLE TRIGGER USER",
    ],
)
def test_app_role_cannot_change_the_log(app_connection, sql):
    access_event_record(request_or_user=None, action="view", object_type="registry.officials", object_id=1)
    with pytest.raises(psycopg.Error) as info:
        app_connection.execute(sql)
    # Refused by the privileges themselves, before the trigger could answer ("append-only").
    message = str(info.value)
    assert "permission denied" in message or "must be owner" in message, message
    assert app_connection.execute("SELECT count(*) FROM audit_accessevent").fetchone() == (1,)


def test_app_role_can_append_and_read(app_connection):
    app_connection.execute("BEGIN")
    app_connection.execute("SELECT seq FROM audit_chainhead WHERE id = 1 FOR UPDATE")
    app_connection.execute(
        "INSERT INTO audit_accessevent (seq, at, actor_username, scope_region, action, object_type, object_id, "
        "path, client_address, user_agent_hash, details, prev_hash, entry_hash) "
        "VALUES (1, now(), '', '', 'view', 't', '1', '', '', '', '{}', %s, %s)",
        ["0" * 64, "a" * 64],
    )
    app_connection.execute("UPDATE audit_chainhead SET seq = 1 WHERE id = 1")
    app_connection.execute("COMMIT")
    assert app_connection.execute("SELECT count(*) FROM audit_accessevent").fetchone() == (1,)
