"""Build the offline wheelhouse: jiandu's wheel and a wheel of every locked run-time dependency for x86_64 and
aarch64 Linux (CPython 3.11, glibc >= 2.28), so an isolated network installs with `pip install --no-index`.

    python tools/wheelhouse.py --lock requirements/runtime.txt --out dist/wheelhouse

Every file is fetched by pip against the lock's hashes. A dependency published only as an sdist is built here,
and only a pure-Python result (`py3-none-any`) is accepted: a compiled one would fit this machine alone. The
downloads are kept in a cache keyed by the lock's content (JIANDU_WHEEL_CACHE, default
~/.cache/jiandu/wheels), so a rerun with the same lock fetches nothing. The wheelhouse ends with
`requirements.txt`: every wheel pinned with the hash of the very file in the folder, jiandu included.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
PYTHON = (3, 11)
# glibc 2.28 is the floor of the supported servers (Kylin V10, UOS 20, openEuler 20.03+, RHEL 8, Debian 10+).
GLIBC_MINORS = range(28, 16, -1)
ARCHES = ("x86_64", "aarch64")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: Marker | None
    hashes: tuple[str, ...]

    def line(self) -> str:
        return f"{self.name}=={self.version}" + "".join(f" --hash={h}" for h in self.hashes)


def lock_parse(text: str) -> list[Pin]:
    """The pins of a `uv pip compile --generate-hashes` (or pip-compile) output."""
    pins: list[Pin] = []
    for logical in text.replace("\\\n", " ").splitlines():
        logical = logical.strip()
        if not logical or logical.startswith(("#", "-")):
            continue
        words = logical.split(" --hash=")
        req = Requirement(words[0].strip())
        (spec,) = req.specifier
        if spec.operator != "==":
            raise ValueError(f"lock: {req.name} is not pinned with ==")
        pins.append(Pin(req.name, spec.version, req.marker, tuple(w.split()[0] for w in words[1:])))
    return pins


def platforms(arch: str) -> list[str]:
    return [f"manylinux_2_{m}_{arch}" for m in GLIBC_MINORS] + [f"manylinux2014_{arch}"]


def target_tags(arch: str) -> set[Tag]:
    plats = platforms(arch)
    return set(cpython_tags(PYTHON, abis=["cp311"], platforms=plats)) | set(
        compatible_tags(PYTHON, interpreter="cp311", platforms=plats)
    )


def pins_for(pins: list[Pin], arch: str) -> list[Pin]:
    """The pins a CPython 3.11.x on Linux/`arch` installs (any patch release: markers may test 3.11.3)."""
    envs = [
        {
            "sys_platform": "linux",
            "platform_system": "Linux",
            "os_name": "posix",
            "platform_machine": arch,
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
            "python_version": "3.11",
            "python_full_version": patch,
            "extra": "",
        }
        for patch in ("3.11.0", "3.11.99")
    ]
    return [p for p in pins if p.marker is None or any(p.marker.evaluate(env) for env in envs)]


def wheels_missing(pins: list[Pin], wheel_names: list[str], arch: str) -> list[str]:
    """`name==version` of every pin that no wheel in `wheel_names` installs on Linux/`arch`."""
    tags = target_tags(arch)
    have: set[tuple[str, str]] = set()
    for file_name in wheel_names:
        name, version, _build, wheel_tags = parse_wheel_filename(file_name)
        if wheel_tags & tags:
            have.add((name, str(version)))
    return [
        f"{p.name}=={p.version}"
        for p in pins_for(pins, arch)
        if (canonicalize_name(p.name), p.version) not in have
    ]


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def pool_fill(pins: list[Pin], pool: Path) -> None:
    """Download every pin for each architecture (hash-checked), then build the sdist-only ones."""
    pool.mkdir(parents=True, exist_ok=True)
    for arch in ARCHES:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("\n".join(p.line() for p in pins_for(pins, arch)) + "\n")
        try:
            # --no-deps: the lock is complete; it also lets pip fall back to an sdist, built below.
            _pip(
                "download", "--quiet", "--no-deps", "--prefer-binary", "--require-hashes", "--dest", str(pool),
                "--python-version", "3.11", "--implementation", "cp",
                "--abi", "cp311", "--abi", "abi3", "--abi", "none",
                *[f"--platform={p}" for p in platforms(arch)],
                "-r", handle.name,
            )  # fmt: skip
        finally:
            os.unlink(handle.name)
    for sdist in sorted([*pool.glob("*.tar.gz"), *pool.glob("*.zip")]):
        with tempfile.TemporaryDirectory() as built:
            _pip("wheel", "--no-deps", "--wheel-dir", built, str(sdist))
            (wheel,) = Path(built).glob("*.whl")
            if not wheel.name.endswith("-none-any.whl"):
                raise SystemExit(
                    f"{sdist.name} 只有源码包且含编译代码，构建出的 {wheel.name} 只适用于本机架构，"
                    "不能放入 x86_64/aarch64 离线安装包"
                )
            shutil.copy2(wheel, pool / wheel.name)
        sdist.unlink()


def cache_prune(cache: Path, keep: int) -> None:
    """Keep the pools of the `keep` most recently used locks (each is some 365 MB)."""
    pools = sorted(cache.glob("*/COMPLETE"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in pools[keep:]:
        shutil.rmtree(stale.parent, ignore_errors=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wheelhouse_write(pins: list[Pin], pool: Path, out: Path) -> None:
    """Copy the pool and jiandu's fresh wheel into `out`, with a hash-pinned requirements.txt and SHA256SUMS."""
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.whl"), out / "requirements.txt", out / "SHA256SUMS"]:
        old.unlink(missing_ok=True)
    for wheel in pool.glob("*.whl"):
        try:
            os.link(wheel, out / wheel.name)  # the pool's files are never rewritten: a link is a copy
        except OSError:
            shutil.copy2(wheel, out / wheel.name)
    # A stale build/ could slip deleted modules into the wheel.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT))
    by_pin: dict[tuple[str, str], list[Path]] = {}
    for wheel in sorted(out.glob("*.whl")):
        name, version, _build, _tags = parse_wheel_filename(wheel.name)
        by_pin.setdefault((name, str(version)), []).append(wheel)
    (jiandu,) = [k for k in by_pin if k[0] == "jiandu"]
    lines = [f"# Generated by tools/wheelhouse.py from {len(pins)} locked pins; install with:",
             "#   pip install --no-index --find-links . --require-hashes -r requirements.txt"]  # fmt: skip
    for pin in [*pins, Pin("jiandu", jiandu[1], None, ())]:
        files = by_pin.get((canonicalize_name(pin.name), pin.version), [])
        if not files:
            continue  # a pin no Linux target installs (e.g. colorama on Windows)
        marker = f" ; {pin.marker}" if pin.marker else ""
        hashes = "".join(f" \\\n    --hash=sha256:{sha256(f)}" for f in files)
        lines.append(f"{pin.name}=={pin.version}{marker}{hashes}")
    (out / "requirements.txt").write_text("\n".join(lines) + "\n")
    sums = [f"{sha256(w)}  {w.name}" for w in sorted(out.glob("*.whl"))]
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements" / "runtime.txt")
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "wheelhouse")
    args = parser.parse_args()
    lock = args.lock.read_bytes()
    pins = lock_parse(lock.decode())
    cache = Path(os.environ.get("JIANDU_WHEEL_CACHE", Path.home() / ".cache" / "jiandu" / "wheels"))
    key = hashlib.sha256(lock + repr((PYTHON, list(GLIBC_MINORS), ARCHES)).encode()).hexdigest()[:16]
    pool = cache / key
    if not (pool / "COMPLETE").exists():
        pool_fill(pins, pool)
        names = [w.name for w in pool.glob("*.whl")]
        missing = {arch: wheels_missing(pins, names, arch) for arch in ARCHES}
        if any(missing.values()):
            lacking = "；".join(f"{arch}：{'、'.join(names)}" for arch, names in missing.items() if names)
            raise SystemExit(f"以下依赖没有适用的 wheel（CPython 3.11，glibc 2.28）：{lacking}")
    (pool / "COMPLETE").write_text("")  # written (or touched) on each use: the age of the pool's last use
    cache_prune(cache, keep=3)
    wheelhouse_write(pins, pool, args.out)
    wheels = sorted(args.out.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels) / 1e6
    print(f"{args.out}: {len(wheels)} wheels, {size:.0f} MB, for {', '.join(ARCHES)} (pool {pool})")


if __name__ == "__main__":
    main()
