"""A migrated database of its own for tests that run `jiandu` in child processes and kill them.

On the database the suite runs on: a SQLite file, or a scratch PostgreSQL database next to the test one.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Scratch:
    """A migrated database of its own, reachable by child processes.

    Migrating takes a minute on a loaded machine, so tests take a copy of one migrated per session (the
    `scratch` fixture, tests/conftest.py): a copied SQLite file, or a PostgreSQL database made from a template.
    """

    def __init__(self, tmp_path: Path, *, template: Scratch | None = None, suffix: str = "kill") -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
        self.env["JIANDU_DATA_DIR"] = str(tmp_path / "data")
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        if self.postgres:
            import psycopg

            base, _, name = url.rpartition("/")
            self.name = f"{name}_{suffix}"
            self.url = f"{base}/{self.name}"
            source = f" TEMPLATE {template.name}" if template is not None else ""
            with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
                con.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
                con.execute(f"CREATE DATABASE {self.name}{source}")
            self.env["DATABASE_URL"] = self.url
        else:
            self.env.pop("DATABASE_URL", None)
            self.path = tmp_path / "data" / "jiandu.sqlite3"
            if template is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(template.path, self.path)
        if template is None:
            migrated = self.jiandu("migrate", "--noinput", "-v", "0", timeout=900)  # a minute when idle
            assert migrated.returncode == 0, migrated.stderr

    def jiandu(self, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jiandu", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def paused(self, step: str, *args: str) -> subprocess.Popen[str]:
        """Start `jiandu ARGS` with every import held at `step` (tests/sources/paused.py)."""
        return subprocess.Popen(
            [sys.executable, "-m", "tests.sources.paused", step, "120", *args],
            cwd=ROOT,
            env=self.env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )

    @staticmethod
    def kill_when_paused(child: subprocess.Popen[str], step: str) -> int:
        """Wait until `child` holds an import at `step`, SIGKILL it; returns the delivery's id."""
        assert child.stderr is not None
        for line in child.stderr:
            if line.startswith(f"JIANDU_IMPORT_PAUSED {step} "):
                break
        else:
            pytest.fail("the process ended without pausing")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        return int(line.split()[2])

    def killed_import(self, path: Path, step: str = "merged") -> int:
        """Run `jiandu import PATH`, SIGKILL it while it holds the import at `step`; returns the delivery id."""
        return self.kill_when_paused(self.paused(step, "import", str(path), "--quiet"), step)

    def row(self, sql: str) -> tuple[object, ...]:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as con:
                row = con.execute(sql).fetchone()
        else:
            con = sqlite3.connect(self.path)
            try:
                row = con.execute(sql).fetchone()
            finally:
                con.close()
        return tuple(row) if row else ()

    def scalar(self, sql: str) -> object:
        row = self.row(sql)
        return row[0] if row else None
