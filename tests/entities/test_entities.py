"""Entity resolution wired into the platform: petition subjects linked, review queue, judgements, increments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.alerts.models import Alert
from jiandu.alerts.scanning import scan_run
from jiandu.entities.models import EntityLink, Judgement, JudgementEvent, ReviewItem
from jiandu.entities.services import resolve_run
from jiandu.security.idnumbers import id_hash
from tests import builders

pytestmark = pytest.mark.django_db
A = builders.COUNTY_A


@pytest.fixture(autouse=True)
def state_file(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.JIANDU_RESOLUTION_STATE = tmp_path / "resolution.duckdb"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def bureau_with_director(second_wang: bool = False):  # type: ignore[no-untyped-def]
    bureau = builders.make_uscc(A, 10)
    builders.make_record(
        "units",
        A,
        unit_code=bureau,
        name="平阳县住房和城乡建设局",
        region_code=A,
        kind="党政机关",
        level="县",
        sector="住建",
    )
    director = builders.make_id(A, "19700101", 1)
    builders.make_record(
        "officials", A, id_number=director, name="王建国", gender="男", birth_date=dt.date(1970, 1, 1)
    )
    builders.make_record(
        "positions",
        A,
        id_number=director,
        unit_code=bureau,
        title="局长",
        is_principal=True,
        is_team_member=True,
        start_date=dt.date(2019, 1, 1),
    )
    deputy = None
    if second_wang:
        deputy = builders.make_id(A, "19750505", 2)
        builders.make_record(
            "officials", A, id_number=deputy, name="王建民", gender="男", birth_date=dt.date(1975, 5, 5)
        )
        builders.make_record(
            "positions",
            A,
            id_number=deputy,
            unit_code=bureau,
            title="局长",
            is_principal=False,
            is_team_member=True,
            start_date=dt.date(2020, 1, 1),
        )
    return director, deputy


def petition(
    no: str, received: dt.date, name: str = "王局长", unit: str = "平阳县住建局", title: str = "局长"
):  # type: ignore[no-untyped-def]
    return builders.make_record(
        "petitions",
        "",
        petition_no=no,
        received=received,
        channel="来信",
        subject_name=name,
        subject_unit=unit,
        subject_title=title,
        category="廉洁纪律",
        summary=f"反映{unit}{name}收受好处",
        status="办理中",
    )


def test_petition_subject_is_linked_to_the_post_holder_and_feeds_rules(people):
    director, _ = bureau_with_director()
    rows = [petition(f"XF-{i}", dt.date(2025, 3, i + 1)) for i in range(3)]
    run = resolve_run()
    assert not run.incremental
    for row in rows:
        link = EntityLink.objects.get(source_table="petitions", record_id=row.pk, field="subject_id")
        assert link.id_number == id_hash(director) and link.status == "linked", (link.method, link.score)
    scan_run(as_of=dt.date(2025, 6, 30), codes=["PET-01"])
    alert = Alert.objects.get(rule_code="PET-01")
    assert alert.subject_key == id_hash(director)
    assert sorted(e["rid"] for e in alert.evidence if e["table"] == "petitions") == sorted(r.pk for r in rows)


def test_ambiguous_subject_is_proposed_reviewed_and_the_verdict_respected(people):
    director, deputy = bureau_with_director(second_wang=True)
    row = petition("XF-9", dt.date(2025, 3, 1), name="王某")
    resolve_run()
    link = EntityLink.objects.get(source_table="petitions", record_id=row.pk)
    assert link.status == "proposed"
    items = ReviewItem.objects.filter(left_key=f"petitions:{row.pk}:subject_id", open=True)
    assert {i.right_key for i in items} == {f"P:{id_hash(director)}", f"P:{id_hash(deputy)}"}
    item = items.get(right_key=f"P:{id_hash(deputy)}")
    assert item.contributions  # per-feature contributions shown to the reviewer
    # the county's supervisor sees the queue and decides; the other county cannot
    page = client_for(people["owner"]).get(reverse("review_queue")).content.decode()
    assert "王建民" in page
    assert (
        client_for(people["outsider"])
        .post(reverse("review_decide", args=[item.pk]), {"verdict": "same"})
        .status_code
        == 404
    )
    assert client_for(people["clerk"]).get(reverse("review_queue")).status_code == 404
    response = client_for(people["owner"]).post(reverse("review_decide", args=[item.pk]), {"verdict": "same"})
    assert response.status_code == 302
    assert Judgement.objects.get().verdict == "same"
    resolve_run()
    link = EntityLink.objects.get(source_table="petitions", record_id=row.pk)
    assert (link.status, link.id_number, link.method) == ("linked", id_hash(deputy), "judgement")
    # withdrawing the verdict is audited and restores the automatic result
    item = ReviewItem.objects.get(left_key=f"petitions:{row.pk}:subject_id", right_key=f"P:{id_hash(deputy)}")
    client_for(people["owner"]).post(reverse("review_decide", args=[item.pk]), {"verdict": ""})
    assert not Judgement.objects.exists()
    assert list(JudgementEvent.objects.values_list("verdict", "previous")) == [("same", ""), ("", "same")]
    resolve_run()
    assert EntityLink.objects.get(source_table="petitions", record_id=row.pk).status == "proposed"


def test_later_runs_compare_only_what_changed(people):
    director, _ = bureau_with_director()
    petition("XF-1", dt.date(2025, 3, 1))
    first = resolve_run()
    assert not first.incremental
    from jiandu.sources.models import Delivery

    later = Delivery.objects.create(file_name="later.csv", file_hash="1" * 64)
    new = petition("XF-2", dt.date(2025, 4, 1))
    type(new).objects.filter(pk=new.pk).update(delivery=later)
    second = resolve_run()
    assert second.incremental and second.changed == {"petitions": 1}
    assert EntityLink.objects.get(source_table="petitions", record_id=new.pk).id_number == id_hash(director)
    assert EntityLink.objects.filter(source_table="petitions", field="subject_id").count() == 2


def test_an_administrators_petition_vocabulary_is_used_by_resolve(people, settings, tmp_path):
    """JIANDU_PETITION_VOCABULARY: a local form ("房管局", the body merged in) links once the file names it."""
    director, _ = bureau_with_director()
    row = petition("XF-V", dt.date(2025, 3, 1), unit="平阳县房管局")
    resolve_run()
    before = EntityLink.objects.get(source_table="petitions", record_id=row.pk)
    assert (before.status, before.id_number) != ("linked", id_hash(director))
    local = tmp_path / "vocabulary.yaml"
    local.write_text("units:\n  住房和城乡建设局: [住建局, 房管局]\n", encoding="utf-8")
    settings.JIANDU_PETITION_VOCABULARY = str(local)
    resolve_run()  # incremental: nothing was delivered, but the vocabulary changed
    after = EntityLink.objects.get(source_table="petitions", record_id=row.pk)
    assert (after.status, after.id_number) == ("linked", id_hash(director))
