"""Where the tests find files that live in the checkout, not in the package: docs/ and the shared folder.

The shared folder (spec, real samples) sits beside the main checkout (`<parent>/main` and `<parent>/shared`).
A git worktree elsewhere finds it through its `.git` file, which names the main checkout's git directory.
`JIANDU_SHARED_DIR` overrides both. No absolute path is assumed.
"""

from __future__ import annotations

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
DOCS = CHECKOUT / "docs"


def _main_checkout(checkout: Path) -> Path:
    git = checkout / ".git"
    if git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        text = git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            return Path(text.removeprefix("gitdir:").strip()).resolve().parents[2]
    return checkout


def shared_dir() -> Path:
    """The shared folder beside the (main) checkout; it may not exist (tests that need it skip then)."""
    if os.environ.get("JIANDU_SHARED_DIR"):
        return Path(os.environ["JIANDU_SHARED_DIR"])
    return _main_checkout(CHECKOUT).parent / "shared"
