"""Check digits of the two national identifiers the contract relies on.

- id_number: GB 11643 resident identity number (18 chars, the last a MOD 11-2 check char, may be X).
  A 15-digit legacy number is converted by inserting the century "19" and computing the check char.
  Region codes are *not* used for validation: they change over time (see field notes).
- uscc: GB 32100 unified social credit code (18 chars over a 31-letter alphabet, MOD 31 check char).
"""

from __future__ import annotations

import datetime as dt

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_birth_date(id_number: str) -> dt.date | None:
    """Birth date encoded in an 18-char id_number, or None when it is not a real date."""
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def id_upgrade_15(legacy: str) -> str:
    """Convert a 15-digit legacy ID (born 19YY) to its 18-char form."""
    first17 = legacy[:6] + "19" + legacy[6:15]
    return first17 + id_check_char(first17)


def id_problem(value: str) -> str | None:
    """Why an 18-char id_number is invalid (in Chinese), or None when it is valid."""
    if len(value) != 18:
        return f"身份证号应为18位，实际为{len(value)}位"
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "身份证号含有非法字符"
    if id_birth_date(value) is None:
        return "身份证号中的出生日期不存在"
    if id_check_char(value[:17]) != value[17]:
        return "身份证号校验位错误"
    return None


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """Why an 18-char uscc is invalid (in Chinese), or None when it is valid."""
    if len(value) != 18:
        return f"统一社会信用代码应为18位，实际为{len(value)}位"
    if any(c not in USCC_ALPHABET for c in value):
        return "统一社会信用代码含有非法字符（不得含I、O、Z、S、V）"
    if uscc_check_char(value[:17]) != value[17]:
        return "统一社会信用代码校验位错误"
    return None
