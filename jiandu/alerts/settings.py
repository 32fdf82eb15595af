"""Per-deployment rule parameters: a YAML file named by JIANDU_RULES_FILE, validated at load.

    PRC-02: {threshold: 3000000}
    COI-06: {min_amount: 30000}

A typo (unknown rule or parameter, wrong type) stops the scan with a Chinese message naming it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from jiandu.analytics.rules.engine import RuleParameterError, validate_overrides


def deployment_params(path: str | None = None) -> dict[str, dict[str, Any]]:
    path = path if path is not None else os.environ.get("JIANDU_RULES_FILE", "")
    if not path:
        return {}
    file = Path(path)
    if not file.exists():
        raise RuleParameterError(f"规则参数文件不存在：{file}")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RuleParameterError(f"规则参数文件 {file} 不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise RuleParameterError(f"规则参数文件 {file} 应为“规则代码: {{参数: 值}}”的映射")
    validate_overrides(data)
    return data
