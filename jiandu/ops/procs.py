"""Child processes of a process, from /proc (Linux): how the load benchmark and tests find the consumer."""

from __future__ import annotations

from pathlib import Path


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the direct children of `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:  # exited meanwhile
            continue
        # The command name in field 2 may hold spaces and parentheses: the fields after the last ")" are safe.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append((int(entry.name), cmdline))
    return sorted(found)


def child_pid(pid: int, marker: str) -> int | None:
    """The first child of `pid` whose command line contains `marker`."""
    return next((child for child, cmdline in children(pid) if marker in cmdline), None)
