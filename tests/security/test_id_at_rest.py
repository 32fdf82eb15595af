"""Resident IDs at rest: hashed, encrypted and masked columns, no plaintext in any table, dump or history.

A small delivery with IDs in every kind of column (typed, a legacy 15-digit number, a text column holding a
person's ID or a company's uscc, a list of IDs) goes through the real importer; then every row of every table
of the database is read back raw and searched for the plaintext IDs.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from jiandu.accounts.roles import Role
from jiandu.analytics.contract import load_contract
from jiandu.analytics.idcolumns import id_columns, is_id_hash
from jiandu.audit.models import AccessEvent
from jiandu.registry.id_migration import protected_rows
from jiandu.registry.ids import id_plain, plain_for_hashes
from jiandu.registry.models import REGISTRY, RecordVersion
from jiandu.security.crypto import DecryptionError
from jiandu.security.idnumbers import id_hash, protect_values
from jiandu.sources.services import delivery_import
from tests import builders

pytestmark = pytest.mark.django_db

A = builders.COUNTY_A
DIRECTOR = builders.make_id(A, "19700101", 11)
SPOUSE = builders.make_id(A, "19720303", 22)
SON = builders.make_id(A, "19750505", 31)  # delivered as a legacy 15-digit number in company_roles
SON_15 = SON[:6] + SON[8:17]
PAYEE = builders.make_id(A, "19800909", 41)
UNIT = builders.make_uscc(A, 1)
COMPANY = builders.make_uscc(A, 2)
PLAINTEXTS = (DIRECTOR, SPOUSE, SON, SON_15, PAYEE)


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    path = folder / f"{name}.csv"
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def deliver_city(folder: Path) -> None:
    """Officials, relatives, a company role held through a 15-digit ID, a payment to a person, a finding."""
    files = [
        (
            "units",
            ["单位代码", "单位名称", "行政区划代码", "单位类别", "层级"],
            [[UNIT, "某县住建局", A, "党政机关", "县"]],
        ),
        ("officials", ["身份证号", "姓名", "性别"], [[DIRECTOR, "王建国", "男"], [SPOUSE, "陈秀英", "女"]]),
        (
            "positions",
            ["身份证号", "单位代码", "职务", "是否主要负责人", "是否班子成员", "任职日期"],
            [[DIRECTOR, UNIT, "局长", "是", "是", "2020-01-01"]],
        ),
        (
            "family_members",
            ["报告人身份证号", "报告年度", "关系", "姓名", "身份证号"],
            [[DIRECTOR, "2025", "配偶", "陈秀英", SPOUSE], [DIRECTOR, "2025", "子女", "王小明", SON.lower()]],
        ),
        ("companies", ["统一社会信用代码", "企业名称", "成立日期"], [[COMPANY, "某建筑公司", "2015-01-01"]]),
        (
            "company_roles",
            ["统一社会信用代码", "姓名或名称", "证件号码", "角色", "起始日期"],
            [
                [COMPANY, "王小明", SON_15, "股东", "2021-03-01"],
                [COMPANY, "某投资公司", UNIT, "股东", "2021-03-01"],
            ],
        ),
        (
            "payments",
            ["支付流水号", "付款单位代码", "收款方名称", "收款方证件号", "金额", "支付日期"],
            [
                ["ZF-1", UNIT, "李四", PAYEE, "1000.00", "2025-05-01"],
                ["ZF-2", UNIT, "某建筑公司", COMPANY, "5.00", "2025-05-02"],
            ],
        ),
        (
            "inspection_findings",
            [
                "问题编号",
                "巡察轮次",
                "被巡察单位代码",
                "涉及人员身份证号",
                "问题描述",
                "问题类别",
                "发现日期",
            ],
            [["XC-1", "2025-1", UNIT, f"{DIRECTOR};{SPOUSE}", "违规发放津补贴", "廉洁纪律", "2025-06-01"]],
        ),
    ]
    for name, header, rows in files:
        [delivery] = delivery_import(path=_write(folder, name, header, rows), table=name)
        assert delivery.status == "done" and delivery.rejected == 0, (name, delivery.message)


def _all_rows_text() -> str:
    """Every value of every table in the database, as text (what a backup would hold)."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            texts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(texts)


def _leaks(text: str) -> list[str]:
    return [p for p in PLAINTEXTS if p in text or p.lower() in text]


