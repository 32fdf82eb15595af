"""HTTP API for partner systems: push a delivery, read its result (OpenAPI schema at /api/schema/).

Partner systems authenticate with an ApiToken (`Authorization: Bearer <token>`); a token may deliver only its
tables and read only its own deliveries. Signed-in web users may use the same endpoints through their session
(CSRF enforced), with the same capabilities as on the pages. Validation and results are those of the web
upload: the same service imports the file.
"""

from __future__ import annotations

import csv
from typing import Any

from django.http import Http404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiandu.accounts.access import require
from jiandu.accounts.roles import Capability
from jiandu.analytics.contract import load_contract
from jiandu.security.ratelimit import rate_limited_message, rate_limited_record
from jiandu.sources.models import ApiToken, Delivery
from jiandu.sources.ratelimits import api_push_rate, upload_rate
from jiandu.sources.reports import report_path
from jiandu.sources.selectors import delivery_for, delivery_group
from jiandu.sources.uploads import UploadTooLarge, delivery_accept

MAX_ERRORS_SHOWN = 1000


class DeliveryUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV（UTF-8 或 GB18030）、XLSX 或 JSON Lines 文件")
    table = serializers.ChoiceField(
        choices=list(load_contract()), required=False, help_text="数据表英文名；不填则按表头或文件名识别"
    )


class DeliveryResultSerializer(serializers.ModelSerializer):
    errors = serializers.SerializerMethodField(help_text="被拒收的行：原行号与原因（最多1000行）")
    sheets = serializers.SerializerMethodField(help_text="同一文件其他工作表的报送编号")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "file_name",
            "file_hash",
            "table_name",
            "source_sheet",
            "channel",
            "status",
            "created_at",
            "finished_at",
            "total_rows",
            "processed_rows",
            "accepted",
            "updated",
            "unchanged",
            "rejected",
            "message",
            "errors",
            "sheets",
        ]

    def get_errors(self, delivery: Delivery) -> list[dict[str, Any]]:
        path = report_path(delivery, "csv")
        if not path.exists():
            return []
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))[1 : MAX_ERRORS_SHOWN + 1]
        return [{"row": int(r[-2]), "reasons": r[-1]} for r in rows]

    def get_sheets(self, delivery: Delivery) -> list[int]:
        return [d.pk for d in delivery_group(delivery) if d.pk != delivery.pk]


class DeliveryCreate(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="推送一个数据报送文件",
        request={"multipart/form-data": DeliveryUploadSerializer},
        responses={
            202: DeliveryResultSerializer,
            403: OpenApiResponse(description="令牌无权报送该数据表"),
            429: OpenApiResponse(
                description="推送过于频繁（每个令牌每小时的上限见 JIANDU_API_PUSHES_PER_HOUR）"
            ),
        },
    )
    def post(self, request: Request) -> Response:
        principal = request.user
        if not isinstance(principal, ApiToken):
            _require(principal, Capability.DELIVER_DATA)
        limited = _rate_limited(request, principal)
        if limited is not None:
            return limited
        upload = DeliveryUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        table = upload.validated_data.get("table")
        kw: dict[str, Any] = {"upload": upload.validated_data["file"], "table": table, "channel": "api"}
        if isinstance(principal, ApiToken):
            if table is not None and table not in principal.tables:
                raise exceptions.PermissionDenied(f"该令牌无权报送「{load_contract()[table].zh}」")
            kw.update(organisation=principal.organisation, api_token=principal)
        else:
            kw.update(user=principal, organisation=principal.organisation)
        try:
            delivery = delivery_accept(**kw)
        except UploadTooLarge as exc:
            raise exceptions.ValidationError({"file": [str(exc)]}) from exc
        delivery.refresh_from_db()
        body = DeliveryResultSerializer(delivery).data
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": f"{request.path}{delivery.pk}/"}
        )


class DeliveryRead(APIView):
    @extend_schema(summary="查询报送结果", responses={200: DeliveryResultSerializer, 404: OpenApiTypes.NONE})
    def get(self, request: Request, pk: int) -> Response:
        principal = request.user
        if isinstance(principal, ApiToken):
            delivery = Delivery.objects.filter(api_token=principal, pk=pk).first()
            if delivery is None:
                raise exceptions.NotFound("未找到")
        else:
            try:
                delivery = delivery_for(principal, pk)
            except Http404 as exc:
                raise exceptions.NotFound("未找到") from exc
        return Response(DeliveryResultSerializer(delivery).data)


def _rate_limited(request: Request, principal: Any) -> Response | None:
    """429 with a JSON body once the token (or the signed-in user) reached its hourly limit; logged."""
    object_id: int | str
    if isinstance(principal, ApiToken):
        state = api_push_rate(principal)
        object_type, object_id, limit_name = "sources.apitoken", principal.pk, "api_pushes_per_hour"
    else:
        state = upload_rate(principal)
        object_type, object_id, limit_name = "sources.delivery", "", "uploads_per_hour"
    if not state.exceeded:
        return None
    rate_limited_record(request._request, object_type=object_type, object_id=object_id, limit_name=limit_name)
    body = {
        "detail": rate_limited_message(state, what="推送报送文件"),
        "code": "rate_limited",
        "limit_per_hour": state.limit,
        "retry_after_seconds": state.retry_after_seconds,
    }
    return Response(
        body,
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(state.retry_after_seconds)},
    )


def _require(user: Any, capability: str) -> None:
    try:
        require(user, capability)
    except Http404 as exc:
        raise exceptions.NotFound("未找到") from exc


schema_view = SpectacularAPIView.as_view()


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    """Describes the partner token in the OpenAPI schema (bearer token in the Authorization header)."""

    target_class = "jiandu.sources.auth.ApiTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "合作单位接口令牌（jiandu api-token 签发）",
        }
