"""The red-flag rule catalogue (spec/rules.md) as set-based queries with evidence.

Framework-free: the platform exports the registry into DuckDB (see jiandu.analytics.duck) and calls
`run_rules`; the Django alert models store the returned `AlertRow`s.
"""

from jiandu.analytics.rules.base import AlertRow, Evidence, Param, Rule
from jiandu.analytics.rules.engine import RuleParameterError, registry, render_sql, rules_by_code, run_rules
from jiandu.analytics.rules.evaluate import evaluate
from jiandu.analytics.rules.scoring import score_subjects

__all__ = [
    "AlertRow",
    "Evidence",
    "Param",
    "Rule",
    "RuleParameterError",
    "evaluate",
    "registry",
    "render_sql",
    "rules_by_code",
    "run_rules",
    "score_subjects",
]
