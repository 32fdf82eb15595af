"""Walking the chain: the first entry that was changed, removed or slipped in, and the anchors it misses."""

from __future__ import annotations

from dataclasses import dataclass, field

from jiandu.audit.chain import HEAD_PK, anchors_read, entry_hash_compute
from jiandu.audit.models import GENESIS_HASH, AccessEvent, ChainHead
from jiandu.security.crypto import digest_name

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # modified | deleted | inserted | head | anchor
    message: str


@dataclass
class ChainReport:
    checked: int = 0
    last_seq: int = 0
    anchors_checked: int = 0
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first(self) -> ChainProblem | None:
        return min(self.problems, key=lambda p: p.seq) if self.problems else None


def chain_verify() -> ChainReport:
    report = ChainReport()
    problems = report.problems
    expected_seq = 1
    prev_hash = GENESIS_HASH
    hashes: dict[int, str] = {}
    for event in AccessEvent.objects.order_by("seq").iterator(chunk_size=2000):
        report.checked += 1
        if entry_hash_compute(event) != event.entry_hash:
            problems.append(
                ChainProblem(event.seq, "modified", f"第 {event.seq} 条内容与其摘要不符（被修改）")
            )
        if event.seq > expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq,
                    "deleted",
                    f"缺少第 {expected_seq}–{event.seq - 1} 条（被删除）",
                )
            )
        elif event.prev_hash != prev_hash:
            problems.append(
                ChainProblem(event.seq, "inserted", f"第 {event.seq} 条未链接到前一条（被插入、替换或重排）")
            )
        hashes[event.seq] = event.entry_hash
        prev_hash = event.entry_hash
        expected_seq = event.seq + 1
        report.last_seq = event.seq
        if len(problems) >= MAX_PROBLEMS:
            return report
    head = ChainHead.objects.filter(pk=HEAD_PK).first()
    head_seq, head_hash = (head.seq, head.entry_hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (report.last_seq, prev_hash):
        problems.append(
            ChainProblem(
                min(head_seq, report.last_seq) + 1,
                "head",
                f"链头记录为第 {head_seq} 条，日志表末条为第 {report.last_seq} 条（末尾被删除或在服务之外追加）",
            )
        )
    algorithm = digest_name()
    for seq, anchor_algorithm, anchor_hash in anchors_read():
        if seq < 0:
            problems.append(ChainProblem(0, "anchor", f"锚定文件中有无法解析的行：{anchor_hash!r}"))
            continue
        if anchor_algorithm != algorithm:
            continue
        report.anchors_checked += 1
        if hashes.get(seq) != anchor_hash:
            problems.append(ChainProblem(seq, "anchor", f"第 {seq} 条与外部锚定的链头摘要不符或已不存在"))
    return report
