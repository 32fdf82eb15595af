"""Portraits, graph, unit page, dashboard and search: content, provenance, bounded queries, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db
A = builders.COUNTY_A


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_official_portrait_shows_everything_with_provenance(people, city):
    body = (
        client_for(people["owner"])
        .get(reverse("official_portrait", args=[city["official"].pk]))
        .content.decode()
    )
    for text in (
        "王建国",
        "局长",
        "李芳",
        "王建军",
        "甲县宏达建筑工程有限公司",
        "甲县幸福路1号",
        "未见申报",
        "干部群众",
        "COI-01",
    ):
        assert text in body, text
    assert "较上年新增" in body  # the brother appears in 2024 but not in 2023
    assert "组织部 · 干部任职 · 报送#" in body  # provenance on hover
    assert city["director"] not in body  # the ID number is masked
    assert "风险分" in body


def test_portrait_query_count_is_bounded(people, city, django_assert_max_num_queries):
    client = client_for(people["owner"])
    with django_assert_max_num_queries(40):
        assert client.get(reverse("official_portrait", args=[city["official"].pk])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("unit_portrait", args=[city["unit"].pk])).status_code == 200


def test_graph_links_relatives_companies_tenders_and_marks_alert_path(people, city):
    data = client_for(people["owner"]).get(reverse("official_graph_data", args=[city["official"].pk])).json()
    labels = {n["label"] for n in data["nodes"]}
    assert {"王建国", "王建军", "甲县宏达建筑工程有限公司", "县城道路改造工程"} <= labels
    assert any(e["alert"] for e in data["edges"])
    later = (
        client_for(people["owner"])
        .get(reverse("official_graph_data", args=[city["official"].pk]) + "?to=2019-12-31")
        .json()
    )
    assert "县城道路改造工程" not in {n["label"] for n in later["nodes"]}
    expanded = (
        client_for(people["owner"])
        .get(
            reverse("official_graph_data", args=[city["official"].pk])
            + f"?expand=unit:{city['unit'].unit_code}"
        )
        .json()
    )
    assert any(n["kind"] == "contract" or n["kind"] == "official" for n in expanded["nodes"])


@pytest.mark.parametrize("name", ["official_portrait", "official_graph", "official_graph_data"])
def test_official_pages_refuse_outsiders(people, city, name):
    url = reverse(name, args=[city["official"].pk])
    assert client_for(people["owner"]).get(url).status_code == 200
    assert client_for(people["city"]).get(url).status_code == 200
    for who in ("outsider", "clerk", "admin", "partner"):
        assert client_for(people[who]).get(url).status_code == 404, who


def test_unit_page_and_refusals(people, city):
    url = reverse("unit_portrait", args=[city["unit"].pk])
    body = client_for(people["owner"]).get(url).content.decode()
    assert "王建国" in body and "公开招标" in body and "COI-01" in body
    for who in ("outsider", "clerk", "partner"):
        assert client_for(people[who]).get(url).status_code == 404, who


def test_dashboard_counts_click_through(people, city):
    body = client_for(people["owner"]).get(reverse("dashboard")).content.decode()
    assert "?group=COI&amp;severity=红" in body or "?group=COI&severity=红" in body
    assert "甲县住房和城乡建设局" in body  # top unit
    outsider = client_for(people["outsider"]).get(reverse("dashboard")).content.decode()
    assert "王建国" not in outsider and "甲县住房和城乡建设局" not in outsider
    assert client_for(people["clerk"]).get(reverse("dashboard")).status_code == 404


def _search_hits(city) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The link each kind of search result points to (the query is echoed in the search box, so a name or
    number found in the page proves nothing; the result's link does)."""
    from jiandu.registry.models import REGISTRY

    tender = REGISTRY["tenders"].objects.get(tender_no="JX-2024-001")
    company = REGISTRY["companies"].objects.get(name="甲县宏达建筑工程有限公司")
    return {
        "official": reverse("official_portrait", args=[city["official"].pk]),
        "tender": reverse("registry_detail", args=["tenders", tender.pk]),
        "company": reverse("registry_detail", args=["companies", company.pk]),
    }


