"""The crypto module: both algorithm families, tamper detection, purpose binding, key loading, masking."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from jiandu.security import crypto
from jiandu.security.keys import DEV_MASTER_KEY, master_key_load, master_key_parse
from jiandu.security.masking import mask_id_number, mask_phone, mask_tail

ROOT = Path(__file__).resolve().parents[2]
KEY32 = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(params=["sm", "intl"])
def family(request, settings):  # type: ignore[no-untyped-def]
    settings.JIANDU_CRYPTO = request.param
    return request.param


def test_sm3_abc_test_vector(settings):
    settings.JIANDU_CRYPTO = "sm"
    assert crypto.digest(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.digest_name() == "sm3"


def test_intl_digest_is_sha256(settings):
    settings.JIANDU_CRYPTO = "intl"
    assert crypto.digest(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_round_trip(family):
    text = "张三 110101199003074514 — 举报人线索"
    token = crypto.encrypt(text, purpose="id-number")
    expected_cipher = "sm4gcm" if family == "sm" else "aes256gcm"
    assert token.startswith(f"j1.{expected_cipher}.")
    assert text not in token and "110101199003074514" not in token
    assert crypto.decrypt(token, purpose="id-number") == text


def test_encryption_is_randomised(family):
    assert crypto.encrypt("same", purpose="p") != crypto.encrypt("same", purpose="p")


def test_sm4_gcm_is_really_sm4(settings):
    """Decrypt the token independently with cryptography's SM4-GCM and the HKDF-SM3 subkey."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    settings.JIANDU_CRYPTO = "sm"
    token = crypto.encrypt("国密", purpose="check")
    body = token.split(".")[2]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    key = HKDF(hashes.SM3(), 16, b"jiandu/subkey/v1", b"enc:check").derive(settings.JIANDU_DATA_KEY)
    nonce, ciphertext, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(b"j1|sm4gcm|check")
    assert (decryptor.update(ciphertext) + decryptor.finalize()).decode() == "国密"


@pytest.mark.parametrize("position", [0, 5, 12, 20, -1])
def test_tampered_ciphertext_fails(family, position):
    token = crypto.encrypt("敏感数据 sensitive", purpose="id-number")
    head, body = token.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[position] ^= 0x01
    forged = head + "." + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(forged, purpose="id-number")


def test_wrong_purpose_fails(family):
    token = crypto.encrypt("secret", purpose="totp-secret")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="id-number")


@pytest.mark.parametrize(
    "token", ["", "garbage", "j1.sm4gcm.", "j2.sm4gcm.AAAA", "j1.rot13.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
)
def test_malformed_tokens_fail(token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="p")


def test_swapped_algorithm_id_fails(settings):
    settings.JIANDU_CRYPTO = "sm"
    token = crypto.encrypt("x" * 40, purpose="p")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token.replace("sm4gcm", "aes256gcm"), purpose="p")


def test_tokens_survive_a_change_of_family(settings):
    settings.JIANDU_CRYPTO = "sm"
    token = crypto.encrypt("written under SM4", purpose="p")
    settings.JIANDU_CRYPTO = "intl"
    assert crypto.decrypt(token, purpose="p") == "written under SM4"


def test_wrong_master_key_fails(settings):
    token = crypto.encrypt("secret", purpose="p")
    settings.JIANDU_DATA_KEY = bytes(range(32))
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="p")


def test_keyed_hash_is_hmac_sm3_under_a_purpose_subkey(settings):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    settings.JIANDU_CRYPTO = "sm"
    value = "110101199003074514"
    subkey = HKDF(hashes.SM3(), 32, b"jiandu/subkey/v1", b"mac:id-number").derive(settings.JIANDU_DATA_KEY)
    assert (
        crypto.keyed_hash(value, purpose="id-number") == hmac.new(subkey, value.encode(), "sm3").hexdigest()
    )
    assert crypto.keyed_hash(value, purpose="id-number") == crypto.keyed_hash(value, purpose="id-number")
    assert crypto.keyed_hash(value, purpose="id-number") != crypto.keyed_hash(value, purpose="search")
    assert crypto.keyed_hash(value, purpose="id-number") != crypto.digest(value.encode())


def test_keyed_hash_intl_is_hmac_sha256(settings):
    settings.JIANDU_CRYPTO = "intl"
    assert len(crypto.keyed_hash("x", purpose="p")) == 64
    settings.JIANDU_DATA_KEY = bytes(range(32))
    other = crypto.keyed_hash("x", purpose="p")
    settings.JIANDU_DATA_KEY = bytes(range(1, 33))
    assert crypto.keyed_hash("x", purpose="p") != other


def test_bad_purpose_refused():
    with pytest.raises(ValueError):
        crypto.encrypt("x", purpose="Has Spaces")


def test_master_key_parsing():
    assert master_key_parse(KEY32, family="intl") == bytes(range(32))
    assert len(master_key_parse(base64.b64encode(bytes(range(16))).decode(), family="sm")) == 16
    with pytest.raises(ImproperlyConfigured, match="base64"):
        master_key_parse("not base64 !!", family="sm")
    with pytest.raises(ImproperlyConfigured, match="字节"):
        master_key_parse(base64.b64encode(bytes(range(16))).decode(), family="intl")
    with pytest.raises(ImproperlyConfigured, match="字节"):
        master_key_parse(base64.b64encode(bytes(range(20))).decode(), family="sm")
    with pytest.raises(ImproperlyConfigured, match="熵"):
        master_key_parse(base64.b64encode(b"\0" * 32).decode(), family="sm")


def test_master_key_defaults_only_outside_production():
    assert master_key_load(None, family="sm", environment="dev") == DEV_MASTER_KEY
    assert master_key_load("", family="sm", environment="test") == DEV_MASTER_KEY
    with pytest.raises(ImproperlyConfigured, match="JIANDU_DATA_KEY"):
        master_key_load(None, family="sm", environment="production")
    with pytest.raises(ImproperlyConfigured, match="公开密钥"):
        master_key_load(base64.b64encode(DEV_MASTER_KEY).decode(), family="sm", environment="production")
    assert master_key_load(KEY32, family="sm", environment="production") == bytes(range(32))


def test_intl_refuses_a_short_master_key(settings):
    settings.JIANDU_CRYPTO = "intl"
    settings.JIANDU_DATA_KEY = bytes(range(16))
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x", purpose="p")


def test_bad_data_key_stops_start_up(tmp_path):
    env = {**os.environ, "JIANDU_DATA_KEY": "c2hvcnQ=", "JIANDU_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "jiandu", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "JIANDU_DATA_KEY" in result.stderr


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110101199003074514", "110101********4514"),
        ("11010119900307451X", "110101********451X"),
        ("110101900307451", "110101*****7451"),
        ("1234", "**34"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


def test_mask_bank_account_and_phone():
    assert mask_tail("6222021234567890123") == "*" * 15 + "0123"
    assert mask_tail("12") == "**"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0591-87654321") == "*********4321"
