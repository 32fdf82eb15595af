"""Organisation references in OCDS → the platform's organisation code.

An OCDS organisation reference (``buyer``, ``tenderers[]``, ``suppliers[]``…) carries an ``id`` local to the
release, and the party it points to (``/parties``) carries the legal ``identifier`` (``scheme`` + ``id``). The
platform code is:

- the uscc, when the scheme is ``CN-USCC`` or the identifier is a valid GB 32100 code;
- otherwise ``<scheme>-<id>`` as published (``UA-EDR-12345678``, ``AM-TIN-00018357``), unchanged if the id already
  starts with its scheme. Such codes are not uscc and fail the contract's uscc validation: they are returned in the
  mapping result, not imported as is (docs/ocds.md says how the lead stores them);
- without a scheme, the identifier's id (reported), or else the release-local party id (reported).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from jiandu.analytics.identifiers import uscc_problem


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str | None
    scheme: str | None
    is_uscc: bool


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def parties_index(release: dict[str, Any]) -> dict[str, dict[str, Any]]:
    parties = release.get("parties")
    index = {}
    for party in parties if isinstance(parties, list) else []:
        party_id = _text(_obj(party).get("id"))
        if party_id is not None:
            index[party_id] = party
    return index


def organisation_resolve(
    reference: Any, parties: dict[str, dict[str, Any]], path: str, report: Counter[str]
) -> Organisation | None:
    """The platform organisation for an OCDS organisation reference, counting what was missing in ``report``."""
    reference = _obj(reference)
    if not reference:
        return None
    local_id = _text(reference.get("id"))
    party = parties.get(local_id, {}) if local_id else {}
    identifier = _obj(reference.get("identifier")) or _obj(party.get("identifier"))
    scheme = _text(identifier.get("scheme"))
    legal_id = _text(identifier.get("id"))
    name = (
        _text(identifier.get("legalName"))
        or _text(reference.get("name"))
        or _text(party.get("name"))
        or _text(_obj(party.get("identifier")).get("legalName"))
    )
    if legal_id and (scheme == "CN-USCC" or (len(legal_id) == 18 and uscc_problem(legal_id.upper()) is None)):
        return Organisation(legal_id.upper(), name, "CN-USCC", True)
    if legal_id and scheme:
        code = legal_id if legal_id.startswith(f"{scheme}-") else f"{scheme}-{legal_id}"
        return Organisation(code, name, scheme, False)
    if legal_id:
        report[f"{path}/identifier/scheme: missing, identifier id used as is"] += 1
        return Organisation(legal_id, name, None, False)
    if local_id:
        report[f"{path}/identifier: missing, release-local party id used"] += 1
        return Organisation(local_id, name, None, False)
    report[f"{path}: no id and no identifier"] += 1
    return None
