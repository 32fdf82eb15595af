"""Settings read from the environment, with loud errors on bad values.

A deployment on an isolated network is configured by environment variables only; a typo there must stop
the process at start-up with a message that names the variable, not surface later as odd behaviour.
"""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(
            f"环境变量 {name} 未设置 (required environment variable {name} is not set)"
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 不是布尔值，应为 true/false/1/0")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 不是整数") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"环境变量 {name}={value} 小于允许的最小值 {minimum}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"环境变量 {name}={value!r} 无效，可选值：{', '.join(choices)}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_weights(name: str, default: str, keys: tuple[str, ...]) -> dict[str, float]:
    """A mapping like "红:10,橙:5,黄:2"; every key must be one of `keys` and every weight a number."""
    raw = os.environ.get(name, default)
    out: dict[str, float] = {}
    for item in (i.strip() for i in raw.split(",") if i.strip()):
        key, sep, value = item.partition(":")
        try:
            weight = float(value)
        except ValueError:
            weight = -1.0
        if not sep or key not in keys or weight < 0:
            raise ImproperlyConfigured(
                f"环境变量 {name}={raw!r} 无效：应为“{':数值,'.join(keys)}:数值”的形式"
            )
        out[key] = weight
    return out


def env_networks(name: str, default: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """A comma-separated list of addresses or networks ("127.0.0.1/32,10.1.0.0/16,::1")."""
    out = []
    for item in env_list(name, default):
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"环境变量 {name} 中的 {item!r} 不是IP地址或网段") from exc
    return out
