"""OCP indicators on the OCDS input beside the platform rules on the same processes stored in the registry.

Issue 7 asks that "the same indicators also run as rules of the platform's engine". This module puts the two
side by side for one OCDS input: Cardinal-shaped results (``jiandu ocds indicators``) and the alerts of the
linked PRC rules run by ``jiandu.analytics.rules.engine.run_rules`` on the registry rows of the same ocids
(loaded through ``jiandu.registry.bridge``). Framework-free: the caller supplies both connections' results.

Pairs keyed by process (``OCID`` group ↔ rule subject ``tender`` = tender_no = ocid): PRC-01/R018,
PRC-03/R003, PRC-08/R024, PRC-09/R028, PRC-10/R035. PRC-05/R025 is keyed by bidder (the platform's code vs the
publisher's tenderer id), so only the numbers of flagged bidders are compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PAIRS: tuple[tuple[str, str, str], ...] = (
    ("PRC-01", "R018", "OCID"),
    ("PRC-03", "R003", "OCID"),
    ("PRC-05", "R025", "Tenderer"),
    ("PRC-08", "R024", "OCID"),
    ("PRC-09", "R028", "OCID"),
    ("PRC-10", "R035", "OCID"),
)
RULE_CODES = tuple(rule for rule, _, _ in PAIRS)


@dataclass
class Pair:
    rule: str
    indicator: str
    group: str
    platform: set[str] = field(default_factory=set)
    ocp: set[str] = field(default_factory=set)

    @property
    def both(self) -> set[str]:
        return self.platform & self.ocp if self.group == "OCID" else set()

    @property
    def only_platform(self) -> set[str]:
        return self.platform - self.ocp if self.group == "OCID" else set()

    @property
    def only_ocp(self) -> set[str]:
        return self.ocp - self.platform if self.group == "OCID" else set()


def hits_compare(alerts: list[Any], indicators: dict[str, Any]) -> list[Pair]:
    """``alerts``: the engine's AlertRows; ``indicators``: ``IndicatorResults.as_json()`` of the same input."""
    pairs = []
    for rule, indicator, group in PAIRS:
        pair = Pair(rule, indicator, group)
        pair.platform = {a.subject_key for a in alerts if a.rule == rule and a.subject_key}
        pair.ocp = {key for key, values in indicators.get(group, {}).items() if indicator in values}
        pairs.append(pair)
    return pairs


def pairs_table(pairs: list[Pair]) -> list[str]:
    lines = ["规则  指标  平台命中  OCP命中  共同  仅平台  仅OCP"]
    for p in pairs:
        common = "-" if p.group != "OCID" else str(len(p.both))
        only_p = "-" if p.group != "OCID" else str(len(p.only_platform))
        only_o = "-" if p.group != "OCID" else str(len(p.only_ocp))
        lines.append(
            f"{p.rule}  {p.indicator}  {len(p.platform):>8}  {len(p.ocp):>7}  {common:>4}  {only_p:>6}  {only_o:>5}"
        )
    return lines
