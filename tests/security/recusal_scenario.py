"""Builders for the recusal tests: a subject official, the user's identity, and the links between them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from jiandu.accounts.services import user_identity_link
from jiandu.alerts.models import Alert, Scan
from jiandu.leads.models import Lead
from jiandu.leads.services import SubjectIn, lead_register
from jiandu.security.idnumbers import id_hash
from tests import builders

A = builders.COUNTY_A
TODAY = timezone.localdate()
SUBJECT = builders.make_id(A, "19700101", 1)  # the official under supervision
ME = builders.make_id(A, "19750505", 2)  # the commission user's own id_number
OTHER = builders.make_id(A, "19800808", 3)  # a third person (a relative in between, a parent …)
BUREAU = builders.make_uscc(A, 10)
SCHOOL = builders.make_uscc(A, 11)
COMPANY = builders.make_uscc(A, 20)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link(user: Any, id_number: str = ME) -> Any:
    user_identity_link(user=user, id_number=id_number, by=None)
    return user


def official(id_number: str = SUBJECT, name: str = "王建国") -> Any:
    return builders.make_record("officials", A, id_number=id_number, name=name)


def family(declarant: str, relation: str, member: str | None, year: int = 2024) -> Any:
    return builders.make_record(
        "family_members",
        A,
        declarant_id=declarant,
        year=year,
        relation=relation,
        name=f"亲属{relation}{year}{(member or '')[-4:]}",
        id_number=member,
    )


def position(
    id_number: str, unit: str, start: dt.date, end: dt.date | None = None, title: str = "科员"
) -> Any:
    return builders.make_record(
        "positions",
        A,
        id_number=id_number,
        unit_code=unit,
        title=title,
        is_principal=False,
        is_team_member=False,
        start_date=start,
        end_date=end,
    )


def company_role(holder: str, uscc: str = COMPANY, role: str = "股东", **dates: Any) -> Any:
    return builders.make_record(
        "company_roles",
        A,
        uscc=uscc,
        holder_name=f"持有人{holder[-4:]}{role}",
        holder_id=holder,
        role=role,
        start_date=dates.get("start", dt.date(2020, 1, 1)),
        end_date=dates.get("end"),
    )


def alert(subject_key: str = SUBJECT, evidence: tuple[Any, ...] = ()) -> Alert:
    scan = Scan.objects.create(as_of=TODAY)
    return Alert.objects.create(
        fingerprint=f"fp-{subject_key}-{len(evidence)}-{Alert.objects.count()}",
        rule_code="COI-01",
        rule_version=1,
        title="利益输送",
        group="COI",
        severity="红",
        subject_type="official",
        subject_key=id_hash(subject_key),  # scans store an official's key as the ID's keyed hash
        subject_label="王建国",
        evidence=[{"table": row.table.name, "rid": row.pk, "key": {}} for row in evidence],
        scope_region=A,
        first_scan=scan,
        last_scan=scan,
    )


def lead(by: Any, subject_id: str = SUBJECT, **fields: Any) -> Lead:
    return lead_register(
        user=by,
        scope_region=A,
        source=fields.pop("source", "manual"),
        category="廉洁纪律",
        matter="收受礼金",
        subjects=[SubjectIn(name="王建国", id_number=subject_id)],
        **fields,
    )