def test_no_plaintext_id_in_any_table_after_import(tmp_path):
    deliver_city(tmp_path)
    official = REGISTRY["officials"].objects.get(name="王建国")
    assert official.id_number_hash == id_hash(DIRECTOR) and is_id_hash(official.id_number_hash)
    assert official.id_number_masked == DIRECTOR[:6] + "********" + DIRECTOR[-4:]
    assert id_plain(official, "id_number") == DIRECTOR
    with pytest.raises(AttributeError, match="不以明文存储"):
        _ = official.id_number
    role = REGISTRY["company_roles"].objects.get(holder_name="王小明")
    company_role = REGISTRY["company_roles"].objects.get(holder_name="某投资公司")
    assert (role.holder_id_hash, role.holder_id_code) == (id_hash(SON), None)  # 15 digits → the 18-digit hash
    assert id_plain(role, "holder_id") == SON
    assert (company_role.holder_id_hash, company_role.holder_id_code) == (None, UNIT)  # a uscc stays readable
    finding = REGISTRY["inspection_findings"].objects.get()
    assert finding.person_ids_hash == [id_hash(DIRECTOR), id_hash(SPOUSE)]
    assert id_plain(finding, "person_ids") == [DIRECTOR, SPOUSE]
    assert _leaks(_all_rows_text()) == []


def test_joins_find_the_same_people_through_hashes(tmp_path):
    deliver_city(tmp_path)
    director = REGISTRY["officials"].objects.get(name="王建国")
    # scope of person rows comes from the position's unit, matched by hash
    assert REGISTRY["family_members"].objects.filter(declarant_id_hash=director.id_number_hash).count() == 2
    assert set(REGISTRY["family_members"].objects.values_list("scope_region", flat=True)) == {A}
    import duckdb

    from jiandu.registry.bridge import registry_to_duckdb

    con = duckdb.connect()
    registry_to_duckdb(con)
    joined = con.execute(
        "SELECT f.name FROM family_members f JOIN company_roles r ON r.holder_id = f.id_number"
    ).fetchall()
    assert joined == [("王小明",)]
    assert con.execute("SELECT count(*) FROM officials WHERE id_number = ?", [DIRECTOR]).fetchone() == (0,)
    facts = dict(con.execute("SELECT id_number, gender FROM id_facts").fetchall())
    assert facts[id_hash(DIRECTOR)] == "男" and facts[id_hash(SPOUSE)] == "女"
    everything = "\n".join(
        str(v)
        for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        for row in con.execute(f'SELECT * FROM "{t}"').fetchall()
        for v in row
    )
    assert _leaks(everything) == []


def test_history_keeps_no_plaintext_and_unchanged_redelivery_is_unchanged(tmp_path):
    deliver_city(tmp_path)
    path = _write(
        tmp_path,
        "officials",
        ["身份证号", "姓名", "性别"],
        [[DIRECTOR, "王建国", "男"], [SPOUSE, "陈秀英", "女"]],
    )
    [again] = delivery_import(path=path, table="officials")
    assert (again.accepted, again.updated, again.unchanged) == (0, 0, 2)
    path = _write(tmp_path, "officials", ["身份证号", "姓名", "性别"], [[DIRECTOR, "王建国", "女"]])
    [changed] = delivery_import(path=path, table="officials")
    assert (changed.accepted, changed.updated) == (0, 1)
    [version] = RecordVersion.objects.filter(table_name="officials")
    assert version.values["id_number_hash"] == id_hash(DIRECTOR)
    assert version.values["id_number_masked"].startswith(A) and "id_number" not in version.values
    assert _leaks(json.dumps(version.values)) == []


def test_migration_digest_equals_the_importers(tmp_path):
    """The data migration recomputes row_hash from plaintext values; it must equal what the importer stores,
    or the first re-delivery after upgrading would rewrite every row."""
    deliver_city(tmp_path)
    for name in ("officials", "family_members", "company_roles", "payments", "inspection_findings"):
        table = load_contract()[name]
        records = list(REGISTRY[name].objects.order_by("id"))
        plain = [{c.key: builders.plain(r, c.key) for c in table.columns} for r in records]
        for record, new in zip(records, protected_rows(table, plain), strict=True):
            assert new["row_hash"] == record.row_hash, name
            for spec in id_columns(name).values():
                assert new[spec.hash] == getattr(record, spec.hash), (name, spec.key)


