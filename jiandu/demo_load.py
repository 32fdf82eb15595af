"""`jiandu demo-load`: build the demo city and carry it through the whole platform.

generate the departments' deliveries (jiandu.demo) → import them in the manifest's order, re-deliveries
last (jiandu.sources) → resolve entities → scan every rule at the demo's scan date. Each step shows progress.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import click
from tqdm import tqdm

from jiandu.alerts.scanning import scan_run
from jiandu.demo import generate
from jiandu.entities.services import resolve_run
from jiandu.sources.services import delivery_import


def manifest_files(out: Path) -> list[Path]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [out / entry["path"] for entry in manifest["files"]]


@click.command("demo-load")
@click.option("--seed", default=7, show_default=True, help="随机种子")
@click.option("--scale", default=1.0, show_default=True, help="规模（1 = 一个地级市）")
@click.option("--out", "out_dir", default="data/demo-city", show_default=True, help="演示数据输出目录")
@click.option(
    "--reuse/--regenerate", default=True, show_default=True, help="已生成相同种子和规模的数据时直接使用"
)
def demo_load(seed: int, scale: float, out_dir: str, reuse: bool) -> None:
    """生成演示城市数据，导入平台，归并实体并运行全部预警规则。"""
    out = Path(out_dir)
    started = time.perf_counter()
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    if not (reuse and manifest.get("seed") == seed and manifest.get("scale") == scale):
        click.echo(f"① 生成演示城市（种子 {seed}，规模 {scale}）→ {out}")
        bars: dict[str, tqdm] = {}

        def gen_progress(stage: str, done: int, total: int) -> None:
            bar = bars.setdefault("gen", tqdm(total=total, desc="生成", unit="步", disable=None))
            bar.set_postfix_str(stage)
            bar.n = done
            bar.refresh()

        generate(seed=seed, scale=scale, out_dir=out, progress=gen_progress)
        for bar in bars.values():
            bar.close()
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = manifest_files(out)
    click.echo(f"② 导入 {len(files)} 个报送文件")
    totals = {"accepted": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    failed: list[str] = []
    with tqdm(total=len(files), desc="导入", unit="个文件", disable=None) as bar:
        for file in files:
            bar.set_postfix_str(file.name)
            for delivery in delivery_import(path=file, original_name=file.name):
                for key in totals:
                    totals[key] += getattr(delivery, key)
                if delivery.status == delivery.Status.FAILED:
                    failed.append(f"{file.name}：{delivery.message}")
            bar.update(1)
    click.echo("   新增 {accepted}，更新 {updated}，未变化 {unchanged}，拒收 {rejected}".format(**totals))
    if failed:
        # A city without one of its deliveries would scan "clean" where the missing table should hit:
        # stop here rather than report the demo city ready.
        raise click.ClickException("以下报送文件未能导入，演示城市不完整：\n" + "\n".join(failed))
    click.echo("③ 实体归并")
    with tqdm(total=6, desc="归并", unit="步", disable=None) as bar:

        def er_progress(stage: str, done: int, total: int) -> None:
            bar.set_postfix_str(stage)
            bar.n = done
            bar.refresh()

        run = resolve_run(full=True, progress=er_progress)
    click.echo(f"   待人工确认的记录对 {run.stats.get('review_pairs', 0)}")
    as_of = dt.date.fromisoformat(manifest.get("as_of") or dt.date.today().isoformat())
    click.echo(f"④ 运行预警规则（基准日 {as_of}）")
    with tqdm(total=1, desc="规则", unit="条", disable=None) as bar:

        def scan_progress(code: str, done: int, total: int) -> None:
            bar.total = total
            bar.set_postfix_str(code)
            bar.n = done
            bar.refresh()

        scan = scan_run(as_of=as_of, progress=scan_progress)
    counts = scan.summary["counts"]
    click.echo(f"   预警：新增 {counts['new']}，保留 {counts['kept']}，不再满足 {counts['unsupported']}")
    click.echo(f"演示城市就绪，用时 {time.perf_counter() - started:.0f} 秒。")