@pytest.mark.parametrize(
    "query, kind",
    [
        ("王建国", "official"),
        ("wangjianguo", "official"),
        ("wjg", "official"),
        ("王建囯", "official"),
        ("JX-2024-001", "tender"),
        ("宏达", "company"),
    ],
)
def test_search_by_name_pinyin_typo_and_number(people, city, query, kind):
    hits = _search_hits(city)
    body = client_for(people["owner"]).get(reverse("search"), {"q": query}).content.decode()
    assert hits[kind] in body
    if kind == "official":
        assert f'href="{hits[kind]}">王建国</a>' in body  # the result line, not the echoed query
    if kind == "tender":
        assert f'href="{hits[kind]}">县城道路改造工程</a>' in body
    if kind == "company":
        assert f'href="{hits[kind]}">甲县宏达建筑工程有限公司</a>' in body


def test_search_without_a_match_links_to_nothing(people, city):
    body = client_for(people["owner"]).get(reverse("search"), {"q": "赵钱孙"}).content.decode()
    assert not [link for link in _search_hits(city).values() if link in body]


def test_search_is_scoped(people, city):
    official = reverse("official_portrait", args=[city["official"].pk])
    body = client_for(people["outsider"]).get(reverse("search"), {"q": "王建国"}).content.decode()
    assert official not in body
    # positive control: the same search finds the official for the owner
    assert official in client_for(people["owner"]).get(reverse("search"), {"q": "王建国"}).content.decode()


def _docx_text(data: bytes) -> str:
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    return header + "\n" + "\n".join(p.text for p in doc.paragraphs)


def test_clearance_docx_cites_records_and_concludes(people, city):
    url = reverse("official_clearance", args=[city["official"].pk])
    owner = client_for(people["owner"])
    builders.step_up(owner)  # the export needs a fresh step-up (jiandu/security/stepup.py)
    response = owner.get(url)
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "关于王建国同志党风廉政情况的意见回复" in text
    assert "COI-01" in text and "依据：预警#" in text
    assert "建议暂缓" in text  # an open red alert blocks a clean opinion
    assert "owner 导出于" in text  # watermark with the exporter
    assert client_for(people["outsider"]).get(url).status_code == 404


def test_clearance_clean_and_discipline_cases(people, city):
    from jiandu.reports.clearance import clearance_opinion

    official = city["official"]
    clean = clearance_opinion(
        official, dt.date(2026, 6, 30), petitions=[], discipline=[], alerts=[], leads=[]
    )
    assert not clean.blocking and "未发现该同志有违反廉洁纪律的问题" in clean.conclusion
    record = builders.make_record(
        "discipline_records",
        A,
        id_number=city["director"],
        decided=dt.date(2026, 1, 5),
        form="第二种形态",
        measure="警告",
        effect_until=dt.date(2026, 7, 5),
    )
    blocked = clearance_opinion(
        official, dt.date(2026, 6, 30), petitions=[], discipline=[record], alerts=[], leads=[]
    )
    assert blocked.blocking and "影响期" in blocked.conclusion
    statement = blocked.sections[0][1][0]
    assert f"报送#{record.delivery_id}" in statement.citation
    after = clearance_opinion(
        official, dt.date(2026, 7, 6), petitions=[], discipline=[record], alerts=[], leads=[]
    )
    assert not after.blocking  # the effect ended the day before


def test_clearance_command_writes_docx(people, city, tmp_path):
    from click.testing import CliRunner

    from jiandu.reports.commands import clearance

    out = tmp_path / "opinion.docx"
    result = CliRunner().invoke(clearance, [city["director"], "--output", str(out), "--as-of", "2026-06-30"])
    assert result.exit_code == 0, result.output
    assert "关于王建国同志" in _docx_text(out.read_bytes())
    missing = CliRunner().invoke(clearance, [builders.make_id(seq=99), "--output", str(out)])
    assert missing.exit_code != 0 and "没有该身份证号" in missing.output


def test_open_lead_shows_on_portrait_and_blocks_clearance(people, city):
    from jiandu.leads.models import Lead
    from jiandu.leads.services import SubjectIn, lead_register

    lead = lead_register(
        user=people["owner"],
        scope_region=A,
        source=Lead.Source.MANUAL,
        category="廉洁纪律",
        matter="收受礼金",
        subjects=[SubjectIn(name="王建国", id_number=city["director"])],
    )
    body = (
        client_for(people["owner"])
        .get(reverse("official_portrait", args=[city["official"].pk]))
        .content.decode()
    )
    assert lead.lead_no in body
    owner = client_for(people["owner"])
    builders.step_up(owner)
    text = _docx_text(owner.get(reverse("official_clearance", args=[city["official"].pk])).content)
    assert f"问题线索{lead.lead_no}正在办理中" in text
