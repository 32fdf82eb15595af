"""The red-flag rule catalogue (spec/rules.md) as set-based queries with evidence.

Framework-free: the platform exports the registry into DuckDB (see jiandu.analytics.duck) and calls
`run_rules`; the Django alert models store the returned `AlertRow`s.
"""

from jiandu.analytics.rules.base import AlertRow, Evidence, Param, Rule
from jiandu.analytics.rules.engine import RuleParameterError, registry, render_sql, rules_by_code, run_rules

__all__ = [
    "AlertRow",
    "Evidence",
    "Param",
    "Rule",
    "RuleParameterError",
    "registry",
    "render_sql",
    "rules_by_code",
    "run_rules",
]
