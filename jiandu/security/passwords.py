"""Password complexity: at least three of the four character classes.

Length (10+), the common-password list and similarity to the username are checked by Django's own
validators; this one adds the class rule that 等保 2.0 reviews ask for ("口令应由多种字符组成").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("小写字母", str.islower),
    ("大写字母", str.isupper),
    ("数字", str.isdigit),
)


def character_classes(password: str) -> set[str]:
    found = set()
    for char in password:
        for name, test in CLASSES:
            if char.isascii() and test(char):
                found.add(name)
                break
        else:
            if not char.isspace():
                found.add("符号")
    return found


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self._message(), code="password_too_simple")

    def get_help_text(self) -> str:
        return self._message()

    def _message(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号四类字符中的至少 %(n)s 类。") % {
            "n": self.min_classes
        }
