"""Benchmark of the reading half of an import: N synthetic `payments` rows read, normalised, validated.

    python -m jiandu.analytics.intake.bench 1000000 [--gbk]

Synthetic on purpose (no personal data): units' codes are generated with valid check chars, amounts and
dates come in the forms departments really use, and about 1 % of rows carry an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from jiandu.analytics.contract import load_contract
from jiandu.analytics.identifiers import USCC_ALPHABET, uscc_check_char
from jiandu.analytics.intake.reader import read_file

HEADER = "支付流水号,付款单位代码,收款方名称,收款方证件号,金额,支付日期,用途,合同编号\n"
PURPOSES = ("办公用品采购", "工程款", "物业服务费", "差旅费", "设备维护", "咨询服务")
PAYEES = ("建设工程有限公司", "科技发展有限公司", "物业管理有限公司", "商贸有限公司", "设计院")


def _uscc(rng: random.Random) -> str:
    first17 = "91" + "".join(rng.choice(USCC_ALPHABET) for _ in range(15))
    return first17 + uscc_check_char(first17)


def payments_csv(n: int, seed: int = 7) -> str:
    """N payment rows as CSV text (header + rows), ~1 % of them invalid."""
    rng = random.Random(seed)
    payers = [_uscc(rng) for _ in range(300)]
    payees = [_uscc(rng) for _ in range(3000)]
    start = dt.date(2021, 1, 1)
    lines = [HEADER]
    for i in range(n):
        day = start + dt.timedelta(days=rng.randrange(1400))
        fen = rng.randrange(100, 500_000_000)
        form = i % 10
        amount = f"{fen // 100}.{fen % 100:02d}" if form < 7 else f'"{fen / 100:,.2f}"'
        paid = day.isoformat() if form < 8 else day.strftime("%Y/%m/%d")
        payer = payers[i % len(payers)] if i % 100 else "91350100M000100Y4X"  # 1 % bad check char
        payee = rng.randrange(len(payees))
        lines.append(
            f"P{i:010d},{payer},{PAYEES[payee % len(PAYEES)]}{payee},{payees[payee]},{amount},{paid},"
            f"{PURPOSES[i % len(PURPOSES)]},HT{i // 3:09d}\n"
        )
    return "".join(lines)


def run(n: int, *, encoding: str = "utf-8") -> dict[str, float]:
    """Write N rows to a temporary CSV, read it with read_file, return timings and counts."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "国库集中支付.csv"
        text = payments_csv(n)
        path.write_bytes(text.encode(encoding))
        load_contract()  # parsed once per process; not part of reading a file
        began, cpu_began = time.perf_counter(), time.process_time()
        sheet = read_file(path)[0]
        seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began
    return {
        "rows": n,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),  # all threads; the machine may be shared
        "rows_per_second": round(n / seconds),
        "valid": sheet.valid.height,
        "errors": len(sheet.errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--gbk", action="store_true", help="encode the file as GBK instead of UTF-8")
    args = parser.parse_args()
    print(run(args.rows, encoding="gbk" if args.gbk else "utf-8"))


if __name__ == "__main__":
    main()
