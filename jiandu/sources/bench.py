"""`jiandu bench-import`: end-to-end import rate of N payment rows on SQLite and PostgreSQL, next to a
PostgreSQL COPY of the same file into a bare table measured in the same run (docs/benchmarks.md).

Not a test: it takes minutes for 1,000,000 rows. Each database is a scratch one (a temporary SQLite file;
PostgreSQL database `<name>_bench` next to DATABASE_URL's, or --postgres-url), migrated by a child process,
so the numbers include everything `jiandu import` does: read, validate, digest, stage, merge, scope.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from jiandu.analytics.contract import load_contract
from jiandu.analytics.idcolumns import key_columns, stored_columns
from jiandu.analytics.intake import read_file
from jiandu.analytics.intake.bench import payments_csv
from jiandu.registry.frames import staging_frame
from jiandu.sources import merge
from jiandu.sources.models import Delivery
from jiandu.sources.services import delivery_import
from jiandu.sources.staging import column_definitions

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jiandu_bench"
BARE_COLUMNS = (
    "payment_no",
    "payer_code",
    "payee_name",
    "payee_code",
    "amount",
    "paid",
    "purpose",
    "contract_no",
)


def _child(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "jiandu", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise click.ClickException(f"jiandu {' '.join(args)} 失败：\n{done.stderr[-2000:]}")
    return done.stdout


def _fresh_postgres(url: str) -> None:
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')


BLOCK = 1 << 20


def _copy_blocks(cursor: Any, sql: str, blocks: Iterable[bytes]) -> None:
    """Feed `blocks` of CSV bytes to a COPY … FROM STDIN on a psycopg cursor."""
    with cursor.copy(sql) as copy:
        for block in blocks:
            copy.write(block)


def copy_baseline(url: str, csv_path: Path) -> float:
    """Seconds for COPY of the delivered CSV into a bare table (text columns, no index, no constraint)."""
    columns = ", ".join(f"{c} text" for c in BARE_COLUMNS)
    with psycopg.connect(url) as con:
        con.execute("DROP TABLE IF EXISTS bench_bare")
        con.execute(f"CREATE TABLE bench_bare ({columns})")
        con.commit()
        began = time.perf_counter()
        with con.cursor() as cur, csv_path.open("rb") as handle:
            _copy_blocks(
                cur,
                "COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)",
                iter(lambda: handle.read(BLOCK), b""),
            )
        con.commit()
        seconds = time.perf_counter() - began
        con.execute("DROP TABLE bench_bare")
    return seconds


def _measure(label: str, env: dict[str, str], csv_path: Path, rows: int) -> list[dict[str, object]]:
    _child(["migrate", "--noinput", "-v", "0"], env)
    results = []
    for run in ("first delivery", "same file again"):
        out = _child(["bench-import", "--phase", "import", "--csv", str(csv_path)], env)
        result = json.loads(out.strip().splitlines()[-1])
        result.update(database=label, run=run, rows_per_s=round(rows / result["seconds"]))
        results.append(result)
    return results


@click.command("bench-import")
@click.option("--rows", default=1_000_000, show_default=True, help="生成的支付记录行数")
@click.option("--postgres-url", default=DEFAULT_PG, show_default=True, help="PostgreSQL 临时库（会被重建）")
@click.option("--skip-sqlite", is_flag=True, help="只测 PostgreSQL")
@click.option("--phase", type=click.Choice(["all", "import", "floor"]), default="all", hidden=True)
@click.option("--csv", "csv_file", type=click.Path(path_type=Path), default=None, hidden=True)
def bench_import(rows: int, postgres_url: str, skip_sqlite: bool, phase: str, csv_file: Path | None) -> None:
    """导入性能基准：N 行国库集中支付记录，SQLite 与 PostgreSQL，对照 PostgreSQL COPY。"""
    if phase in ("import", "floor"):
        assert csv_file is not None
        (_import_once if phase == "import" else _floor_once)(csv_file)
        return

    with tempfile.TemporaryDirectory(prefix="jiandu-bench-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "国库集中支付.csv"
        began = time.perf_counter()
        csv_path.write_text(payments_csv(rows), encoding="utf-8")
        click.echo(
            f"生成 {rows} 行：{time.perf_counter() - began:.1f}s，{csv_path.stat().st_size / 1e6:.0f} MB"
        )
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        results: list[dict[str, object]] = []
        if not skip_sqlite:
            env = {**base, "JIANDU_DATA_DIR": str(folder / "sqlite")}
            results += _measure("SQLite", env, csv_path, rows)
        _fresh_postgres(postgres_url)
        env = {**base, "JIANDU_DATA_DIR": str(folder / "pg"), "DATABASE_URL": postgres_url}
        results += _measure("PostgreSQL", env, csv_path, rows)
        floor = json.loads(
            _child(["bench-import", "--phase", "floor", "--csv", str(csv_path)], env).strip().splitlines()[-1]
        )
        baseline = copy_baseline(postgres_url, csv_path)
    copy_rate = rows / baseline
    click.echo(f"\n基准：PostgreSQL COPY 同一文件到无索引裸表 {baseline:.1f}s = {copy_rate:,.0f} 行/秒")
    click.echo("上限（只计数据库写入，客户端已备好数据、不计读取校验）：")
    for key, label in FLOOR_LABELS.items():
        click.echo(f"  {label}：{floor[key]:.1f}s = {rows / floor[key] / copy_rate:.0%} 的 COPY 速率")
    click.echo(
        f"{'数据库':<11} {'轮次':<16} {'秒':>7} {'行/秒':>9} {'占COPY':>7}  分段（读取/报告/摘要/暂存/合并）"
    )
    for r in results:
        t = r["timings"]
        assert isinstance(t, dict)
        phases = "/".join(f"{t.get(k, 0):.1f}" for k in ("read", "report", "digest", "stage", "merge"))
        share = r["rows_per_s"] / copy_rate  # type: ignore[operator]
        click.echo(
            f"{r['database']:<11} {r['run']:<16} {r['seconds']:>7.1f} {r['rows_per_s']:>9,} {share:>7.0%}  {phases}"
            f"  新增{r['accepted']} 未变化{r['unchanged']} 拒收{r['rejected']}"
        )


FLOOR_LABELS = {
    "narrowest": "最窄登记表（合同列＋行号＋摘要，仅自然键唯一约束）",
    "registry": "本系统登记表（含来源、管辖、时间戳、索引重建）",
}


def _floor_once(csv_path: Path) -> None:
    """What storing the file's valid rows costs the database alone, the client's work excluded: the rows are
    read, validated and digested before the clock starts, then (1) COPY into the narrowest table that can
    still say whether a re-delivered row is new, changed or unchanged (contract columns, row number, digest,
    a unique natural key built after the load), and (2) the importer's own write of a first delivery into the
    registry (rows_insert with the index rebuild). Both are rolled back. The ceiling of any importer that keeps
    these guarantees is the baseline's time over these (docs/benchmarks.md)."""
    table = load_contract()["payments"]
    [sheet] = read_file(csv_path)
    frame = staging_frame(table, sheet.valid)
    columns = [*stored_columns(table.name), "source_row", "row_hash"]
    text = frame.select(columns).write_csv(include_header=False, null_value="").encode("utf-8")
    result: dict[str, float] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:  # a logged table, like the baseline
            cursor.execute(f"CREATE TABLE bench_floor ({column_definitions(connection, table, columns)})")
            began = time.perf_counter()
            blocks = (text[offset : offset + BLOCK] for offset in range(0, len(text), BLOCK))
            _copy_blocks(
                cursor.cursor, f"COPY bench_floor ({', '.join(columns)}) FROM STDIN (FORMAT csv)", blocks
            )
            cursor.execute(f"ALTER TABLE bench_floor ADD UNIQUE ({', '.join(key_columns(table.name))})")
            result["narrowest"] = time.perf_counter() - began
        transaction.set_rollback(True)
    delivery = Delivery.objects.create(file_name=csv_path.name, file_hash="0" * 64)
    with transaction.atomic():
        with connection.cursor() as cursor:  # the runs before left the rows there; rolled back below
            cursor.execute(f"TRUNCATE registry_{table.name}")
        began = time.perf_counter()
        with merge.indexes_rebuilt(connection, table):
            provenance = merge.Provenance(delivery.pk, csv_path.name, delivery.file_hash, "", timezone.now())
            merge.rows_insert(connection, table, frame, provenance)
        result["registry"] = time.perf_counter() - began
        transaction.set_rollback(True)
    click.echo(json.dumps(result))


def _import_once(csv_path: Path) -> None:
    began = time.perf_counter()
    [delivery] = delivery_import(path=csv_path)
    seconds = time.perf_counter() - began
    result = {
        "seconds": seconds,
        "accepted": delivery.accepted,
        "updated": delivery.updated,
        "unchanged": delivery.unchanged,
        "rejected": delivery.rejected,
        "timings": getattr(delivery, "timings", {}),
    }
    click.echo(json.dumps(result))
