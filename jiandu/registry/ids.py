"""Registry rows and their protected ID columns: assign, look up by ID, show masked or (rarely) in full.

The registry stores no plaintext ID (jiandu/analytics/idcolumns.py). Code that holds an ID typed by a user
(search, a lead's subject) looks rows up through `id_hash`; code that holds a hash (an alert's subject, an
entity link) shows it through `masked_for_hashes`; the full number is decrypted only by `id_plain` /
`plain_for_hashes`, for the roles and exports that need it (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.analytics.contract import load_contract
from jiandu.analytics.idcolumns import IdColumn, id_columns, is_id_hash
from jiandu.registry.models import REGISTRY
from jiandu.security.idnumbers import id_decrypt, id_hash, protect_values

__all__ = [
    "PersonIdFields",
    "hash_sources",
    "id_hash",
    "id_plain",
    "masked_for_hashes",
    "plain_for_hashes",
    "protected_forms",
]


def id_plain(record: Any, key: str) -> Any:
    """The decrypted value of protected column `key` (a list for a list column); DecryptionError if the key
    is wrong. Callers show it only to roles that need it and log the view as unmasked."""
    spec = id_columns(record.table.name)[key]
    if spec.kind == "list":
        return [id_decrypt(t) for t in getattr(record, spec.enc) or []]
    token = getattr(record, spec.enc)
    if token:
        return id_decrypt(token)
    return getattr(record, spec.code) if spec.kind == "mixed" else None


def hash_sources() -> list[tuple[str, IdColumn]]:
    """(table, column) of every single-valued ID column, officials first (the usual source of a hash)."""
    out = [
        (name, spec) for name in load_contract() for spec in id_columns(name).values() if spec.kind != "list"
    ]
    return sorted(out, key=lambda item: item[0] != "officials")


def _tokens_for_hashes(hashes: Iterable[str], field: str) -> dict[str, str]:
    wanted = {h for h in hashes if h}
    found: dict[str, str] = {}
    for table, spec in hash_sources():
        missing = sorted(wanted - set(found))
        if not missing:
            break
        manager: Any = REGISTRY[table].objects
        target = spec.masked if field == "masked" else spec.enc
        for start in range(0, len(missing), 900):
            rows = manager.filter(**{f"{spec.hash}__in": missing[start : start + 900]}).values_list(
                spec.hash, target
            )
            for h, value in rows:
                if value and h not in found:
                    found[h] = value
    return found


def masked_for_hashes(hashes: Iterable[str]) -> dict[str, str]:
    """hash → masked ID, looked up in the registry (hashes no row holds any more are left out)."""
    return _tokens_for_hashes(hashes, "masked")


def plain_for_hashes(hashes: Iterable[str]) -> dict[str, str]:
    """hash → plaintext ID, decrypted from the registry's tokens (for exports to auditors)."""
    return {h: id_decrypt(token) for h, token in _tokens_for_hashes(hashes, "enc").items()}


def protected_forms(value: str) -> tuple[str, str, str] | None:
    """(hash, token, masked) of an ID given in plaintext or as a keyed hash (then the token and masked form are
    copied from the registry row that holds it); None for an empty value or a hash no row holds."""
    if not value:
        return None
    if is_id_hash(value):
        masked = masked_for_hashes([value]).get(value)
        token = _tokens_for_hashes([value], "enc").get(value)
        return (value, token, masked) if masked and token else None
    protected, _ = protect_values([value])
    return protected.hashes[0] or "", protected.tokens[0] or "", protected.masked[0] or ""


class PersonIdFields(models.Model):
    """An ID outside the registry (a lead's subject, an outcome) kept the registry's way: hash, token, mask.

    Assigning `obj.id_number = value` (plaintext or a keyed hash known to the registry) fills the three;
    reading `obj.id_number` is refused like on registry rows."""

    id_number_hash = models.CharField(
        _("身份证号（摘要）"), max_length=64, blank=True, default="", db_index=True
    )
    id_number_enc = models.TextField(_("身份证号（密文）"), blank=True, default="")
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=32, blank=True, default="")

    class Meta:
        abstract = True

    def _read_id(self) -> None:
        raise AttributeError("身份证号不以明文存储：显示用 id_number_masked，查找用 id_number_hash")

    def _write_id(self, value: str) -> None:
        forms = protected_forms((value or "").strip())
        self.id_number_hash, self.id_number_enc, self.id_number_masked = forms or ("", "", "")

    id_number = property(_read_id, _write_id)

    def id_number_plain(self) -> str:
        """The decrypted ID ('' when none); for exports and roles that need it."""
        return id_decrypt(self.id_number_enc) if self.id_number_enc else ""
