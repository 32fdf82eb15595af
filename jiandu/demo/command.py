"""`jiandu demo-data`: write the synthetic city (registered in the jiandu CLI by the lead)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from tqdm import tqdm

from jiandu.demo.generate import generate


@click.command("demo-data")
@click.option(
    "--seed", default=7, show_default=True, type=int, help="随机种子：相同种子与规模生成完全相同的文件"
)
@click.option("--scale", default=1.0, show_default=True, type=float, help="规模：1 为一个地级市（6 个县区）")
@click.option(
    "--out",
    "out_dir",
    default="data/demo",
    show_default=True,
    type=click.Path(path_type=Path),
    help="输出目录（将被覆盖）",
)
def demo_data(seed: int, scale: float, out_dir: Path) -> None:
    """生成演示用的虚构城市数据（各部门报送文件、清单与真值）。"""
    started = time.monotonic()
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        """One bar for building the city (steps), one per writing stage (rows)."""
        name = "构建城市" if stage not in ("写出登记类数据", "写出招投标与支付数据", "完成") else stage
        if name == "完成":
            for bar in bars.values():
                bar.close()
            return
        if name not in bars:
            for bar in bars.values():
                bar.close()
            bars[name] = tqdm(total=total, desc=name, unit="步" if name == "构建城市" else "行", disable=None)
        bar = bars[name]
        bar.total = total
        if name == "构建城市":
            bar.set_postfix_str(stage)
        bar.n = done
        bar.refresh()

    summary = generate(seed, scale, out_dir, progress)
    click.echo(
        f"已生成 {summary.files} 个文件，{sum(summary.rows.values())} 行，植入案例 {summary.planted_cases} 个，"
        f"无效行 {summary.invalid_rows} 行，用时 {time.monotonic() - started:.0f} 秒 → {summary.out_dir}"
    )
