"""Password policy: Argon2 first, length, and at least three of four character classes (Chinese messages)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from jiandu.security.passwords import CharacterClassValidator, character_classes


def test_argon2_is_the_first_hasher_in_settings():
    # The autouse fixture swaps hashers in tests; the module-level setting is what production runs.
    import jiandu.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.AUTH_PASSWORD_VALIDATORS[-1]["NAME"].endswith("CharacterClassValidator")


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefgh", {"小写字母"}),
        ("Abcdefgh1", {"小写字母", "大写字母", "数字"}),
        ("abc-123", {"小写字母", "符号", "数字"}),
        ("监督abc", {"符号", "小写字母"}),
    ],
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


def test_validator_requires_three_classes():
    validator = CharacterClassValidator(3)
    validator.validate("Jiandu-demo-2026")
    validator.validate("jiandu-demo-2026")
    with pytest.raises(ValidationError) as info:
        validator.validate("jiandudemo2026")
    assert "至少 3 类" in info.value.messages[0]


@pytest.mark.django_db
def test_full_policy_in_chinese():
    with pytest.raises(ValidationError) as info:
        validate_password("short1")
    text = " ".join(info.value.messages)
    assert "至少 3 类" in text
    validate_password("Qiang-Mima-2026x")
