"""The master data key: parsed once at start-up, loudly refused when wrong.

One master key (`JIANDU_DATA_KEY`, base64) is the only secret the crypto module needs; every purpose gets its
own subkey derived from it with HKDF (see crypto.py), so a key leaked for one purpose (say, the TOTP secrets)
does not open another (the registry's id_numbers). The master key lives in the environment, never in the
repository or the database. Development and test profiles get a fixed, public key so the demo runs without
setup; production refuses to start without a real one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django.core.exceptions import ImproperlyConfigured

# Public on purpose: anything encrypted with it is as good as plaintext. Never accepted in production.
DEV_MASTER_KEY = hashlib.sha256(b"jiandu dev/test data key - public, never for production").digest()

KEY_LENGTHS = {"sm": (16, 32), "intl": (32,)}


def master_key_parse(raw: str, *, family: str) -> bytes:
    """Decode a base64 master key and check its length for the algorithm family (16/32 bytes SM4, 32 AES)."""
    text = raw.strip()
    try:
        key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("环境变量 JIANDU_DATA_KEY 不是有效的 base64 编码") from exc
    allowed = KEY_LENGTHS[family]
    if len(key) not in allowed:
        expected = " 或 ".join(str(n) for n in allowed)
        raise ImproperlyConfigured(
            f"环境变量 JIANDU_DATA_KEY 解码后为 {len(key)} 字节，算法族 {family} 要求 {expected} 字节"
        )
    if len(set(key)) < 4:
        raise ImproperlyConfigured("环境变量 JIANDU_DATA_KEY 熵过低（字节几乎全部相同），请用随机数生成")
    return key


def master_key_load(raw: str | None, *, family: str, environment: str) -> bytes:
    """The master key for this process: the configured one, or the public dev key outside production."""
    if raw is None or not raw.strip():
        if environment in ("dev", "test"):
            return DEV_MASTER_KEY
        raise ImproperlyConfigured(
            "生产环境必须设置 JIANDU_DATA_KEY（base64 编码的随机密钥；"
            '生成：python -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())"）'
        )
    key = master_key_parse(raw, family=family)
    if environment == "production" and key == DEV_MASTER_KEY:
        raise ImproperlyConfigured("生产环境不能使用开发用的公开密钥作为 JIANDU_DATA_KEY")
    return key
