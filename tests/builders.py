"""Plain builders for tests: an owner, a colleague and an outsider for every protected object."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.accounts.models import Organisation, User
from jiandu.accounts.roles import Role
from jiandu.analytics.idcolumns import id_columns
from jiandu.analytics.identifiers import id_check_char, uscc_check_char
from jiandu.registry.ids import id_plain
from jiandu.registry.models import REGISTRY, RegistryRecord
from jiandu.sources.models import Delivery

CITY = "349900"
COUNTY_A = "349902"
COUNTY_B = "349903"
PASSWORD = "Test-password-2026"


def make_id(region: str = COUNTY_A, birth: str = "19700101", seq: int = 1) -> str:
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_check_char(first17)


def make_uscc(region: str = COUNTY_A, serial: int = 1) -> str:
    first17 = f"11{region}{serial:09d}"
    return first17 + uscc_check_char(first17)


def make_org(
    kind: str = Organisation.Kind.CITY_COMMISSION, region: str = CITY, name: str | None = None
) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name or f"{kind}-{region}", defaults={"kind": kind, "region_code": region}
    )
    return org


def make_user(username: str, role: str = Role.SUPERVISOR, region: str = CITY, **org_kw: Any) -> User:
    kind = org_kw.pop(
        "kind", Organisation.Kind.CITY_COMMISSION if region == CITY else Organisation.Kind.COUNTY_COMMISSION
    )
    org = make_org(kind=kind, region=region)
    user = User.objects.create_user(username=username, password=PASSWORD, role=role)
    user.organisation = org
    user.jurisdiction = region
    user.save()
    return user


def step_up(client: Any, password: str = PASSWORD, next_url: str = "/", **extra: str) -> Any:
    """Re-authenticate on the step-up page (jiandu/security/stepup.py), as a user does before an export."""
    from django.urls import reverse

    return client.post(reverse("step_up"), {"password": password, "next": next_url, **extra})


def make_delivery(**kw: Any) -> Delivery:
    return Delivery.objects.create(file_name=kw.pop("file_name", "test.csv"), file_hash="0" * 64, **kw)


def make_record(table: str, scope: str, **values: Any) -> RegistryRecord:
    """A registry row with provenance; required columns get plausible defaults."""
    model = REGISTRY[table]
    delivery = values.pop("delivery", None) or make_delivery()
    defaults: dict[str, Any] = {}
    for column in model.table.columns:
        if column.key in values or not column.required:
            continue
        defaults[column.key] = _default_for(column.type, column.values, len(defaults))
    row = model.objects.create(
        delivery=delivery,
        source_file=delivery.file_name,
        source_hash=delivery.file_hash,
        source_row=2,
        row_hash="x",
        scope_region=scope,
        **{**defaults, **values},
    )
    return row


def plain(record: RegistryRecord, key: str) -> Any:
    """A contract column's value as delivered: decrypted for an ID column (the registry stores no plaintext)."""
    if key in id_columns(record.table.name):
        return id_plain(record, key)
    return getattr(record, key)


def _default_for(kind: str, values: tuple[str, ...], n: int) -> Any:
    if kind == "id_number":
        return make_id(seq=n + 1)
    if kind == "uscc":
        return make_uscc(serial=n + 1)
    if kind == "region":
        return COUNTY_A
    if kind == "date":
        return dt.date(2025, 1, 1)
    if kind in ("money", "int"):
        return 1
    if kind == "bool":
        return False
    if kind == "enum":
        return values[0]
    if kind == "list":
        return []
    return f"value-{n}"
