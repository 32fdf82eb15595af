"""API tokens for partner systems: issued once, stored only as a keyed digest (see docs/import.md)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings

from jiandu.analytics.contract import load_contract
from jiandu.sources.models import ApiToken


def token_digest(token: str) -> tuple[str, str]:
    """(algorithm, keyed digest) of an API token: HMAC-SM3 by default, HMAC-SHA256 with JIANDU_CRYPTO=intl."""
    algorithm = "sm3" if settings.JIANDU_CRYPTO == "sm" else "sha256"
    key = settings.SECRET_KEY.encode()
    return algorithm, hmac.new(key, token.encode(), lambda: hashlib.new(algorithm)).hexdigest()


def api_token_create(
    *, name: str, organisation: Any, tables: list[str], created_by: Any = None
) -> tuple[Any, str]:
    """Issue a token for a partner system; returns (ApiToken, the token text — shown once, never stored)."""
    contract = load_contract()
    unknown = [t for t in tables if t not in contract]
    if unknown or not tables:
        raise ValueError(f"未知的数据表：{', '.join(unknown)}" if unknown else "至少指定一个数据表")
    token = "jd_" + secrets.token_urlsafe(32)
    algorithm, digest = token_digest(token)
    record = ApiToken.objects.create(
        name=name,
        organisation=organisation,
        tables=sorted(set(tables)),
        digest=digest,
        algorithm=algorithm,
        created_by=created_by,
    )
    return record, token
