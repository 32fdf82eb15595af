"""No broad catch that goes on in the scan, import and resolution paths (issue 24, "No silent failure").

A handler of `Exception`, `BaseException`, a bare `except:` or `ImportError` in those packages must raise
(after recording the failure on the delivery or scan, or as a clear `DeliveryError`). The scan's contributor
loader used to `except ImportError: pass`, so a missing module meant fewer alerts and no word said.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jiandu

PACKAGE = Path(jiandu.__file__).parent
PATHS = [
    "alerts",
    "sources",
    "entities",
    "registry",
    "ocds",
    "jobs",
    "analytics/intake",
    "analytics/resolution",
    "analytics/rules",
]
BROAD = {"Exception", "BaseException", "ImportError", "ModuleNotFoundError"}


def _broad(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(t, ast.Name) and t.id in BROAD for t in types)


def test_broad_handlers_in_the_scan_import_and_resolution_paths_raise():
    going_on = []
    for folder in PATHS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ExceptHandler) and _broad(node):
                    if not any(isinstance(inner, ast.Raise) for inner in ast.walk(node)):
                        going_on.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert going_on == []
