"""Interface tables that areas above the registry add to the analytical database.

The registry loads the contract tables and `id_facts` into DuckDB (`registry.bridge`). The other interface
tables the rules read (`analytics.duck.EXTRA_TABLES`: entity links, the lead register, OCDS currencies) belong
to areas on a higher floor. The registry cannot import those areas, so it inverts the dependency: each area
registers its loader here from its `AppConfig.ready`, and a scan asks for all of them.

Every one of those tables is required. A scan without `entity_links` or `leads` would quietly raise fewer
alerts, so a missing loader is an error at start-up (system check `jiandu.E010`, run by `jiandu check`,
`migrate` and `runserver`) and the load refuses to run (`InterfaceTableMissing`) instead of going on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import duckdb
from django.core import checks

from jiandu.analytics.duck import EXTRA_TABLES

logger = logging.getLogger(__name__)

TableLoader = Callable[[duckdb.DuckDBPyConnection], None]

# Interface tables the registry fills itself; every other extra table needs a loader from its area.
REGISTRY_FILLED = frozenset({"id_facts"})

# Who provides what (for the messages): table -> the area that registers its loader.
PROVIDERS = {
    "entity_links": "jiandu.entities（实体解析）",
    "leads": "jiandu.leads（问题线索）",
    "process_currencies": "jiandu.ocds（开放合同数据）",
}

_loaders: dict[str, TableLoader] = {}


class InterfaceTableMissing(RuntimeError):
    """A required interface table has no loader; the message is user-facing (Chinese)."""


def required_tables() -> list[str]:
    return [name for name in EXTRA_TABLES if name not in REGISTRY_FILLED]


def interface_table_register(table: str, loader: TableLoader) -> None:
    """Called from an area's `AppConfig.ready`: `loader(con)` fills `table` in a scan's DuckDB connection."""
    if table not in EXTRA_TABLES or table in REGISTRY_FILLED:
        raise ValueError(
            f"{table!r} is not an interface table an area provides (analytics.duck.EXTRA_TABLES)"
        )
    _loaders[table] = loader


def interface_tables_missing() -> list[str]:
    return [name for name in required_tables() if name not in _loaders]


def _missing_message(missing: list[str]) -> str:
    named = "、".join(f"{name}（由 {PROVIDERS.get(name, '未知应用')} 提供）" for name in missing)
    return f"分析库缺少接口表 {named}：提供它的应用未安装或未登记加载函数，规则扫描不能在缺表的情况下进行。"


def interface_tables_require() -> None:
    """Raise `InterfaceTableMissing` when a required interface table has no loader."""
    missing = interface_tables_missing()
    if missing:
        logger.error(
            "interface tables without a loader: %s; refusing to load the analytical database", missing
        )
        raise InterfaceTableMissing(_missing_message(missing))


def interface_tables_load(con: duckdb.DuckDBPyConnection) -> None:
    """Fill every required interface table in `con`; refuse (before loading any) when one has no loader."""
    interface_tables_require()
    for name in required_tables():
        _loaders[name](con)


@checks.register()
def interface_tables_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    missing = interface_tables_missing()
    if not missing:
        return []
    return [
        checks.Error(
            _missing_message(missing),
            hint="确认 INSTALLED_APPS 含 " + "、".join(PROVIDERS.get(name, name) for name in missing) + "。",
            id="jiandu.E010",
        )
    ]