def test_dumpdata_holds_no_plaintext_id(tmp_path):
    deliver_city(tmp_path)
    out = io.StringIO()
    call_command("dumpdata", "registry", "leads", "entities", "alerts", stdout=out)
    assert id_hash(DIRECTOR) in out.getvalue()
    assert _leaks(out.getvalue()) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump reads a PostgreSQL database; runs on CI's PostgreSQL leg",
)
@pytest.mark.django_db(transaction=True)
def test_pg_dump_of_the_registry_holds_no_plaintext_id(tmp_path):
    """On PostgreSQL a missing pg_dump client fails the test (subprocess), it is not skipped."""
    deliver_city(tmp_path)
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    command = ["pg_dump", "-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432)]
    command += ["-U", params["USER"], "-t", "registry_*", params["NAME"]]
    dump = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    assert "registry_officials" in dump and id_hash(DIRECTOR) in dump
    assert _leaks(dump) == []


def test_search_by_full_id_finds_the_official_and_a_prefix_does_not(tmp_path):
    deliver_city(tmp_path)
    client = Client()
    client.force_login(builders.make_user("searcher", Role.SUPERVISOR))
    url = reverse("registry_list", args=["officials"])
    page = client.get(url, {"q": DIRECTOR.lower()}).content.decode()
    assert "王建国" in page and "陈秀英" not in page
    assert "王建国" not in client.get(url, {"q": DIRECTOR[:10]}).content.decode()
    assert "王建国" in client.get(url, {"q": "王建"}).content.decode()
    found = client.get(reverse("search"), {"q": DIRECTOR}).content.decode()
    assert "王建国" in found


def test_pages_show_masked_ids_and_full_ones_only_to_the_role_that_needs_them(tmp_path):
    deliver_city(tmp_path)
    official = REGISTRY["officials"].objects.get(name="王建国")
    url = reverse("registry_detail", args=["officials", official.pk])
    auditor = Client()
    auditor.force_login(builders.make_user("auditor", Role.AUDITOR))
    page = auditor.get(url, {"unmask": "1"}).content.decode()
    assert official.id_number_masked in page and DIRECTOR not in page
    assert "显示完整身份证号" not in page
    supervisor = Client()
    user = builders.make_user("handler", Role.SUPERVISOR)
    supervisor.force_login(user)
    page = supervisor.get(url).content.decode()
    assert DIRECTOR not in page and "显示完整身份证号" in page
    assert AccessEvent.objects.filter(actor=user, action="view", details={}).exists()
    page = supervisor.get(url, {"unmask": "1"}).content.decode()
    assert DIRECTOR in page
    event = AccessEvent.objects.filter(actor=user, action="view").order_by("-seq").first()
    assert event.details == {"unmasked": ["id_number"]}
    portrait = supervisor.get(reverse("official_portrait", args=[official.pk])).content.decode()
    assert official.id_number_masked in portrait and DIRECTOR not in portrait
    listing = supervisor.get(reverse("registry_list", args=["family_members"])).content.decode()
    assert _leaks(listing) == [] and SPOUSE[:6] + "********" + SPOUSE[-4:] in listing


def test_a_wrong_data_key_fails_loudly(tmp_path, settings):
    deliver_city(tmp_path)
    official = REGISTRY["officials"].objects.get(name="王建国")
    settings.JIANDU_DATA_KEY = base64.b64decode(base64.b64encode(bytes(range(32))))
    with pytest.raises(DecryptionError):
        id_plain(official, "id_number")
    with pytest.raises(DecryptionError):
        plain_for_hashes([official.id_number_hash])
    assert id_hash(DIRECTOR) != official.id_number_hash  # another key: the hash no longer finds the row


def test_alert_export_decrypts_ids_for_auditors(tmp_path):
    from click.testing import CliRunner

    from jiandu.alerts.commands import export
    from jiandu.alerts.models import Alert, Scan

    deliver_city(tmp_path)
    scan = Scan.objects.create(as_of="2026-06-30")
    role = REGISTRY["company_roles"].objects.get(holder_name="王小明")
    Alert.objects.create(
        fingerprint="f" * 32,
        rule_code="COI-02",
        rule_version=1,
        title="t",
        group="COI",
        severity="红",
        subject_type="official",
        subject_key=id_hash(DIRECTOR),
        first_scan=scan,
        last_scan=scan,
        evidence=[
            {"table": "officials", "rid": 1, "key": {"id_number": id_hash(DIRECTOR)}},
            {"table": "company_roles", "rid": role.pk, "key": {"uscc": COMPANY, "holder_name": "王小明"}},
        ],
    )
    result = CliRunner().invoke(export, [])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.splitlines()[0])
    assert line["subject"]["key"] == DIRECTOR
    assert line["evidence"][0]["key"] == {"id_number": DIRECTOR}


def test_equal_ids_share_one_hash_and_token_within_a_column():
    """The importer protects each distinct value once (the hash already shows equality, so a shared token
    reveals nothing more); different values get different tokens."""
    ids = [builders.make_id(A, "19700101", i % 1000) for i in range(2000)]
    protected, plain = protect_values(ids)
    assert len(set(protected.hashes)) == 1000 and len(set(protected.tokens)) == 1000
    assert protected.tokens[0] == protected.tokens[1000] and plain == [None] * 2000


def test_migration_reads_versions_text_values_like_typed_ones():
    """RecordVersion kept values as text ('1'/'0' or 'true'/'false', ISO dates, decimal strings): converting
    them must give the digest of the same typed row."""
    table = load_contract()["audit_findings"]
    typed = {
        "finding_no": "SJ-1",
        "audit_no": "A-1",
        "audit_type": "专项审计",
        "unit_code": UNIT,
        "leader_id": DIRECTOR,
        "description": "d",
        "category": "c",
        "amount": __import__("decimal").Decimal("12.50"),
        "found": __import__("datetime").date(2025, 1, 2),
        "referred": True,
    }
    for text_bool in ("1", "true"):
        texts = {**typed, "amount": "12.50", "found": "2025-01-02", "referred": text_bool}
        [a, b] = protected_rows(table, [typed, texts])
        assert a == b
