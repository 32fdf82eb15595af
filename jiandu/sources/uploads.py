"""Deliveries handed to the task queue: an upload accepted (web, API), or a failed delivery retried.

The import itself is jiandu/sources/services.py, run by the consumer (jiandu/sources/tasks.py); this module
sits above both, so the services never learn about the queue.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from jiandu.sources.models import Delivery
from jiandu.sources.services import file_digest
from jiandu.sources.tasks import delivery_import_task


class UploadTooLarge(Exception):
    """The upload exceeds JIANDU_MAX_UPLOAD_BYTES; str() is the Chinese message."""


class RetryRefused(Exception):
    """The delivery cannot be retried from the page; str() is the Chinese reason."""


def _safe_name(name: str) -> str:
    """The file name without directories or control characters (kept for provenance and the archive)."""
    base = Path(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned.strip(" .")[:200] or "delivery"


def delivery_accept(
    *,
    upload: Any,
    user: Any = None,
    organisation: Any = None,
    channel: str = Delivery.Channel.WEB,
    table: str | None = None,
    api_token: Any = None,
) -> Delivery:
    """Archive an uploaded file, record a pending Delivery and queue its import (web and API uploads).

    The import runs in the task queue (huey): inline in tests, in the consumer otherwise; the page polls the
    delivery's progress.
    """
    limit = settings.JIANDU_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise UploadTooLarge(f"文件过大：{upload.size} 字节，上限 {limit} 字节")
    name = _safe_name(upload.name or "delivery")
    region: str = ""
    if organisation is not None:
        region = organisation.region_code
    elif user is not None:
        region = str(getattr(user, "jurisdiction", None) or "")
    delivery = Delivery.objects.create(
        file_name=name,
        file_hash="",
        file_size=upload.size,
        table_name=table or "",
        channel=channel,
        organisation=organisation,
        submitted_by=user if getattr(user, "pk", None) else None,
        api_token=api_token,
        scope_region=region,
    )
    folder = Path(settings.MEDIA_ROOT) / "uploads" / str(delivery.pk)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    digest = hashlib.sha256()
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    Delivery.objects.filter(pk=delivery.pk).update(file_hash=digest.hexdigest(), stored_path=str(target))
    delivery_import_task(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def retry_refusal(delivery: Delivery) -> str | None:
    """Why `delivery` cannot be retried from the page, or None if it can (shown next to the button's place)."""
    first = delivery.parent or delivery
    if delivery.status != Delivery.Status.FAILED:
        return "只有失败的报送可以重试"
    if not first.stored_path:
        return "命令行导入的文件不在平台存档中，请重新运行 jiandu import（导入可重复执行）"
    again = first.retries.exclude(status=Delivery.Status.FAILED).order_by("-id").first()
    if again is not None:
        return f"已重试，见报送 #{again.pk}"
    path = Path(first.stored_path)
    if not path.is_file() or file_digest(path) != first.file_hash:
        return "存档中的原文件已不存在或已改变，请重新上传"
    return None


def delivery_retry(*, delivery: Delivery, user: Any) -> Delivery:
    """Queue the archived file of a failed delivery again, as a new delivery pointing back to it (`retry_of`).

    A file gives one delivery per sheet and a retry imports the whole file again, so retrying any sheet retries
    the first; sheets stored before the failure are delivered again unchanged, which writes nothing.
    """
    with transaction.atomic():
        first = Delivery.objects.select_for_update().get(pk=(delivery.parent_id or delivery.pk))
        refusal = retry_refusal(delivery)
        if refusal is not None:
            raise RetryRefused(refusal)
        retry = Delivery.objects.create(
            file_name=first.file_name,
            file_hash=first.file_hash,
            file_size=first.file_size,
            table_name=first.table_name if first.source_sheet == "" else "",
            channel=first.channel,
            organisation=first.organisation,
            submitted_by=user if getattr(user, "pk", None) else first.submitted_by,
            api_token=first.api_token,
            scope_region=first.scope_region,
            stored_path=first.stored_path,
            retry_of=first,
        )
    delivery_import_task(retry.pk)
    retry.refresh_from_db()
    return retry
