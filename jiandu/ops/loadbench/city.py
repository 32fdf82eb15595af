"""The benchmark's PostgreSQL databases: a template holding the scale-1 demo city, and a fresh copy per run.

The city is loaded once (about five minutes) under production settings with keys of the benchmark's own,
kept in the work folder beside it: the registry's encrypted fields are readable only with that data key.
Every run starts from an identical copy (CREATE DATABASE … TEMPLATE), so runs compare like with like and a
run's 1,000,000 imported rows never leak into the next.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import click

LOADED_MARK = "city-loaded"


def _admin_url(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition("/")
    return f"{base}/postgres", name


def keys_env(workdir: Path) -> dict[str, str]:
    """The benchmark's secret key and data key (created once, kept with the template database)."""
    path = workdir / "keys.env"
    if not path.exists():
        workdir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        data_key = base64.b64encode(os.urandom(32)).decode()
        path.write_text(f"JIANDU_SECRET_KEY={secret}\nJIANDU_DATA_KEY={data_key}\n")
        path.chmod(0o600)
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def production_env(workdir: Path, database_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIANDU_") and k != "DATABASE_URL"}
    env.update(keys_env(workdir))
    env.update(
        JIANDU_ENV="production",
        DATABASE_URL=database_url,
        JIANDU_DATA_DIR=str(data_dir),
        JIANDU_ALLOWED_HOSTS="127.0.0.1",
        JIANDU_LOG_LEVEL="WARNING",
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "jiandu", *args], env=env, check=False)
    if done.returncode != 0:
        raise click.ClickException(f"jiandu {' '.join(args)} 失败（退出码 {done.returncode}）")


def city_template_ensure(template_url: str, workdir: Path, *, rebuild: bool = False) -> None:
    """Create and load the template database unless a previous run already did."""
    import psycopg

    mark = workdir / LOADED_MARK
    if mark.exists() and mark.read_text().strip() == template_url and not rebuild:
        return
    admin, name = _admin_url(template_url)
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    env = production_env(workdir, template_url, workdir / "city-data")
    click.echo(f"载入演示城市（规模 1）到 {name}：约需数分钟，只在第一次运行时进行")
    _run(["migrate", "--noinput", "-v", "0"], env)
    _run(["demo-load", "--seed", "7", "--scale", "1", "--out", str(workdir / "demo-city")], env)
    mark.write_text(template_url)


def run_database_create(template_url: str, run_url: str) -> None:
    """A fresh copy of the loaded city for this run (no connection to the template may be open)."""
    import psycopg

    admin, template = _admin_url(template_url)
    _, name = _admin_url(run_url)
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
