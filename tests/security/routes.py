"""Every route of the site, flattened through includes: shared by the fuzz run and the HTTP-methods test."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver


def all_routes() -> list[tuple[str, list[str], URLPattern]]:
    """(route template, argument names, pattern) of every URL pattern, static files left out."""
    found: list[tuple[str, list[str], URLPattern]] = []

    def walk(patterns: list[object], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                found.append((route, re.findall(r"<(?:\w+:)?(\w+)>", route), p))

    walk(get_resolver().url_patterns, "")
    return [(r, a, p) for r, a, p in found if not r.startswith(("static", "^static"))]


def fill(route: str, values: dict[str, str]) -> str:
    """The route with its arguments replaced by `values` ("1" for any not given)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), route)
    path = path.replace("^", "").replace("$", "")
    return "/" + path.lstrip("/")
