"""Compile OCDS releases into one compiled release, by the OCDS merge routine.

OCDS 1.1 "Merging" (standard.open-contracting.org, "Merging"): releases of one contracting process are ordered by
``date`` and applied in turn. Objects merge field by field; a ``null`` removes the field; an array of objects that
all carry an ``id`` merges by identifier (an object with a known ``id`` is merged into the earlier one, a new ``id``
is appended); any other array is replaced whole. The compiled release is tagged ``["compiled"]``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

JSON = Any


def _identifier_array(value: JSON) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "id" in item for item in value)
    )


def _merge_value(earlier: JSON, later: JSON) -> JSON:
    if isinstance(earlier, dict) and isinstance(later, dict):
        return _merge_object(earlier, later)
    if _identifier_array(earlier) and _identifier_array(later):
        merged = [copy.deepcopy(item) for item in earlier]
        position = {str(item["id"]): index for index, item in enumerate(merged)}
        for item in later:
            key = str(item["id"])
            if key in position:
                merged[position[key]] = _merge_object(merged[position[key]], item)
            else:
                position[key] = len(merged)
                merged.append(copy.deepcopy(item))
        return merged
    return copy.deepcopy(later)


def _merge_object(earlier: dict[str, JSON], later: dict[str, JSON]) -> dict[str, JSON]:
    result = dict(earlier)
    for key, value in later.items():
        if value is None:
            result.pop(key, None)
        elif key in result:
            result[key] = _merge_value(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def release_compile(releases: Iterable[dict[str, JSON]]) -> dict[str, JSON]:
    """Merge releases of one ``ocid`` (any order) into a compiled release."""
    ordered = sorted(releases, key=lambda release: str(release.get("date") or ""))
    compiled: dict[str, JSON] = {}
    for release in ordered:
        body = {key: value for key, value in release.items() if key != "tag"}
        compiled = _merge_object(compiled, body)
    compiled["tag"] = ["compiled"]
    if ordered:
        compiled["id"] = f"{compiled.get('ocid')}-{compiled.get('date')}"
    return compiled
