"""Fill the English catalogue from jiandu/locale/en_terms.tsv and compile it.

Chinese is the source language; English is a translation kept as a plain two-column table so reviewers
can read it. Run through `make messages` after adding user-facing strings. Untranslated strings are listed.
Entries may be wrapped over several lines and flagged fuzzy by makemessages; both are handled here, since a
fuzzy entry is silently left out of the compiled catalogue by msgfmt.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "jiandu" / "locale" / "en" / "LC_MESSAGES" / "django.po"
TERMS = ROOT / "jiandu" / "locale" / "en_terms.tsv"


def _unquote(lines: list[str]) -> str:
    parts = []
    for line in lines:
        text = line.split(" ", 1)[1] if line.startswith("msg") else line
        parts.append(text.strip()[1:-1])
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill_entry(block: str, terms: dict[str, str], missing: list[str]) -> str:
    lines = block.split("\n")
    comments = [line for line in lines if line.startswith("#") and not line.startswith("#|")]
    body = [line for line in lines if not line.startswith("#")]
    if not any(line.startswith("msgid ") for line in body) or any(
        line.startswith("msgid_plural") for line in body
    ):
        return block
    start = next(i for i, line in enumerate(body) if line.startswith("msgid "))
    end = next(i for i, line in enumerate(body) if line.startswith("msgstr"))
    msgid = _unquote(body[start:end])
    msgstr = _unquote(body[end:])
    fuzzy = any("fuzzy" in c for c in comments if c.startswith("#,"))
    if not msgid or (msgstr and not fuzzy):
        return block
    if msgid not in terms:
        missing.append(msgid)
        return block
    flags = []
    for c in comments:
        if c.startswith("#,"):
            kept = [f.strip() for f in c[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
            if kept:
                flags.append("#, " + ", ".join(kept))
        else:
            flags.append(c)
    return "\n".join([*flags, *body[:end], f"msgstr {_quote(terms[msgid])}"])


def main() -> int:
    terms = {}
    for line in TERMS.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            zh, en = line.split("\t", 1)
            terms[zh] = en.strip()
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    missing: list[str] = []
    # The header (first block, empty msgid) is kept as is.
    text = "\n\n".join([blocks[0], *(fill_entry(b, terms, missing) for b in blocks[1:])])
    PO.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "--check-format", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
