"""Fill the English catalogue from jiandu/locale/en_terms.tsv and compile it.

Chinese is the source language; English is a translation kept as a plain two-column table so reviewers
can read it. Run through `make messages` after adding user-facing strings. Untranslated strings are listed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "jiandu" / "locale" / "en" / "LC_MESSAGES" / "django.po"
TERMS = ROOT / "jiandu" / "locale" / "en_terms.tsv"


def main() -> int:
    terms = dict(
        line.split("\t", 1) for line in TERMS.read_text(encoding="utf-8").splitlines() if "\t" in line
    )
    terms = {k: v.strip() for k, v in terms.items()}
    text = PO.read_text(encoding="utf-8")
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        msgid = match.group(1)
        if not msgid:
            return match.group(0)
        if msgid in terms:
            english = terms[msgid].replace('"', '\\"')
            return f'msgid "{msgid}"\nmsgstr "{english}"'
        missing.append(msgid)
        return match.group(0)

    text = re.sub(r'msgid "(.*)"\nmsgstr ".*"', fill, text)
    text = text.replace("#, fuzzy\n", "")
    PO.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
