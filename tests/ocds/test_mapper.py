from jiandu.ocds.codes import bid_status_to_ocds, method_of, publisher_of
from jiandu.ocds.mapper import releases_map

USCC = "91350100M000100Y43"  # valid GB 32100 check character


def _release() -> dict:
    return {
        "ocid": "ocds-be6bcu-UA-1",
        "parties": [
            {"id": "b", "identifier": {"scheme": "UA-EDR", "id": "01234567"}, "name": "Buyer"},
            {"id": "s1", "identifier": {"scheme": "CN-USCC", "id": USCC.lower()}, "name": "供应商甲"},
        ],
        "buyer": {"id": "b", "name": "Buyer"},
        "tender": {
            "title": "Roads",
            "procurementMethod": "limited",
            "procurementMethodDetails": "reporting",
            "mainProcurementCategory": "works",
            "value": {"amount": 1000, "currency": "UAH"},
            "tenderPeriod": {
                "startDate": "2024-01-01T09:00:00+02:00",
                "endDate": "2024-01-20T09:00:00+02:00",
            },
        },
        "bids": {
            "details": [
                {
                    "status": "active",
                    "tenderers": [{"id": "s1", "name": "供应商甲"}],
                    "value": {"amount": 900, "currency": "UAH"},
                },
                {
                    "status": "invalid",
                    "tenderers": [{"id": "s2", "identifier": {"scheme": "UA-EDR", "id": "UA-EDR-7"}}],
                    "value": {"amount": 800},
                },
                {
                    "status": "mystery",
                    "tenderers": [{"id": "s3", "identifier": {"id": "42"}}],
                    "value": {"amount": 950},
                },
            ]
        },
        "awards": [
            {"id": "a1", "status": "active", "date": "2024-02-01T00:00:00Z", "suppliers": [{"id": "s1"}]}
        ],
        "contracts": [
            {
                "id": "c1",
                "awardID": "a1",
                "value": {"amount": 900, "currency": "UAH"},
                "dateSigned": "2024-02-05T10:00:00+02:00",
            }
        ],
    }


def test_maps_rows_with_contract_keys_and_keeps_publisher_identifiers() -> None:
    result = releases_map([_release()])
    (tender,) = result.rows["tenders"]
    assert tender["tender_no"] == "ocds-be6bcu-UA-1"
    assert tender["buyer_code"] == "UA-EDR-01234567"
    assert (tender["method"], tender["category"], tender["budget"], tender["_currency"]) == (
        "直接采购",
        "工程",
        1000,
        "UAH",
    )
    assert (tender["notice_date"], tender["deadline"], tender["award_date"]) == (
        "2024-01-01",
        "2024-01-20",
        "2024-02-01",
    )
    bids = {row["bidder_code"]: row for row in result.rows["bids"]}
    assert bids[USCC]["won"] is True and bids[USCC]["rejected_reason"] is None
    assert bids["UA-EDR-7"]["won"] is False and bids["UA-EDR-7"]["rejected_reason"].startswith(
        "资格审查不合格"
    )
    assert bids["42"]["_bid_status_ocds"] is None  # unknown code kept, not rejected
    (contract,) = result.rows["contracts"]
    assert (contract["supplier_code"], contract["signed"], contract["amount"]) == (USCC, "2024-02-05", 900)
    assert result.report["bids/details/status: unknown code 'mystery' (ukraine)"] == 1
    assert result.report["bids/details/tenderers/identifier/scheme: missing, identifier id used as is"] == 1
    assert result.report["companies.founded: required, no OCDS source"] == 3
    assert result.report["units.region_code: required, no OCDS source"] == 1


def test_code_tables() -> None:
    assert publisher_of("AM-PPS-1") == "armenia" and publisher_of("x") == "other"
    assert bid_status_to_ocds("armenia", "not-qualified") == "disqualified"
    assert bid_status_to_ocds("other", "valid") == "valid"
    assert bid_status_to_ocds("other", "qualified") is None
    assert method_of("open", None) == "公开招标"
    assert method_of("Licitaţie publică", None) == "公开招标"
    assert method_of("限制性招標(經公開評選或公開徵求)", None) == "竞争性谈判"
    assert method_of("weird", "x") is None


def test_odd_shapes_are_reported_not_raised() -> None:
    result = releases_map(
        [{"ocid": "x", "tender": "not an object", "awards": {"suppliers": [{"id": "s"}]}}, [], {"no": "ocid"}]
    )
    assert result.report["release: not a JSON object"] == 1
    assert result.report["ocid: missing"] == 1
    assert result.report["awards: an object, not an array (read as one award)"] == 1
