"""The demo city's petitions are written the way people write them, with their truth, and link as well as the
issue asks (petition vocabulary, docs/resolution.md)."""

from __future__ import annotations

import pytest

from jiandu.analytics.resolution.evaluation import petition_linking
from jiandu.demo.petition_city import petition_city


@pytest.fixture(scope="module")
def city():
    return petition_city(7, 0.2)


def test_petitions_use_colloquial_titles_and_other_abbreviations(city):
    con, truth = city
    rows = con.execute(
        "SELECT petition_no, subject_name, subject_unit, subject_title FROM petitions"
    ).fetchall()
    titles = {t for _, _, _, t in rows}
    names = {n for _, n, _, _ in rows}
    units = {u for _, _, u, _ in rows}
    assert titles & {"一把手", "主要负责人", "正职", "头儿", "主要领导"}
    assert names & {"一把手", "主要负责人", "正职", "头儿", "主要领导"}, "some name no person at all"
    assert any(n and n.endswith(("书记", "村支书", "村长")) for n in names)
    assert any(u and u.endswith(("市监局", "人社局", "自规局", "国土局", "卫健局", "农业局")) for u in units)
    principal_words = [
        no for no, n, _, t in rows if t in {"一把手", "主要负责人"} or n in {"一把手", "主要负责人"}
    ]
    assert all(truth[no] for no in principal_words), (
        "every colloquial petition names a real official in truth"
    )


def test_same_seed_same_wording():
    query = "SELECT * EXCLUDE (_rid) FROM petitions ORDER BY petition_no"
    first, first_truth = petition_city(7, 0.05)
    second, second_truth = petition_city(7, 0.05)
    assert first.execute(query).fetchall() == second.execute(query).fetchall()
    assert first_truth == second_truth


def test_petition_linking_on_the_demo_city(city):
    con, truth = city
    score = petition_linking(con, truth)
    assert score.precision == 1.0
    assert score.recall >= 0.98
