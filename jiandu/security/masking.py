"""Masked display of identifiers: show enough to tell records apart, not enough to identify someone.

Pages and exports for roles that do not need the full value show the masked form (ASVS 14.2.6). The
GB 11643 layout puts region (6) + birth date (8) + sequence (3) + check (1) in an id_number; keeping the
region and the last four hides the birth date, the most identifying part.
"""

from __future__ import annotations

import re

from jiandu.analytics.identifiers import id_problem

MASK = "*"


def mask_id_number(value: str | None) -> str:
    """ "110101199003074514" → "110101********4514"; 15-digit ids keep 6 + 4 too; short values keep 2."""
    if not value:
        return ""
    text = value.strip()
    if len(text) >= 14:
        return text[:6] + MASK * (len(text) - 10) + text[-4:]
    if len(text) <= 2:
        return MASK * len(text)
    return MASK * (len(text) - 2) + text[-2:]


def mask_tail(value: str | None, keep: int = 4) -> str:
    """Everything but the last `keep` characters masked (bank accounts, card numbers)."""
    if not value:
        return ""
    text = value.strip()
    if len(text) <= keep:
        return MASK * len(text)
    return MASK * (len(text) - keep) + text[-keep:]


def mask_phone(value: str | None) -> str:
    """Mainland mobile numbers: "13812345678" → "138****5678"; anything else keeps its last 4."""
    if not value:
        return ""
    text = value.strip()
    if len(text) == 11 and text.isdigit():
        return text[:3] + MASK * 4 + text[-4:]
    return mask_tail(text)


# An 18-char resident ID standing alone inside a longer text (evidence keys, labels, computed values).
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9X])(?![0-9A-Za-z])")


def mask_text(value: object) -> str:
    """Mask every id_number inside a text; uscc codes and other numbers stay readable.

    Pages and URLs name officials by registry row, never by ID number, so IDs stay out of web server logs and
    browser history; where an ID must appear in a text it is masked like mask_id_number.
    """

    def hide(match: re.Match[str]) -> str:
        token = match.group(1)
        # A uscc can also be 17 digits and a check character; only a valid GB 11643 number is a person's ID.
        return mask_id_number(token) if id_problem(token) is None else token

    return _ID_IN_TEXT.sub(hide, str(value))
