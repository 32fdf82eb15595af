"""The runtime package reads nothing from the checkout: no tests/, no docs/, no shared/ (it must work installed
from a wheel). Files it needs at run time are package data beside the code that reads them."""

from __future__ import annotations

import re
from pathlib import Path

import jiandu
from jiandu.analytics.rules import registry
from jiandu.analytics.rules.fixtures import FIXTURES_DIR, fixture_paths, fixture_rule

PACKAGE = Path(jiandu.__file__).resolve().parent
# A path built above the package (parents[2] of a module is already outside `jiandu/` for a sub-package), or
# naming the checkout's tests, docs or shared folders.
OUTSIDE = re.compile(
    r"""parents\[[2-9]\]|/ *["'](tests|shared|docs)["']|["'](tests|shared)/|PROJECT_DIR *(/|\.joinpath)"""
)
# The data folder's default in a development checkout (production must set JIANDU_DATA_DIR).
ALLOWED = {("settings.py", 'PROJECT_DIR / "data"')}


def test_no_module_reaches_into_the_checkout():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            allowed = any(name == path.name and text in code for name, text in ALLOWED)
            if OUTSIDE.search(code) and not allowed:
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


def test_rule_fixtures_are_package_data_of_every_rule():
    assert FIXTURES_DIR.is_relative_to(PACKAGE)
    assert {fixture_rule(p) for p in fixture_paths()} == {r.code for r in registry()}
