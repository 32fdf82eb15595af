"""PostgreSQL only: a trigger that refuses UPDATE and DELETE on the access log, whoever issues them.

The ORM already refuses (AccessEvent.save/delete and its queryset); the trigger also stops raw SQL from the
application's connection (an injection, a careless script). SQLite has no equivalent worth the name and the
embedded database is for single-user demo and development, so nothing is installed there.
TRUNCATE is not blocked here (the test suite's flush uses it); `jiandu audit verify` detects it through the
chain head row and the external anchors, and the planned separate database role has no TRUNCATE right.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_accessevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
DROP FUNCTION IF EXISTS audit_accessevent_append_only();
"""


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # None: the % in RAISE is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
