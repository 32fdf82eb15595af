"""Digests, keyed hashes and authenticated encryption, national algorithms by default.

`settings.JIANDU_CRYPTO` picks the family: "sm" (default) uses SM3 (GB/T 32905) for digests and HMAC and
SM4-GCM (GB/T 32907) for encryption, as 等保 2.0 / 密评 (GB/T 39786) reviews expect; "intl" uses SHA-256 and
AES-256-GCM. Both come from OpenSSL through hashlib and `cryptography`, nothing exotic.

Every purpose gets its own subkey, derived from the master key with HKDF over the family's hash, and the
purpose is also bound into the ciphertext as associated data: a token encrypted for "totp-secret" does not
decrypt as "id-number", even if someone copies it from one column to the other.

Tokens are versioned and name their cipher (`j1.sm4gcm.<base64url(nonce|ciphertext|tag)>`), so data written
under one family still decrypts after the setting changes. Keyed hashes and digests carry no prefix: they are
join keys and chain hashes, and a deployment must keep one family for them (changing it means rehashing).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_VERSION = "j1"
NONCE_BYTES = 12
TAG_BYTES = 16
_PURPOSE = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,63}$")


class DecryptionError(ValueError):
    """A token that is malformed, tampered with, or encrypted for another purpose or key."""


@dataclass(frozen=True)
class Family:
    name: str
    cipher_id: str
    cipher_key_bytes: int
    hash_name: str

    def hkdf_hash(self) -> hashes.HashAlgorithm:
        return hashes.SM3() if self.hash_name == "sm3" else hashes.SHA256()


FAMILIES = {
    "sm": Family("sm", "sm4gcm", 16, "sm3"),
    "intl": Family("intl", "aes256gcm", 32, "sha256"),
}
_BY_CIPHER = {family.cipher_id: family for family in FAMILIES.values()}


def current_family() -> Family:
    name = getattr(settings, "JIANDU_CRYPTO", "sm")
    if name not in FAMILIES:
        raise ImproperlyConfigured(f"JIANDU_CRYPTO={name!r} 无效，可选值：sm, intl")
    return FAMILIES[name]


def _master_key() -> bytes:
    key: bytes = settings.JIANDU_DATA_KEY
    return key


def _check_purpose(purpose: str) -> None:
    if not _PURPOSE.match(purpose):
        raise ValueError(f"invalid crypto purpose {purpose!r}: lower-case ascii, digits and _.:- only")


@lru_cache(maxsize=256)
def _subkey(master: bytes, family: Family, label: str, length: int) -> bytes:
    if family.name == "intl" and len(master) < 32:
        raise ImproperlyConfigured("算法族 intl（AES-256）要求 JIANDU_DATA_KEY 为 32 字节")
    hkdf = HKDF(algorithm=family.hkdf_hash(), length=length, salt=b"jiandu/subkey/v1", info=label.encode())
    return hkdf.derive(master)


def _aad(cipher_id: str, purpose: str) -> bytes:
    return f"{TOKEN_VERSION}|{cipher_id}|{purpose}".encode()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encrypt(plaintext: str, *, purpose: str) -> str:
    """Authenticated encryption of `plaintext` for `purpose`, as a versioned text token."""
    _check_purpose(purpose)
    family = current_family()
    key = _subkey(_master_key(), family, f"enc:{purpose}", family.cipher_key_bytes)
    nonce = os.urandom(NONCE_BYTES)
    aad = _aad(family.cipher_id, purpose)
    data = plaintext.encode("utf-8")
    if family.cipher_id == "aes256gcm":
        sealed = AESGCM(key).encrypt(nonce, data, aad)
    else:
        encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        sealed = encryptor.update(data) + encryptor.finalize() + encryptor.tag
    return f"{TOKEN_VERSION}.{family.cipher_id}.{_b64encode(nonce + sealed)}"


def decrypt(token: str, *, purpose: str) -> str:
    """The plaintext of a token from `encrypt`; DecryptionError when it was altered or is for another purpose."""
    _check_purpose(purpose)
    try:
        version, cipher_id, body = token.split(".")
        raw = _b64decode(body)
    except (ValueError, AttributeError) as exc:
        raise DecryptionError("密文格式无效") from exc
    family = _BY_CIPHER.get(cipher_id)
    if version != TOKEN_VERSION or family is None:
        raise DecryptionError("密文版本或算法未知")
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("密文长度不足")
    key = _subkey(_master_key(), family, f"enc:{purpose}", family.cipher_key_bytes)
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    aad = _aad(cipher_id, purpose)
    try:
        if family.cipher_id == "aes256gcm":
            data = AESGCM(key).decrypt(nonce, sealed, aad)
        else:
            ciphertext, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
            decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
            decryptor.authenticate_additional_data(aad)
            data = decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionError("密文校验失败（被篡改、用途不符或密钥不符）") from exc
    return data.decode("utf-8")


def keyed_hash(value: str | bytes, *, purpose: str) -> str:
    """HMAC (SM3 or SHA-256) of `value` under the purpose's subkey, as hex.

    For matching and joining values (id_numbers, search terms) without storing them: equal inputs give equal
    hashes, but without the key nobody can test guesses against the hashes. A plain digest would not do for
    id_numbers: a county has only about 2*10^7 plausible ones (60 years of birth dates x 1000 sequence
    numbers; the check character follows), so an unkeyed hash is reversed by enumeration in seconds.
    """
    _check_purpose(purpose)
    family = current_family()
    key = _subkey(_master_key(), family, f"mac:{purpose}", 32)
    data = value.encode("utf-8") if isinstance(value, str) else value
    return hmac.new(key, data, family.hash_name).hexdigest()


def digest(data: bytes) -> str:
    """Unkeyed digest (SM3 or SHA-256) as hex: for integrity chains anyone may recompute."""
    return hashlib.new(current_family().hash_name, data).hexdigest()


def digest_name() -> str:
    return current_family().hash_name
