"""The import contracts in pyproject.toml cover the whole package: a new app or module cannot slip past them.

`lint-imports` (make contracts, .ci/run) checks the contracts themselves; this checks they name everything.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import jiandu

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(jiandu.__file__).parent


def _contracts() -> dict[str, dict]:  # type: ignore[type-arg]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _top_level_modules() -> set[str]:
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return {f"jiandu.{n}" for n in names}


def test_every_app_and_top_level_module_is_on_a_floor():
    on_floors = {m for layer in _contracts()["floors"]["layers"] for m in re.split(r"[|:]", layer)}
    assert _top_level_modules() == {m.strip() for m in on_floors}


def test_every_app_is_checked_for_module_circles():
    apps = {f"jiandu.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")}
    assert apps == set(_contracts()["no-module-cycles"]["ancestors"])


def test_every_security_module_is_a_primitive_or_a_mechanism():
    contract = _contracts()["security-primitives"]
    primitives = set(contract["source_modules"])
    mechanisms = {m for m in contract["forbidden_modules"] if m.startswith("jiandu.security.")}
    modules = {
        f"jiandu.security.{p.stem}" for p in (PACKAGE / "security").glob("*.py") if p.stem != "__init__"
    }
    assert primitives | mechanisms == modules and not primitives & mechanisms
