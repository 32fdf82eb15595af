"""Account changes into the access log, by inversion.

accounts is the bottom of floor 1 and cannot import audit (audit reads `accounts.access` to decide who may read
the log). Audit registers its writer here from `AuditConfig.ready`; account services call `account_event_record`.
Without a writer a change is refused rather than left unlogged: system check `jiandu.E012` at start-up, and
`ImproperlyConfigured` at the call.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model


class EventWriter(Protocol):
    def __call__(
        self,
        *,
        request_or_user: Any,
        action: str,
        obj: Model | None = None,
        details: dict[str, Any] | None = None,
    ) -> Any: ...


_writers: list[EventWriter] = []

MISSING = "访问日志（jiandu.audit）未安装或未登记写入函数：账户、授权的变更不能不留记录。"


def account_event_writer_register(writer: EventWriter) -> None:
    _writers[:] = [writer]


def account_event_record(*, by: Any, action: str, obj: Model, details: dict[str, Any] | None = None) -> None:
    """Append the change to the access log (`action` is an audit Action value: "change", "sessions_ended")."""
    if not _writers:
        raise ImproperlyConfigured(MISSING)
    _writers[0](request_or_user=by, action=action, obj=obj, details=details)


@checks.register()
def account_event_writer_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if _writers:
        return []
    return [checks.Error(MISSING, hint="确认 INSTALLED_APPS 含 jiandu.audit。", id="jiandu.E012")]
