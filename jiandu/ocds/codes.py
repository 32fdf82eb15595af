"""Code tables from OCDS (and from each publisher's own codes) to the platform's enumerations.

Each table is data, documented in docs/ocds.md. A code that is not in a table is never a reason to reject a row:
the mapped column is left empty and the code is counted in the mapping report, per field path.
"""

from __future__ import annotations

# /tender/procurementMethod (OCDS method codelist) → tenders.method, when no more specific detail matches.
METHOD_BY_OCDS_METHOD: dict[str, str] = {
    "open": "公开招标",
    "selective": "邀请招标",
    "limited": "单一来源",
    "direct": "直接采购",
}

# (procurementMethod, procurementMethodDetails) → tenders.method, checked first. Publishers put their national
# procedure in the details (Ukraine: Prozorro's procurementMethodType) or in procurementMethod itself (Moldova,
# Taiwan write the national name there).
METHOD_BY_DETAILS: dict[tuple[str | None, str], str] = {
    # Ukraine (Prozorro procurementMethodType)
    ("open", "belowThreshold"): "公开招标",
    ("open", "aboveThresholdUA"): "公开招标",
    ("open", "aboveThresholdEU"): "公开招标",
    ("limited", "reporting"): "直接采购",
    ("limited", "negotiation"): "竞争性谈判",
    ("limited", "negotiation.quick"): "竞争性谈判",
    ("selective", "competitiveDialogueUA"): "竞争性磋商",
    ("selective", "competitiveDialogueEU"): "竞争性磋商",
}

# Whole procurementMethod values that are national procedure names, not OCDS codes.
METHOD_BY_NATIONAL_NAME: dict[str, str] = {
    # Moldova (Romanian)
    "Licitaţie publică": "公开招标",
    "Licitație publică": "公开招标",
    "Cerere a ofertelor de preţuri": "询价",
    "Cerere a ofertelor de prețuri": "询价",
    # Taiwan (Government Procurement Act, traditional Chinese)
    "公開招標": "公开招标",
    "選擇性招標(個案)": "邀请招标",
    "選擇性招標(建立合格廠商名單)": "邀请招标",
    "限制性招標(未經公開評選或公開徵求)": "单一来源",
    "限制性招標(經公開評選或公開徵求)": "竞争性谈判",
    "公開取得報價單或企劃書": "询价",
}

# /tender/mainProcurementCategory → tenders.category
CATEGORY: dict[str, str] = {"works": "工程", "goods": "货物", "services": "服务"}

# Taiwan prefixes its CPC descriptions with the Government Procurement Act's category ("<財物類>, …").
CATEGORY_BY_TAIWAN_LABEL: dict[str, str] = {"<工程類>": "工程", "<財物類>": "货物", "<勞務類>": "服务"}


def category_of_classification(scheme: str | None, code: str | None, description: str | None) -> str | None:
    """The platform category of one item classification, when its scheme says it unambiguously.

    CPV (EU Common Procurement Vocabulary, used by Ukraine, Moldova, Armenia): division 45 is construction work
    (工程), divisions 03–44 and 48 are supplies (货物), the others (49–98) are services (服务). Taiwan: the
    category label that starts the CPC description. Other schemes give None.
    """
    if description:
        for label, category in CATEGORY_BY_TAIWAN_LABEL.items():
            if description.startswith(label):
                return category
    if (scheme or "").upper() == "CPV" and code and code[:2].isdigit():
        division = int(code[:2])
        if division == 45:
            return "工程"
        if 3 <= division <= 44 or division == 48:
            return "货物"
        if division >= 49:
            return "服务"
    return None


# OCDS bidStatus codelist (what Cardinal's indicators read).
OCDS_BID_STATUSES = frozenset({"invited", "pending", "valid", "disqualified", "withdrawn"})

# Publisher bid status codes → OCDS bidStatus. Keyed by publisher (see publisher_of). Codes marked "documented"
# come from the publisher's documentation and are not seen in the samples.
BID_STATUS_BY_PUBLISHER: dict[str, dict[str, str]] = {
    "armenia": {"qualified": "valid", "not-qualified": "disqualified"},
    "ukraine": {
        "active": "valid",  # seen in the sample
        "pending": "pending",  # documented (Prozorro bid statuses)
        "unsuccessful": "disqualified",  # documented
        "invalid": "disqualified",  # documented
        "invalid.pre-qualification": "disqualified",  # documented
        "deleted": "withdrawn",  # documented
    },
}

# Chinese reason recorded in bids.rejected_reason for a disqualified bid (the publisher's code is kept beside it).
REJECTED_REASON = "资格审查不合格或被否决"

# ocid prefixes (registered with OCP) → publisher key.
PUBLISHER_BY_OCID_PREFIX: dict[str, str] = {
    "ocds-be6bcu": "ukraine",
    "ocds-ngfbwp": "moldova",
    "ocid-6as3t2": "taiwan",
    "AM-PPS": "armenia",
}


def publisher_of(ocid: str | None) -> str:
    """The publisher key for an ocid (by its registered prefix), or "other"."""
    for prefix, publisher in PUBLISHER_BY_OCID_PREFIX.items():
        if ocid and ocid.startswith(prefix):
            return publisher
    return "other"


def bid_status_to_ocds(publisher: str, status: str | None) -> str | None:
    """The OCDS bidStatus for a publisher's code; None when unknown (reported, never rejected)."""
    if status is None:
        return None
    if status in OCDS_BID_STATUSES:
        return status
    return BID_STATUS_BY_PUBLISHER.get(publisher, {}).get(status)


def method_of(method: str | None, details: str | None) -> str | None:
    """tenders.method for an OCDS tender, or None when no table knows it."""
    if details and (method, details) in METHOD_BY_DETAILS:
        return METHOD_BY_DETAILS[(method, details)]
    if method in METHOD_BY_OCDS_METHOD:
        return METHOD_BY_OCDS_METHOD[method]
    if method in METHOD_BY_NATIONAL_NAME:
        return METHOD_BY_NATIONAL_NAME[method]
    return None
