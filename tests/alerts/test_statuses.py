"""One definition of the open alert statuses (jiandu/alerts/models.py), used by every app that counts open alerts."""

from __future__ import annotations

import re
from pathlib import Path

import jiandu
from jiandu.alerts.models import DEADLINE_STATUSES, OPEN_STATUSES, Alert
from jiandu.alerts.workflow import STEPS

S = Alert.Status


def test_open_is_every_status_but_the_two_ends():
    assert set(OPEN_STATUSES) == set(S) - {S.CLOSED, S.TO_LEAD}
    assert set(DEADLINE_STATUSES) < set(OPEN_STATUSES)
    # every workflow step starts from an open status; the ends have no way out
    assert all(set(step.sources) <= set(OPEN_STATUSES) for step in STEPS.values())
    assert {step.target for step in STEPS.values()} >= {S.CLOSED, S.TO_LEAD}


def test_no_app_spells_its_own_list_of_alert_statuses():
    """A tuple or list naming two workflow statuses in a row, outside the model, is a second definition."""
    pair = re.compile(
        r"""["'](pending|assigned|verifying|reported|rectifying)["']\s*,\s*["'](assigned|verifying|reported|rectifying)["']"""
    )
    root = Path(jiandu.__file__).parent
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and pair.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
