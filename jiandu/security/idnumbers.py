"""Resident ID numbers at rest: keyed hash for joins, encrypted token for full display, masked form for pages.

One purpose ("id-number") for every table, so `officials.id_number_hash = family_members.declarant_id_hash`
holds exactly when the IDs are equal. Values are normalised before hashing (NFKC, spaces removed, upper-case
`X`, a valid 15-digit legacy number upgraded to 18) so that every spelling of one ID gives one hash.

The importer protects whole columns at once (`protect_values`): each distinct value is hashed and encrypted
once and the results are shared by its repetitions. Sharing a token between equal values reveals nothing the
hash does not already reveal (equal IDs have equal hashes by design).
"""

from __future__ import annotations

import hmac
import unicodedata
from collections.abc import Iterable, Sequence

from jiandu.analytics.identifiers import uscc_problem
from jiandu.analytics.resolution.normalise import normalise_id_number
from jiandu.security.crypto import (
    DecryptionError,
    _master_key,
    _subkey,
    current_family,
    decrypt,
    encrypt,
)
from jiandu.security.masking import mask_id_number

PURPOSE = "id-number"

__all__ = [
    "PURPOSE",
    "DecryptionError",
    "id_decrypt",
    "id_encrypt",
    "id_hash",
    "id_normal",
    "protect_values",
    "Protected",
]


def id_normal(value: str) -> str:
    """The form that is hashed: the valid 18-char ID, or for anything else the cleaned, upper-cased text."""
    valid = normalise_id_number(value)
    if valid is not None:
        return valid
    return unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()


def _hasher() -> hmac.HMAC:
    family = current_family()
    key = _subkey(_master_key(), family, f"mac:{PURPOSE}", 32)
    return hmac.new(key, digestmod=family.hash_name)


def id_hash(value: str) -> str:
    """The keyed hash stored in `X_hash` and used to look an ID up (search, portraits, exports)."""
    mac = _hasher()
    mac.update(id_normal(value).encode("utf-8"))
    return mac.hexdigest()


def id_hashes(values: Iterable[str]) -> dict[str, str]:
    """value → keyed hash for many values, reusing one keyed HMAC state (a tight loop, no key derivation)."""
    base = _hasher()
    out: dict[str, str] = {}
    for value in values:
        if value not in out:
            mac = base.copy()
            mac.update(id_normal(value).encode("utf-8"))
            out[value] = mac.hexdigest()
    return out


def id_encrypt(value: str) -> str:
    return encrypt(value, purpose=PURPOSE)


def id_decrypt(token: str) -> str:
    """The plaintext ID of an `X_enc` token; DecryptionError (loud) under another key or when altered."""
    return decrypt(token, purpose=PURPOSE)


class Protected:
    """The three stored forms of a column of values (None stays None in all three)."""

    def __init__(self, hashes: list[str | None], tokens: list[str | None], masked: list[str | None]):
        self.hashes = hashes
        self.tokens = tokens
        self.masked = masked


def protect_values(
    values: Sequence[str | None], *, mixed: bool = False
) -> tuple[Protected, list[str | None]]:
    """Hash, encrypt and mask a column of IDs, each distinct value once.

    With `mixed` (a text column holding an ID or a uscc), a valid uscc is not protected: it is returned in
    the second list (the plain column `X`) and its three protected forms are None; any other value is
    encrypted and masked, and hashed only when it is a valid ID (so it can join). Without `mixed` the second
    list is all None.
    """
    distinct = {v for v in values if v is not None and v != ""}
    plain: dict[str, str] = {}
    if mixed:
        for v in distinct:
            text = unicodedata.normalize("NFKC", v).strip().upper()
            if normalise_id_number(v) is None and uscc_problem(text) is None:
                plain[v] = text
    hashable = [v for v in distinct if v not in plain and (not mixed or normalise_id_number(v) is not None)]
    hashes = id_hashes(hashable)
    tokens = {v: id_encrypt(id_normal(v) if v in hashes else v) for v in distinct if v not in plain}
    masks = {v: mask_id_number(id_normal(v) if v in hashes else v) for v in tokens}
    return (
        Protected(
            [hashes.get(v) if v else None for v in values],
            [tokens.get(v) if v else None for v in values],
            [masks.get(v) if v else None for v in values],
        ),
        [plain.get(v) if v else None for v in values],
    )
