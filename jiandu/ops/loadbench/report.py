"""Figures of a load run: latency percentiles per page and phase, status classes, throughput."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jiandu.ops.loadbench.client import PAGES, Sample


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def page_table(samples: list[Sample], phases: dict[str, float]) -> list[dict[str, Any]]:
    """One row per (phase, page): n, p50, p95, max, 5xx, other failures, requests per second of the phase."""
    rows = []
    for phase, seconds in phases.items():
        for page in [p for p, _ in PAGES] + ["all"]:
            mine = [s for s in samples if s.phase == phase and (page == "all" or s.page == page)]
            if not mine:
                continue
            ok = [s.ms for s in mine if 200 <= s.status < 300]
            rows.append(
                {
                    "phase": phase,
                    "page": page,
                    "n": len(mine),
                    "p50_ms": round(percentile(ok, 0.5), 1),
                    "p95_ms": round(percentile(ok, 0.95), 1),
                    "max_ms": round(max(ok), 1) if ok else 0.0,
                    "5xx": sum(1 for s in mine if s.status >= 500),
                    "other_failures": sum(1 for s in mine if not (200 <= s.status < 300) and s.status < 500),
                    "per_s": round(len(mine) / seconds, 1) if seconds else 0.0,
                }
            )
    return rows


def failures(samples: list[Sample]) -> dict[str, int]:
    return dict(Counter(f"{s.status} {s.error}".strip() for s in samples if not (200 <= s.status < 300)))


def table_lines(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"{'phase':<6} {'page':<10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'5xx':>5} {'other':>6} {'req/s':>6}"
    ]
    for r in rows:
        lines.append(
            f"{r['phase']:<6} {r['page']:<10} {r['n']:>6} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8}"
            f" {r['5xx']:>5} {r['other_failures']:>6} {r['per_s']:>6}"
        )
    return lines
