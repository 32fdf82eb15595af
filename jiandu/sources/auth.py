"""API authentication for partner systems (kept apart from the views: DRF imports it while loading settings)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from jiandu.sources.models import ApiToken
from jiandu.sources.tokens import token_digest


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiToken, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("令牌格式错误")
        _, digest = token_digest(header[1])
        token = ApiToken.objects.select_related("organisation").filter(digest=digest, revoked_at=None).first()
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效或已吊销")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
