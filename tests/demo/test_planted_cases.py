"""Every rule of the catalogue has ≥ 3 must-hit and ≥ 2 must-not-hit planted cases, and every record a
case names exists, valid, in the deliveries."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

from jiandu.analytics.contract import load_contract
from jiandu.analytics.identifiers import id_problem, uscc_problem

RULES = Path(__file__).resolve().parents[2] / "jiandu" / "spec" / "rules.md"


def catalogue() -> set[str]:
    return set(re.findall(r"^\| ([A-Z]{3}-\d{2}) \|", RULES.read_text(encoding="utf-8"), re.M))


def cases(city: Path) -> list[dict]:
    text = (city / "truth" / "planted_cases.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def norm(value):
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def test_catalogue_has_38_rules() -> None:
    assert len(catalogue()) == 38


def test_every_rule_has_hits_and_near_misses(city: Path) -> None:
    counts = Counter((c["rule"], c["expect"]) for c in cases(city))
    for rule in sorted(catalogue()):
        assert counts[(rule, "hit")] >= 3, rule
        assert counts[(rule, "miss")] >= 2, rule
    assert {c["rule"] for c in cases(city)} == catalogue()


def test_case_format(city: Path) -> None:
    for case in cases(city):
        assert case["expect"] in ("hit", "miss")
        assert case["as_of"] == "2026-06-30"
        assert case["shape"] and case["records"]
        kind, key = case["subject"]["type"], case["subject"]["key"]
        assert kind in ("official", "unit", "company", "tender")
        if kind == "official":
            assert id_problem(key) is None
        if kind in ("unit", "company"):
            assert uscc_problem(key) is None


def test_shapes_differ_within_a_rule(city: Path) -> None:
    by_rule: dict[str, list[str]] = {}
    for case in cases(city):
        by_rule.setdefault(case["rule"], []).append(case["shape"])
    for rule, shapes in by_rule.items():
        assert len(set(shapes)) == len(shapes), rule


def test_every_referenced_record_exists(city: Path, checked) -> None:
    _, rows, _, _ = checked
    contract = load_contract()
    missing = []
    for case in cases(city):
        for record in case["records"]:
            table = contract[record["table"]]
            key = tuple(norm(record["key"][k]) for k in table.key)
            if key not in rows.get(record["table"], {}):
                missing.append((case["rule"], case["shape"], record))
        if case["subject"]["type"] == "official":
            assert (case["subject"]["key"],) in rows["officials"], case["shape"]
        if case["subject"]["type"] == "tender":
            assert (case["subject"]["key"],) in rows["tenders"], case["shape"]
    assert missing == []


def test_truth_files(city: Path, checked) -> None:
    _, rows, _, _ = checked
    links = [
        json.loads(x)
        for x in (city / "truth" / "petition_links.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert {(x["petition_no"],) for x in links} == set(rows["petitions"])
    linked = [x for x in links if x["official"]]
    assert 0 < len(linked) < len(links)
    assert all((x["official"],) in rows["officials"] for x in linked)
    petitions = rows["petitions"]
    without_id = [x for x in linked if petitions[(x["petition_no"],)]["subject_id"] is None]
    assert len(without_id) >= 15, "most petitions name officials without an ID number"
    persons = [
        json.loads(x) for x in (city / "truth" / "persons.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert all(id_problem(p["person"]) is None for p in persons)
    fields = {(p["table"], p["field"]) for p in persons}
    assert {
        ("family_members", "name"),
        ("company_roles", "holder_name"),
        ("petitions", "subject_name"),
    } <= fields
    anonymous = [
        p
        for p in persons
        if p["table"] == "family_members"
        and rows["family_members"]
        .get(tuple(norm(p["key"][k]) for k in ("declarant_id", "year", "relation", "name")), {})
        .get("id_number")
        is None
    ]
    assert anonymous, "family members declared without an ID number must be in the person truth"
    companies = (city / "truth" / "companies.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(uscc_problem(json.loads(x)["uscc"]) is None for x in companies[:2000])
