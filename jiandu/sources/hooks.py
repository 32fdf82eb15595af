"""Observers of an import's steps, installed by whoever wants to watch them (the crash tests do).

The import calls `import_step_reached(delivery, step)` at the points where a crash matters most: "staged"
(every valid row's key is staged, the merge is about to start) and "merged" (inside the merge transaction,
every row written, nothing committed). Nothing in the runtime installs an observer; tests/sources/paused.py
installs one that holds the process there so a test can kill it with SIGKILL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

StepObserver = Callable[[Any, str], None]
_OBSERVERS: list[StepObserver] = []


def step_observer_add(observer: StepObserver) -> None:
    _OBSERVERS.append(observer)


def step_observer_remove(observer: StepObserver) -> None:
    _OBSERVERS.remove(observer)


def import_step_reached(delivery: Any, step: str) -> None:
    for observer in list(_OBSERVERS):
        observer(delivery, step)
