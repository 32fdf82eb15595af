"""Cardinal's settings file (INI), read into typed settings.

The format is Cardinal's (docs: "topics/settings", "cli/init", "cli/indicators/index" → "Global configuration"):

- keys before any section: ``currency``, ``no_price_comparison_procurement_methods``,
  ``price_comparison_procurement_methods`` (pipe-separated ``/tender/procurementMethodDetails`` values);
- ``[exclusions] procurement_method_details`` (pipe-separated) excludes processes from every indicator;
- ``[defaults]``, ``[codelists.bid_status]``, ``[codelists.award_status]``, ``[redactions]``, ``[corrections]``,
  ``[modifications]``: Cardinal's ``prepare`` step (we apply the subset listed in :mod:`jiandu.ocds.prepare`);
- one section per enabled indicator (``[R024]``), with its own keys, plus ``[R003.procurement_method_details]``.

An indicator runs only if its section is present. Unknown sections or keys are errors, as in Cardinal, so that a
typo does not silently fall back to a default.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass, field
from pathlib import Path

INDICATOR_CODES = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")

_ROOT = "__root__"
_INDICATOR_KEYS: dict[str, dict[str, type]] = {
    "R003": {"threshold": int, "procurement_methods": str},
    "R018": {"procurement_methods": str},
    "R024": {"threshold": float},
    "R025": {"percentile": int, "threshold": float},
    "R028": {},
    "R030": {},
    "R035": {"threshold": int},
    "R036": {},
    "R038": {"threshold": float, "minimum_submitted_bids": int, "minimum_contracting_processes": int},
    "R048": {"digits": int, "threshold": int, "minimum_contracting_processes": int},
    "R058": {"threshold": float},
}
_OTHER_SECTIONS: dict[str, dict[str, type] | None] = {
    _ROOT: {
        "currency": str,
        "no_price_comparison_procurement_methods": str,
        "price_comparison_procurement_methods": str,
    },
    "exclusions": {"procurement_method_details": str},
    "defaults": {
        "currency": str,
        "item_classification_scheme": str,
        "bid_status": str,
        "award_status": str,
        "party_roles": bool,
    },
    "redactions": {"amount": str, "organization_id": str},
    "corrections": {"award_status_by_contract_status": bool},
    "modifications": {
        "move_auctions": bool,
        "prefix_buyer_or_procuring_entity_id": str,
        "prefix_tenderer_or_supplier_id": str,
        "split_procurement_method_details": str,
    },
    # Free-form maps (any key, string or integer values).
    "codelists.bid_status": None,
    "codelists.award_status": None,
    "R003.procurement_method_details": None,
}


class SettingsError(ValueError):
    """The settings file does not follow Cardinal's format."""


def pipe_set(value: str | None) -> frozenset[str]:
    """Cardinal's pipe-separated lists: ``a|b|`` is {a, b} (a trailing separator adds nothing)."""
    if not value:
        return frozenset()
    parts = value.split("|")
    if parts and parts[-1] == "":
        parts = parts[:-1]
    return frozenset(parts)


@dataclass
class Settings:
    """Every setting the indicators use, with Cardinal's defaults applied at the point of use."""

    currency: str | None = None
    no_price_comparison_procurement_methods: frozenset[str] = frozenset()
    price_comparison_procurement_methods: frozenset[str] = frozenset()
    excluded_procurement_method_details: frozenset[str] = frozenset()
    # code → {key: value} for each enabled indicator (only the keys present in the file).
    indicators: dict[str, dict[str, object]] = field(default_factory=dict)
    r003_procurement_method_details: dict[str, int] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)
    bid_status_codelist: dict[str, str] = field(default_factory=dict)
    award_status_codelist: dict[str, str] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        return code in self.indicators

    def get(self, code: str, key: str, default: object = None) -> object:
        value = self.indicators.get(code, {}).get(key)
        return default if value is None else value

    def get_int(self, code: str, key: str, default: int) -> int:
        value = self.indicators.get(code, {}).get(key)
        return value if isinstance(value, int) else default

    def get_float(self, code: str, key: str) -> float | None:
        """A threshold given in the file (integers read as decimals), or None for "compute it"."""
        value = self.indicators.get(code, {}).get(key)
        return float(value) if isinstance(value, int | float) else None

    def get_str(self, code: str, key: str, default: str | None = None) -> str | None:
        value = self.indicators.get(code, {}).get(key)
        return value if isinstance(value, str) else default

    @classmethod
    def all_enabled(cls) -> Settings:
        """Every indicator with its defaults (what ``cardinal init`` writes, all keys commented out)."""
        return cls(indicators={code: {} for code in INDICATOR_CODES})


