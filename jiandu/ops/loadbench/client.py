"""Signed-in users over HTTP (httpx, asyncio): the real login and TOTP pages, then browsing with think time.

The server is reached on loopback over plain HTTP, as nginx reaches it, with the headers nginx adds
(X-Forwarded-Proto: https, X-Forwarded-For). Its cookies are `Secure` (`__Host-` names in production), which
a cookie jar would not send over http://, so each session keeps its cookies itself.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pyotp

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Page kinds and their weights: what a supervisor's morning looks like (lists, then the things in them).
PAGES = (("dashboard", 1), ("alerts", 2), ("alert", 2), ("official", 3), ("unit", 2))


@dataclass
class Sample:
    page: str
    phase: str
    status: int
    ms: float
    error: str = ""


@dataclass
class Session:
    client: httpx.AsyncClient
    origin: str
    cookies: dict[str, str] = field(default_factory=dict)

    def _headers(self, path: str) -> dict[str, str]:
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Origin": self.origin,
            "Referer": self.origin + path,
            "User-Agent": "jiandu-bench-load",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await self.client.request(method, path, headers=self._headers(path), **kwargs)
        self._keep(response)
        return response

    async def form_token(self, path: str) -> str:
        page = await self.request("GET", path)
        found = CSRF_INPUT.search(page.text)
        if page.status_code != 200 or not found:
            raise RuntimeError(f"{path}: {page.status_code}, no form")
        return found.group(1)

    async def sign_in(self, username: str, password: str, totp_secret: str) -> None:
        token = await self.form_token("/login/")
        done = await self.request(
            "POST", "/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if done.status_code != 302:
            raise RuntimeError(f"{username}: sign-in refused ({done.status_code})")
        # Signed in with the password only: every page now leads to the second factor's page.
        verify = "/account/totp/verify/"
        token = await self.form_token(verify)
        code = pyotp.TOTP(totp_secret).now()
        done = await self.request("POST", verify, data={"csrfmiddlewaretoken": token, "code": code})
        if done.status_code != 302 or "/account/totp" in done.headers.get("location", ""):
            raise RuntimeError(f"{username}: second factor refused ({done.status_code})")
        home = await self.request("GET", "/")
        if home.status_code != 200:
            raise RuntimeError(f"{username}: home page after sign-in answered {home.status_code}")


def page_path(kind: str, targets: dict[str, list[int]], rng: random.Random) -> str:
    if kind == "dashboard":
        return "/dashboard/"
    if kind == "alerts":
        return f"/alerts/?page={rng.randint(1, 5)}"
    prefix = {"alert": "/alerts/", "official": "/officials/", "unit": "/units/"}[kind]
    return f"{prefix}{rng.choice(targets[kind])}/"


async def browse(
    session: Session,
    targets: dict[str, list[int]],
    rng: random.Random,
    phase: list[str],
    samples: list[Sample],
    stop: asyncio.Event,
    think: tuple[float, float],
) -> None:
    """Open pages until `stop`; `phase[0]` labels each sample (quiet / busy)."""
    kinds = [k for k, _ in PAGES]
    weights = [w for _, w in PAGES]
    # Users arrive spread over one think time, not all in the same instant after signing in.
    try:
        await asyncio.wait_for(stop.wait(), timeout=rng.uniform(0, think[1]))
    except TimeoutError:
        pass
    while not stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        path = page_path(kind, targets, rng)
        label = phase[0]
        began = time.perf_counter()
        try:
            response = await session.request("GET", path)
            status, error = response.status_code, ""
            if status == 302:
                error = "redirected: " + response.headers.get("location", "")[:40]
        except httpx.HTTPError as exc:
            status, error = 0, type(exc).__name__
        samples.append(Sample(kind, label, status, (time.perf_counter() - began) * 1000, error))
        try:
            await asyncio.wait_for(stop.wait(), timeout=rng.uniform(*think))
        except TimeoutError:
            pass
