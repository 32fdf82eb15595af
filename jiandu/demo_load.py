"""`jiandu demo-load`: build the demo city and load what the platform can import so far.

Steps, each skipped with a notice when its part of the platform is not installed yet: generate the demo
deliveries (jiandu.demo), import them (jiandu.sources), resolve entities, scan the rules.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.command("demo-load")
@click.option("--seed", default=7, show_default=True, help="随机种子")
@click.option("--scale", default=1.0, show_default=True, help="规模（1 = 一个地级市）")
@click.option("--out", "out_dir", default="data/demo-city", show_default=True, help="演示数据输出目录")
def demo_load(seed: int, scale: float, out_dir: str) -> None:
    """生成演示城市数据并导入平台。"""
    out = Path(out_dir)
    if not _available("jiandu.demo"):
        click.echo("演示数据生成器尚未包含在此版本中：仅创建演示账户。")
        return
    from jiandu.demo import generate

    click.echo(f"生成演示城市（种子 {seed}，规模 {scale}）→ {out}")
    generate(seed=seed, scale=scale, out_dir=out)
