"""tools/wheelhouse.py: which pins each architecture installs, and which lack a wheel for it.

The build itself downloads from PyPI, so it runs in CI's wheel leg (.ci/wheel-install), not here.
"""

from __future__ import annotations

import pytest

from tools.wheelhouse import lock_parse, wheels_missing

LOCK = """\
numpy==2.4.6 ; python_full_version < '3.12' \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
    # via pandas
numpy==2.5.5 ; python_full_version >= '3.12' \\
    --hash=sha256:ffff
colorama==0.4.6 ; sys_platform == 'win32' \\
    --hash=sha256:cccc
async-timeout==5.0.1 ; python_full_version < '3.11.3' \\
    --hash=sha256:dddd
    # via redis
sqlglot==30.31.0 \\
    --hash=sha256:eeee
"""


def test_lock_parse_reads_pins_markers_and_hashes() -> None:
    assert [p.version for p in lock_parse(LOCK) if p.name == "numpy"] == ["2.4.6", "2.5.5"]
    pins = {p.name: p for p in lock_parse(LOCK) if p.version != "2.5.5"}
    assert set(pins) == {"numpy", "colorama", "async-timeout", "sqlglot"}
    assert pins["numpy"].version == "2.4.6" and pins["numpy"].hashes == ("sha256:aaaa", "sha256:bbbb")
    assert str(pins["colorama"].marker) == 'sys_platform == "win32"'


def test_lock_parse_refuses_an_unpinned_requirement() -> None:
    with pytest.raises(ValueError, match="not pinned"):
        lock_parse("numpy>=2 \\\n    --hash=sha256:aaaa\n")


def test_a_dependency_with_an_x86_64_wheel_only_is_missing_for_aarch64() -> None:
    pins = lock_parse(LOCK)
    wheels = [
        "numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "async_timeout-5.0.1-py3-none-any.whl",
        "sqlglot-30.31.0-py3-none-any.whl",
    ]
    assert wheels_missing(pins, wheels, "x86_64") == []
    # colorama is Windows-only, numpy 2.5.5 for Python 3.12: neither is asked for; async-timeout is (Python
    # 3.11.0-3.11.2 need it).
    assert wheels_missing(pins, wheels, "aarch64") == ["numpy==2.4.6"]


def test_wheels_for_another_python_or_a_too_new_glibc_do_not_count() -> None:
    pins = lock_parse("numpy==2.4.6 \\\n    --hash=sha256:aaaa\n")
    for wheel in (
        "numpy-2.4.6-cp312-cp312-manylinux_2_17_aarch64.whl",  # CPython 3.12
        "numpy-2.4.6-cp311-cp311-manylinux_2_34_aarch64.whl",  # glibc 2.34: not on Kylin V10 / UOS 20
        "numpy-2.4.6-cp311-cp311-musllinux_1_2_aarch64.whl",
        "numpy-2.4.5-cp311-cp311-manylinux_2_17_aarch64.whl",  # another version
    ):
        assert wheels_missing(pins, [wheel], "aarch64") == ["numpy==2.4.6"], wheel
    assert wheels_missing(pins, ["numpy-2.4.6-cp311-cp311-manylinux2014_aarch64.whl"], "aarch64") == []
