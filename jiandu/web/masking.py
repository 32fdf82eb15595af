"""Masking of resident ID numbers on screen: the middle digits are hidden unless the role needs them.

Pages, URLs and exports name officials by their registry row, never by ID number, so IDs do not end up in web
server logs or browser history; where an ID must be shown it is masked as 110101********4514.
"""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9X])(?![0-9A-Za-z])")


def _hide(match: re.Match[str]) -> str:
    return match.group(1) + "*" * 8 + match.group(3)[-4:]


def mask_text(value: object) -> str:
    """Mask every 18-char id_number inside a text; uscc codes and other numbers stay readable."""
    return ID_PATTERN.sub(_hide, str(value))