def _convert(value: str, kind: type, where: str) -> object:
    try:
        if kind is bool:
            lowered = value.strip().lower()
            if lowered not in {"true", "false"}:
                raise ValueError(value)
            return lowered == "true"
        if kind is int:
            number = int(value.strip())
            if number < 0:
                raise ValueError(value)
            return number
        if kind is float:
            return float(value.strip())
        return value.strip()
    except ValueError as error:
        raise SettingsError(f"{where}: 无效的取值 {value!r}") from error


def settings_parse(text: str) -> Settings:
    """Parse the text of a Cardinal settings file."""
    parser = configparser.ConfigParser(
        interpolation=None,
        inline_comment_prefixes=(";", "#"),
        comment_prefixes=(";", "#"),
        strict=True,
        default_section="__no_defaults__",
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive values
    try:
        parser.read_string(f"[{_ROOT}]\n{text}")
    except configparser.Error as error:
        raise SettingsError(f"设置文件格式错误: {error}") from error

    settings = Settings()
    for section in parser.sections():
        items = dict(parser.items(section))
        if section in _INDICATOR_KEYS:
            allowed = _INDICATOR_KEYS[section]
            values: dict[str, object] = {}
            for key, raw in items.items():
                if key not in allowed:
                    raise SettingsError(f"{section}.{key}: 未知的设置项")
                values[key] = _convert(raw, allowed[key], f"{section}.{key}")
            settings.indicators[section] = values
            continue
        if section not in _OTHER_SECTIONS:
            raise SettingsError(f"[{section}]: 未知的设置节")
        schema = _OTHER_SECTIONS[section]
        if schema is None:
            if section == "R003.procurement_method_details":
                settings.r003_procurement_method_details = {
                    key: int(_convert(raw, int, f"{section}.{key}"))  # type: ignore[call-overload]
                    for key, raw in items.items()
                }
            elif section == "codelists.bid_status":
                settings.bid_status_codelist = {k: v.strip() for k, v in items.items()}
            else:
                settings.award_status_codelist = {k: v.strip() for k, v in items.items()}
            continue
        converted = {}
        for key, raw in items.items():
            if key not in schema:
                where = key if section == _ROOT else f"{section}.{key}"
                raise SettingsError(f"{where}: 未知的设置项")
            converted[key] = _convert(raw, schema[key], key)
        if section == _ROOT:
            settings.currency = converted.get("currency")  # type: ignore[assignment]
            settings.no_price_comparison_procurement_methods = pipe_set(
                converted.get("no_price_comparison_procurement_methods")  # type: ignore[arg-type]
            )
            settings.price_comparison_procurement_methods = pipe_set(
                converted.get("price_comparison_procurement_methods")  # type: ignore[arg-type]
            )
        elif section == "exclusions":
            settings.excluded_procurement_method_details = pipe_set(
                converted.get("procurement_method_details")  # type: ignore[arg-type]
            )
        elif section == "defaults":
            settings.defaults = converted
    return settings


def settings_load(path: str | Path) -> Settings:
    """Read a Cardinal settings file."""
    return settings_parse(Path(path).read_text(encoding="utf-8"))
