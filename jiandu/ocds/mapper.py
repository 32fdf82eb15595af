"""Map compiled releases to the platform's contract tables: tenders, bids, contracts, companies, units.

The result keeps contract column keys (jiandu/spec/contract.yaml) and adds provenance keys starting with ``_``
(``_ocid``, ``_currency``, ``_scheme``, ``_bid_status``…) that the importer does not store as columns. Nothing is
rejected here: a value that cannot be mapped leaves its column empty and is counted in ``report`` under its OCDS
field path, and every required contract column left empty is counted under ``<table>.<column>``. Amounts stay in the
publisher's currency (``_currency``); nothing is converted.

Tolerated publisher variants (each use is counted in the report): ``tender.procurementMethodType`` (Prozorro's
extension) when ``procurementMethodDetails`` is absent; ``tender.tederPeriod`` (Taiwan's spelling of
``tenderPeriod``); ``awards`` given as one object (Taiwan) with suppliers under ``awards.items[].suppliers`` and
dates in ``awardDate``; ``tender.budget.value`` (Taiwan) for ``tender.value``; the release ``name`` (Taiwan) for a
missing ``tender.title``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from jiandu.analytics.contract import load_contract
from jiandu.ocds.codes import (
    CATEGORY,
    REJECTED_REASON,
    bid_status_to_ocds,
    category_of_classification,
    method_of,
    publisher_of,
)
from jiandu.ocds.organizations import Organisation, organisation_resolve, parties_index

TABLES = ("tenders", "bids", "contracts", "companies", "units")
AWARD_STATUSES = frozenset({"pending", "active", "cancelled", "unsuccessful"})


@dataclass
class MappingResult:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    report: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _amount(value: Any) -> tuple[float | None, str | None]:
    value = _obj(value)
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        amount = None
    return amount, _str(value.get("currency"))


def _date(value: Any) -> str | None:
    """YYYY-MM-DD of an ISO 8601 date or date-time (the local date as published, time zone not shifted)."""
    text = _str(value)
    if text and len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        return text[:10]
    return None


def _items_category(tender: dict[str, Any]) -> str | None:
    """The one category all of the tender's classified items agree on (None when none or mixed)."""
    found = set()
    for item in _list(tender.get("items")):
        classification = _obj(item).get("classification")
        if isinstance(classification, list):
            classification = classification[0] if classification else None
        classification = _obj(classification)
        code = classification.get("id")
        category = category_of_classification(
            _str(classification.get("scheme")),
            str(code) if isinstance(code, str | int) else None,
            _str(classification.get("description")),
        )
        if category:
            found.add(category)
    return found.pop() if len(found) == 1 else None


def _awards(release: dict[str, Any], report: Counter[str]) -> list[dict[str, Any]]:
    awards = release.get("awards")
    if isinstance(awards, dict):
        report["awards: an object, not an array (read as one award)"] += 1
        award = dict(awards)
        if "suppliers" not in award:
            nested = [s for item in _list(award.get("items")) for s in _list(_obj(item).get("suppliers"))]
            if nested:
                report["awards/items/suppliers: suppliers under items (read as award suppliers)"] += 1
                award["suppliers"] = nested
        award.setdefault("status", "active" if award.get("suppliers") else None)
        award.setdefault("date", award.get("awardDate"))
        award.setdefault("value", award.get("totalAwardValue"))
        return [award]
    return [a for a in _list(awards) if isinstance(a, dict)]


