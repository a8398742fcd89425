"""A worker's phone opens the site: Vietnamese first, switch to Japanese, light and local."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import collect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_VISIT_BUDGET = 100 * 1024


def test_home_in_vietnamese_then_japanese_and_it_stays(
    live_server: Any, context: BrowserContext
) -> None:
    seen = collect(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/vi/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_contain_text("Nhật Bản")

    page.get_by_role("button", name="日本語").click()
    expect(page).to_have_url(f"{live_server.url}/ja/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_contain_text("日本")

    # The choice is remembered: a new visit to the root and another page stay in Japanese.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/ja/")
    page.locator("main").get_by_role("link", name="スタッフ").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert seen["outside"] == []
    assert len(seen["requests"]) >= 4


def test_first_visit_transfers_under_100_kb(live_server: Any, context: BrowserContext) -> None:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    transferred: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    page.goto(f"{live_server.url}/vi/", wait_until="networkidle")
    total = sum(transferred)
    print(f"first visit: {len(transferred)} responses, {total} bytes")
    assert len(transferred) >= 2  # the page and its stylesheet (htmx only where a page uses it)
    assert 0 < total < FIRST_VISIT_BUDGET


def test_home_fits_a_360_px_screen(live_server: Any, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
