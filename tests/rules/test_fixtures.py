"""Every rule has fixtures and a doc page, and every fixture's expected alerts are exactly what the engine finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiandu.analytics.rules import registry
from jiandu.analytics.rules.fixtures import (
    alert_signature,
    computed_mismatches,
    expected_signature,
    fixture_paths,
    fixture_rule,
    run_fixture,
)
from tests.checkout import DOCS as CHECKOUT_DOCS

FIXTURES = fixture_paths()
DOCS = CHECKOUT_DOCS / "rules"


def test_every_rule_has_a_fixture_and_a_doc_page():
    codes = {r.code for r in registry()}
    covered = {fixture_rule(p) for p in FIXTURES}
    assert sorted(codes - covered) == [], "rules without a fixture"
    assert sorted(covered - codes) == [], "fixtures for unknown rules"
    for rule in registry():
        page = DOCS / f"{rule.code}.md"
        assert page.exists(), f"{rule.code} has no doc page"
        text = page.read_text(encoding="utf-8")
        assert rule.title in text
        for param in rule.params:
            assert f"`{param.name}`" in text, f"{rule.code}: parameter {param.name} undocumented"


def test_registry_is_complete_and_well_formed():
    rules = registry()
    assert len(rules) == 38
    assert len({r.code for r in rules}) == 38
    for r in rules:
        assert r.why and r.method and r.title


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(path: Path):
    alerts, doc = run_fixture(path)
    expected = doc.get("expected") or []
    got = sorted(map(alert_signature, alerts), key=repr)
    want = sorted(map(expected_signature, expected), key=repr)
    assert got == want
    by_sig = {alert_signature(a): a for a in alerts}
    for e in expected:
        assert computed_mismatches(by_sig[expected_signature(e)], e) == []
    assert len({a.fingerprint for a in alerts}) == len(alerts)


def test_doc_pages_are_up_to_date():
    from jiandu.analytics.rules.docs import expected_pages

    stale = [
        p.name for p, text in expected_pages(DOCS).items() if not p.exists() or p.read_text("utf-8") != text
    ]
    assert stale == [], "run: python -m jiandu.analytics.rules.docs"
