import json

from city import BROTHER, C_HONGDA, LIU, SPOUSE, WANG, WANG2, ZHANG, _fam, build_city, insert, link_of

from jiandu.analytics.resolution.engine import ResolveSettings, resolve


def test_every_mention_with_an_id_links_to_its_id(resolved):
    con, _ = resolved
    bad = con.execute(
        """SELECT count(*) FROM entity_links l JOIN officials o ON l.source_table = 'officials' AND l._rid = o._rid
        WHERE l.entity_id <> 'P:' || o.id_number OR l.status <> 'linked' OR l.method <> 'id_number'"""
    ).fetchall()[0][0]
    assert bad == 0
    assert (
        con.execute("SELECT count(*) FROM entity_links WHERE source_table = 'positions'").fetchall()[0][0]
        == 604
    )


def test_legacy_15_digit_holder_id_is_the_same_person(resolved):
    con, _ = resolved
    assert link_of(con, "company_roles", 2, "holder_id")[0] == f"P:{LIU}"
    assert link_of(con, "real_estate", 1, "owner_id")[0] == f"P:{LIU}"


def test_company_holder_with_uscc_is_a_company(resolved):
    con, _ = resolved
    assert link_of(con, "company_roles", 3, "holder_id")[0] == f"C:{C_HONGDA}"


def test_traditional_spelling_without_id_links_to_the_spouse(resolved):
    con, _ = resolved
    entity, status, method = link_of(con, "family_members", 2, "id_number")
    assert (entity, status, method) == (f"P:{SPOUSE}", "linked", "splink")
    contributions = con.execute(
        "SELECT contributions FROM entity_candidates WHERE left_key = ? AND right_key = 'family_members:2:id_number'",
        [f"P:{SPOUSE}"],
    ).fetchall()[0][0]
    assert '"name"' in contributions and '"contexts"' in contributions


def test_traditional_shareholder_name_with_shared_company_links(resolved):
    con, _ = resolved
    assert link_of(con, "company_roles", 1, "holder_id")[:2] == (f"P:{BROTHER}", "linked")


def test_one_character_typo_links_through_the_shared_declaration(resolved):
    """陈国桦 (no ID), declared by the spouse as a sibling, is 陈国华: one character off, so the name alone would
    not link; the shared declaration context carries the pair over the link threshold. The outcome is pinned
    (it used to accept linked or proposed, so it could not fail on either)."""
    con, result = resolved
    assert link_of(con, "family_members", 5, "id_number") == (f"P:{BROTHER}", "linked", "splink")
    score, contributions = con.execute(
        "SELECT score, contributions FROM entity_candidates WHERE left_key = ? AND right_key = ?",
        [f"P:{BROTHER}", "family_members:5:id_number"],
    ).fetchall()[0]
    assert score >= ResolveSettings().link_probability
    weights = json.loads(contributions)
    assert 0 < weights["name"] and 0 < weights["contexts"]
    mention = "family_members:5:id_number"
    assert not [r for r in result.review if mention in (r.left_key, r.right_key)]  # nothing left to review


def test_unknown_relative_becomes_an_entity_of_its_own(resolved):
    con, _ = resolved
    entity, status, method = link_of(con, "family_members", 3, "id_number")
    assert entity.startswith("P:~") and status == "linked" and method == "new_entity"


def test_petitions_link_one_clear_official_and_propose_several(resolved):
    con, result = resolved
    assert link_of(con, "petitions", 1, "subject_id")[:2] == (f"P:{WANG}", "linked")  # 县住建局 王局长
    assert link_of(con, "petitions", 2, "subject_id")[:2] == (
        f"P:{WANG}",
        "linked",
    )  # 王建囯 (homophone typo)
    assert link_of(con, "petitions", 4, "subject_id")[:2] == (f"P:{ZHANG}", "linked")  # 张副局长
    entity, status, _ = link_of(con, "petitions", 3, "subject_id")  # 王局长 without unit: two candidates
    assert status == "proposed"
    offered = {r.right_key for r in result.review if r.left_key == "petitions:3:subject_id"}
    assert offered == {f"P:{WANG}", f"P:{WANG2}"}


def test_company_name_without_uscc_links_by_normalised_name(resolved):
    con, _ = resolved
    assert link_of(con, "payments", 1, "payee_code")[:2] == (f"C:{C_HONGDA}", "linked")


def test_judgements_are_respected_on_rerun():
    con = build_city()
    resolve(con)
    assert link_of(con, "family_members", 2, "id_number")[0] == f"P:{SPOUSE}"
    con.execute("CREATE TABLE judgements (left_key VARCHAR, right_key VARCHAR, verdict VARCHAR)")
    con.execute(
        """INSERT INTO judgements VALUES
        ('family_members:2:id_number', ?, 'different'),
        (?, 'family_members:6:id_number', 'same'),
        ('petitions:3:subject_id', ?, 'same'),
        ('company_roles:1:holder_id', ?, 'unsure')""",
        [f"P:{SPOUSE}", f"P:{ZHANG}", f"P:{WANG2}", f"P:{BROTHER}"],
    )
    resolve(con)
    entity, status, _ = link_of(con, "family_members", 2, "id_number")
    assert entity != f"P:{SPOUSE}"
    assert link_of(con, "family_members", 6, "id_number") == (f"P:{ZHANG}", "linked", "judgement")
    assert link_of(con, "petitions", 3, "subject_id") == (f"P:{WANG2}", "linked", "judgement")
    assert link_of(con, "company_roles", 1, "holder_id")[:2] == (f"P:{BROTHER}", "proposed")
    con.execute("DELETE FROM judgements")
    resolve(
        con, changed={}
    )  # decisions only, from stored candidates; reversible: without the judgements the automatic links come back
    assert link_of(con, "family_members", 2, "id_number")[0] == f"P:{SPOUSE}"


def test_incremental_run_compares_only_changed_rows():
    con = build_city()
    full = resolve(con)
    before = con.execute(
        "SELECT * FROM entity_links WHERE source_table <> 'family_members' ORDER BY ALL"
    ).fetchall()
    (rid,) = insert(con, "family_members", [_fam(WANG, 2024, "配偶", "陈秀英", None, None, None)])
    result = resolve(con, changed={"family_members": [rid]})
    assert result.stats["incremental"]
    assert result.stats["person_pairs_compared"] >= 1
    assert result.stats["person_pairs_touching_unchanged_only"] == 0
    assert result.stats["person_pairs_compared"] < full.stats["person_pairs_compared"]
    assert link_of(con, "family_members", rid, "id_number")[:2] == (f"P:{SPOUSE}", "linked")
    after = con.execute(
        "SELECT * FROM entity_links WHERE source_table <> 'family_members' ORDER BY ALL"
    ).fetchall()
    assert after == before


def test_company_near_name_is_proposed_and_unknown_names_share_one_entity(resolved):
    con, _ = resolved
    assert link_of(con, "payments", 3, "payee_code")[:2] == (f"C:{C_HONGDA}", "proposed")
    p2, p4 = link_of(con, "payments", 2, "payee_code"), link_of(con, "payments", 4, "payee_code")
    assert p2[0].startswith("C:~") and p2[0] == p4[0] and p2[2] == "new_entity"
