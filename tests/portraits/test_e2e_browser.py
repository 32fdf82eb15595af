"""End to end in headless Chromium (Debian's package, driven by Playwright; no browser download).

A supervisor logs in, searches an official, opens the portrait and the graph, follows an alert to its
evidence, opens the unit and the dashboard. Screenshots are kept under artifacts/e2e/ for CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests import builders

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make e2e-deps)"
    ),
]


@pytest.fixture
def browser_page(tmp_path):  # type: ignore[no-untyped-def]
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        yield page, errors
        browser.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_supervisor_journey(live_server, people, city, browser_page):
    page, errors = browser_page
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", builders.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    shot(page, "01-home")

    page.goto(f"{base}/search/?q=wangjianguo")
    page.click("text=王建国")
    page.wait_for_selector("text=廉政档案")
    assert page.is_visible("text=甲县宏达建筑工程有限公司")
    page.wait_for_selector("#radar canvas")
    shot(page, "02-portrait")

    page.click("text=关系图谱")
    page.wait_for_selector("#graph canvas")
    page.wait_for_timeout(1500)
    shot(page, "03-graph")

    page.go_back()
    page.click("#alerts >> text=COI-01")
    page.wait_for_selector(".evidence-path")
    shot(page, "04-alert")
    page.click(".evidence-path li:last-child a")
    page.wait_for_selector("text=数据来源")
    shot(page, "05-evidence")

    page.goto(f"{base}/units/{city['unit'].pk}/")
    page.wait_for_selector("text=现任领导班子")
    shot(page, "06-unit")

    page.goto(f"{base}/dashboard/")
    page.wait_for_selector("text=领导驾驶舱")
    page.wait_for_selector("#month-chart canvas")
    shot(page, "07-dashboard")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert not errors, errors
