"""The part of Cardinal's ``prepare`` step that the indicators depend on, driven by the same settings file.

Cardinal's workflow is ``prepare`` (normalise the publisher's data) then ``indicators``. When the settings file
has ``[defaults]`` or ``[codelists.*]`` sections, ``jiandu ocds indicators`` applies them first, so one command does
both; on data already prepared these steps change nothing. Applied (docs "cli/prepare"):

- ``/bids/details[]/tenderers`` and ``/awards[]/suppliers`` given as one object become one-element arrays;
- ``[defaults] bid_status`` / ``award_status`` fill a missing status; ``currency`` a missing bid currency;
- ``[codelists.bid_status]`` / ``[codelists.award_status]`` replace publisher codes (e.g. ``qualified = valid``).

Not applied: redactions, corrections, modifications, item classification scheme defaults, party roles.
"""

from __future__ import annotations

from typing import Any

from jiandu.ocds.settings import Settings


def needs_prepare(settings: Settings) -> bool:
    return bool(settings.defaults or settings.bid_status_codelist or settings.award_status_codelist)


def release_prepare(release: Any, settings: Settings) -> Any:
    """Normalise one compiled release in place (and return it)."""
    if not isinstance(release, dict):
        return release
    bids = release.get("bids")
    details = bids.get("details") if isinstance(bids, dict) else None
    for bid in details if isinstance(details, list) else []:
        if not isinstance(bid, dict):
            continue
        if isinstance(bid.get("tenderers"), dict):
            bid["tenderers"] = [bid["tenderers"]]
        value = bid.get("value")
        if isinstance(value, dict) and "currency" not in value and settings.defaults.get("currency"):
            value["currency"] = settings.defaults["currency"]
        if "status" not in bid and settings.defaults.get("bid_status"):
            bid["status"] = settings.defaults["bid_status"]
        status = bid.get("status")
        if isinstance(status, str) and status in settings.bid_status_codelist:
            bid["status"] = settings.bid_status_codelist[status]
    awards = release.get("awards")
    for award in awards if isinstance(awards, list) else []:
        if not isinstance(award, dict):
            continue
        if isinstance(award.get("suppliers"), dict):
            award["suppliers"] = [award["suppliers"]]
        if "status" not in award and settings.defaults.get("award_status"):
            award["status"] = settings.defaults["award_status"]
        status = award.get("status")
        if isinstance(status, str) and status in settings.award_status_codelist:
            award["status"] = settings.award_status_codelist[status]
    return release
