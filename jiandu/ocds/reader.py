"""Read OCDS as publishers ship it and return one compiled release per contracting process.

Accepted, in ``.json`` or ``.jsonl`` files, optionally gzip-compressed (detected by content, not by name), or in
directories of such files:

- release packages (``{"releases": [...]}``) and bare releases (an object with ``ocid`` and no ``records``);
- record packages (``{"records": [...]}``) and bare records (an object with ``compiledRelease`` or ``releases``
  next to ``ocid``-less package metadata): the record's ``compiledRelease`` is used, else its ``releases`` are
  compiled (:func:`jiandu.ocds.merge.release_compile`);
- compiled releases (``tag`` contains ``compiled``), e.g. Cardinal's input;
- JSON lines, each line any of the above; a top-level JSON array of any of the above.

Releases that share an ``ocid`` are compiled together. When a record and loose releases describe the same
``ocid``, the record wins (it is the publisher's own compilation) and the releases are counted as superseded.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiandu.ocds.merge import release_compile

SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz", ".gz")


@dataclass
class ReadReport:
    """What the reader saw: counts per kind of input, and what it had to skip (with the reason)."""

    files: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


def _open_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")


def _documents(text: str, report: ReadReport, name: str) -> Iterator[Any]:
    """The JSON documents of a file: one whole document, else one per line (JSON lines)."""
    try:
        yield json.loads(text)
        return
    except json.JSONDecodeError:
        pass
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            report.skipped[f"{name}: invalid JSON line"] += 1


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
        else:
            yield path


Origin = tuple[str, int]  # (file name, 1-based position of the release or record among those of the file)


@dataclass
class _Collector:
    report: ReadReport
    origins: dict[str, Origin] | None = None
    file_name: str = ""
    position: int = 0
    release_origins: dict[str, list[tuple[str, Origin]]] = field(default_factory=lambda: defaultdict(list))
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    releases: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    order: list[str] = field(default_factory=list)
    no_ocid: list[dict[str, Any]] = field(default_factory=list)

    def _see(self, ocid: str) -> None:
        if ocid not in self.records and ocid not in self.releases:
            self.order.append(ocid)

    def release(self, release: dict[str, Any]) -> None:
        self.report.counts["releases read"] += 1
        self.position += 1
        ocid = release.get("ocid")
        if not isinstance(ocid, str):
            # Kept (Cardinal skips such lines itself): the indicators report them as excluded.
            self.no_ocid.append(release)
            self.report.skipped["release without a string ocid"] += 1
            return
        self._see(ocid)
        self.releases[ocid].append(release)
        date = release["date"] if isinstance(release.get("date"), str) else ""
        self.release_origins[ocid].append((date, (self.file_name, self.position)))

    def record(self, record: dict[str, Any]) -> None:
        self.report.counts["records read"] += 1
        self.position += 1
        compiled = record.get("compiledRelease")
        if not isinstance(compiled, dict):
            embedded = [r for r in record.get("releases") or [] if isinstance(r, dict) and "tag" in r]
            if not embedded:
                self.report.skipped["record without compiledRelease or embedded releases"] += 1
                return
            compiled = release_compile(embedded)
            self.report.counts["records compiled from their releases"] += 1
        ocid = compiled.get("ocid") or record.get("ocid")
        if not isinstance(ocid, str):
            self.report.skipped["record without a string ocid"] += 1
            return
        compiled.setdefault("ocid", ocid)
        self._see(ocid)
        self.records[ocid] = compiled
        if self.origins is not None:
            self.origins[ocid] = (self.file_name, self.position)

    def document(self, document: Any) -> None:
        if isinstance(document, list):
            for item in document:
                self.document(item)
            return
        if not isinstance(document, dict):
            self.report.skipped["JSON value that is not an object"] += 1
            return
        if isinstance(document.get("records"), list):
            self.report.counts["record packages"] += 1
            for record in document["records"]:
                if isinstance(record, dict):
                    self.record(record)
            return
        if (
            isinstance(document.get("releases"), list)
            and "ocid" not in document
            and "compiledRelease" not in document
        ):
            self.report.counts["release packages"] += 1
            for release in document["releases"]:
                if isinstance(release, dict):
                    self.release(release)
            return
        if "compiledRelease" in document or (
            "releases" in document and "ocid" in document and "tag" not in document
        ):
            self.record(document)
            return
        self.release(document)

    def compiled(self) -> list[dict[str, Any]]:
        result = []
        for ocid in self.order:
            if ocid in self.records:
                superseded = len(self.releases.get(ocid, []))
                if superseded:
                    self.report.counts["releases superseded by a record"] += superseded
                result.append(self.records[ocid])
                continue
            releases = self.releases[ocid]
            if self.origins is not None:
                # The newest release (by date, then reading order) is where the current state comes from.
                seen = self.release_origins[ocid]
                self.origins[ocid] = max(enumerate(seen), key=lambda pair: (pair[1][0], pair[0]))[1][1]
            if len(releases) == 1:
                result.append(releases[0])
            else:
                self.report.counts["processes compiled from several releases"] += 1
                result.append(release_compile(releases))
        result.extend(self.no_ocid)
        self.report.counts["compiled releases"] = len(result)
        return result


def compiled_releases_read(
    paths: Iterable[str | Path], report: ReadReport | None = None, origins: dict[str, Origin] | None = None
) -> list[dict[str, Any]]:
    """One compiled release per contracting process found in ``paths`` (files or directories).

    When ``origins`` is given it receives, per ocid, the file and position the process's current state was
    read from: the record's, else the newest release's (the provenance the registry keeps).
    """
    report = report if report is not None else ReadReport()
    collector = _Collector(report, origins)
    for path in _files(paths):
        report.files += 1
        collector.file_name, collector.position = path.name, 0
        for document in _documents(_open_text(path), report, path.name):
            collector.document(document)
    return collector.compiled()


def jsonl_lines_read(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Cardinal's input: each non-blank line one JSON value (line number, value); invalid lines are skipped."""
    text = sys.stdin.read() if str(path) == "-" else _open_text(Path(path))
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError:
            continue
