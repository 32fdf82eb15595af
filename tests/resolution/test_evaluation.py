import json

from city import BROTHER, C_HONGDA, LIU, SPOUSE, WANG, WANG2, ZHANG

from jiandu.analytics.resolution.evaluation import evaluate


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")


def test_evaluation_reads_truth_files_and_scores_links(tmp_path, resolved):
    con, _ = resolved
    _write(
        tmp_path / "persons.jsonl",
        [
            {"table": "officials", "key": {"id_number": WANG}, "field": "id_number", "person_id": WANG},
            {
                "table": "family_members",
                "key": {"declarant_id": WANG, "year": 2022, "relation": "配偶", "name": "陈秀英"},
                "field": "id_number",
                "person_id": SPOUSE,
            },
            {
                "table": "family_members",
                "key": [WANG, 2023, "配偶", "陳秀英"],
                "field": "id_number",
                "person_id": SPOUSE,
            },
            {"table": "real_estate", "key": f"R1|{LIU}", "field": "owner_id", "person_id": LIU},
            {
                "table": "company_roles",
                "key": {
                    "uscc": C_HONGDA,
                    "holder_name": "刘德华",
                    "role": "监事",
                    "start_date": "2015-01-01",
                },
                "field": "holder_id",
                "person_id": LIU,
            },
            {"table": "companies", "key": {"uscc": C_HONGDA}, "field": "legal_rep_id", "person_id": BROTHER},
            {
                "table": "company_roles",
                "key": {
                    "uscc": C_HONGDA,
                    "holder_name": "陳國華",
                    "role": "股东",
                    "start_date": "2015-01-01",
                },
                "field": "holder_id",
                "person_id": BROTHER,
            },
        ],
    )
    _write(
        tmp_path / "petition_links.jsonl",
        [
            {"petition_no": "X1", "official_id": WANG},
            {"petition_no": "X2", "official_id": WANG},
            {"petition_no": "X3", "official_id": WANG2},
            {"petition_no": "X4", "official_id": ZHANG},
        ],
    )
    scores = {s.label: s for s in evaluate(con, tmp_path)}
    with_ids = scores["person links with IDs"]
    assert (with_ids.true_pairs, with_ids.correct_pairs, with_ids.predicted_pairs) == (1, 1, 1)  # LIU ×2
    without = scores["person links without IDs"]
    assert without.true_pairs == 2  # SPOUSE (ID + traditional spelling), BROTHER (ID + shareholder)
    assert without.correct_pairs == without.predicted_pairs == 2
    petitions = scores["petition → official"]
    assert (petitions.true_pairs, petitions.predicted_pairs, petitions.correct_pairs, petitions.proposed) == (
        4,
        3,
        3,
        1,
    )
