"""PostgreSQL privileges for the application's database role on the access log (ASVS 16.4.2).

The trigger stops UPDATE and DELETE, but the table's owner can drop a trigger and TRUNCATE. In production
the schema is owned by a migration role and the web application connects as a separate role; this grants
that role only what appending and reading need: it can never change, delete or truncate log entries,
and cannot disable the trigger (only the owner can).
"""

from __future__ import annotations

import re

from django.db import connection

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_grant(role: str) -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError("database roles apply to PostgreSQL only")
    if not _ROLE.match(role):
        raise ValueError(f"invalid role name {role!r}")
    statements = [
        f"REVOKE ALL ON audit_accessevent FROM {role}",
        f"GRANT SELECT, INSERT ON audit_accessevent TO {role}",
        f"GRANT USAGE, SELECT ON SEQUENCE audit_accessevent_id_seq TO {role}",
        f"REVOKE ALL ON audit_chainhead FROM {role}",
        # The head row is updated on every append and locked with SELECT … FOR UPDATE (needs UPDATE).
        f"GRANT SELECT, INSERT, UPDATE ON audit_chainhead TO {role}",
        f"GRANT USAGE, SELECT ON SEQUENCE audit_chainhead_id_seq TO {role}",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