class _Mapper:
    def __init__(self) -> None:
        self.result = MappingResult()
        self.companies: dict[str, dict[str, Any]] = {}
        self.units: dict[str, dict[str, Any]] = {}
        self.ocid: str | None = None

    def unit(self, org: Organisation | None) -> None:
        if org and org.code not in self.units:
            self.units[org.code] = {
                "unit_code": org.code,
                "name": org.name,
                "_scheme": org.scheme,
                "_ocid": self.ocid,
            }

    def company(self, org: Organisation | None) -> None:
        if org and org.code not in self.companies:
            self.companies[org.code] = {
                "uscc": org.code,
                "name": org.name,
                "_scheme": org.scheme,
                "_ocid": self.ocid,
            }

    def release(self, release: dict[str, Any]) -> None:
        report = self.result.report
        ocid = _str(release.get("ocid"))
        publisher = publisher_of(ocid)
        self.result.counts[f"releases ({publisher})"] += 1
        if not ocid:
            report["ocid: missing"] += 1
            return
        self.ocid = ocid
        parties = parties_index(release)
        tender = _obj(release.get("tender"))
        if not tender:
            report["tender: missing"] += 1
        period = _obj(tender.get("tenderPeriod"))
        if not period and isinstance(tender.get("tederPeriod"), dict):
            report["tender/tederPeriod: misspelt tenderPeriod (read as tenderPeriod)"] += 1
            period = tender["tederPeriod"]

        buyer = organisation_resolve(release.get("buyer"), parties, "buyer", report)
        if buyer is None:
            buyer = organisation_resolve(
                tender.get("procuringEntity"), parties, "tender/procuringEntity", report
            )
            if buyer is not None:
                report["buyer: missing (procuringEntity used)"] += 1
        self.unit(buyer)

        method_code, details = (
            _str(tender.get("procurementMethod")),
            _str(tender.get("procurementMethodDetails")),
        )
        if details is None and _str(tender.get("procurementMethodType")):
            details = _str(tender.get("procurementMethodType"))
            report["tender/procurementMethodType: used as procurementMethodDetails (Prozorro)"] += 1
        method = method_of(method_code, details)
        if tender and method is None:
            report[f"tender/procurementMethod: unmapped {method_code!r} / {details!r}"] += 1
        category_code = _str(tender.get("mainProcurementCategory"))
        category = CATEGORY.get(category_code or "")
        if tender and category is None:
            report[
                f"tender/mainProcurementCategory: {'missing' if category_code is None else 'unmapped'}"
            ] += 1
            category = _items_category(tender)
            if category is not None:
                report["tender/items/classification: category from CPV division or Taiwan label"] += 1
        budget, currency = _amount(tender.get("value"))
        if budget is None and isinstance(_obj(tender.get("budget")).get("value"), dict):
            budget, currency = _amount(tender["budget"]["value"])
            report["tender/budget/value: used for tender/value"] += 1
        title = _str(tender.get("title"))
        if title is None and _str(release.get("name")):
            title = _str(release.get("name"))
            report["tender/title: missing (release name used)"] += 1

        awards = _awards(release, report)
        for award in awards:
            if award.get("status") not in AWARD_STATUSES:
                report[
                    f"awards/status: not an OCDS award status {award.get('status')!r} (award not counted as won)"
                ] += 1
        active = [a for a in awards if a.get("status") == "active"]
        winners: set[str] = set()
        for award in active:
            for supplier in _list(award.get("suppliers")):
                org = organisation_resolve(supplier, parties, "awards/suppliers", report)
                if org:
                    winners.add(org.code)
                    self.company(org)
        award_dates = sorted(d for d in (_date(a.get("date")) for a in active) if d)

        if tender:
            self.result.rows["tenders"].append(
                {
                    "tender_no": ocid,
                    "title": title,
                    "buyer_code": buyer.code if buyer else None,
                    "method": method,
                    "category": category,
                    "budget": budget,
                    "notice_date": _date(tender.get("datePublished")) or _date(period.get("startDate")),
                    "deadline": _date(period.get("endDate")),
                    "award_date": award_dates[0] if award_dates else None,
                    "_ocid": ocid,
                    "_currency": currency,
                    "_publisher": publisher,
                    "_procurement_method": method_code,
                    "_procurement_method_details": details,
                }
            )

        self.bids(release, ocid, publisher, parties, winners)
        self.contracts(release, ocid, parties, awards, buyer)

    def bids(
        self, release: dict[str, Any], ocid: str, publisher: str, parties: dict[str, Any], winners: set[str]
    ) -> None:
        report = self.result.report
        details = _obj(release.get("bids")).get("details")
        tenderers = _list(_obj(release.get("tender")).get("tenderers"))
        if not isinstance(details, list):
            for tenderer in tenderers:
                self.company(organisation_resolve(tenderer, parties, "tender/tenderers", report))
            if tenderers:
                report["bids/details: missing (tender/tenderers have no prices; no bid rows)"] += 1
            return
        for bid in details:
            bid = _obj(bid)
            status = _str(bid.get("status"))
            ocds_status = bid_status_to_ocds(publisher, status)
            if status is not None and ocds_status is None:
                report[f"bids/details/status: unknown code {status!r} ({publisher})"] += 1
            elif status is None:
                report["bids/details/status: missing"] += 1
            price, currency = _amount(bid.get("value"))
            people = _list(bid.get("tenderers")) or (
                [bid["tenderers"]] if isinstance(bid.get("tenderers"), dict) else []
            )
            if len(people) > 1:
                report["bids/details/tenderers: consortium (one bid row per member)"] += 1
            for tenderer in people:
                org = organisation_resolve(tenderer, parties, "bids/details/tenderers", report)
                if org is None:
                    continue
                self.company(org)
                self.result.rows["bids"].append(
                    {
                        "tender_no": ocid,
                        "bidder_code": org.code,
                        "bidder_name": org.name,
                        "price": price,
                        "won": org.code in winners,
                        "rejected_reason": f"{REJECTED_REASON}（{status}）"
                        if ocds_status == "disqualified"
                        else None,
                        "_bid_status": status,
                        "_bid_status_ocds": ocds_status,
                        "_currency": currency,
                    }
                )

    def contracts(
        self,
        release: dict[str, Any],
        ocid: str,
        parties: dict[str, Any],
        awards: list[dict[str, Any]],
        buyer: Organisation | None,
    ) -> None:
        report = self.result.report
        by_award = {str(a.get("id")): a for a in awards if a.get("id") is not None}
        for contract in _list(release.get("contracts")):
            contract = _obj(contract)
            suppliers = _list(contract.get("suppliers"))
            if not suppliers:
                award = by_award.get(str(contract.get("awardID")))
                suppliers = _list(_obj(award).get("suppliers")) if award else []
            if len(suppliers) > 1:
                report["contracts/suppliers: several suppliers (first kept)"] += 1
            supplier = (
                organisation_resolve(suppliers[0], parties, "contracts/suppliers", report)
                if suppliers
                else None
            )
            if supplier is None:
                report["contracts: no supplier (neither contract nor award)"] += 1
            self.company(supplier)
            amount, currency = _amount(contract.get("value"))
            amendments = contract.get("amendments")
            self.result.rows["contracts"].append(
                {
                    "contract_no": f"{ocid}/{contract.get('id')}",
                    "tender_no": ocid,
                    "buyer_code": buyer.code if buyer else None,
                    "supplier_code": supplier.code if supplier else None,
                    "amount": amount,
                    "signed": _date(contract.get("dateSigned")),
                    "final_amount": None,
                    "amendments": len(amendments) if isinstance(amendments, list) else None,
                    "_currency": currency,
                    "_status": _str(contract.get("status")),
                }
            )

    def finish(self) -> MappingResult:
        result = self.result
        result.rows["companies"] = list(self.companies.values())
        result.rows["units"] = list(self.units.values())
        contract = load_contract()
        for table in TABLES:
            result.counts[table] = len(result.rows[table])
            code_column = {"companies": "uscc", "units": "unit_code", "tenders": "buyer_code"}.get(table)
            for row in result.rows[table]:
                for column in contract[table].columns:
                    if column.required and row.get(column.key) in (None, ""):
                        result.report[f"{table}.{column.key}: required, no OCDS source"] += 1
                if code_column and row.get("_scheme", "CN-USCC") not in ("CN-USCC",) and table != "tenders":
                    result.report[f"{table}.{code_column}: not a uscc (publisher scheme kept)"] += 1
        return result


def releases_map(releases: list[Any]) -> MappingResult:
    """Map compiled releases; never raises on unexpected shapes (they are reported)."""
    mapper = _Mapper()
    for release in releases:
        if isinstance(release, dict):
            mapper.release(release)
        else:
            mapper.result.report["release: not a JSON object"] += 1
    return mapper.finish()
