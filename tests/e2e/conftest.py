"""Browser tests: Playwright drives Debian's Chromium against the live test server.

Chromium starts with background networking off, so that every request the test sees comes
from the page itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    WebError,
    sync_playwright,
)

from tests.factories import PASSWORD, second_factor_code

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    # Playwright's synchronous API runs an event loop in the test thread; the database calls
    # the tests make around it are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as instance:
        yield instance
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A phone-sized context, as a worker in Viet Nam would open the site."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield context
    context.close()


def collect(context: BrowserContext) -> dict[str, list[Any]]:
    """Record console errors, page errors and requests that leave the machine."""
    seen: dict[str, list[Any]] = {
        "console_errors": [],
        "page_errors": [],
        "outside": [],
        "requests": [],
    }

    def on_request(request: Any) -> None:
        seen["requests"].append(request.url)
        host = request.url.split("/")[2].split(":")[0] if "://" in request.url else ""
        if request.url.startswith(("http://", "https://")) and host not in {
            "127.0.0.1",
            "localhost",
            "[::1]",
        }:
            seen["outside"].append(request.url)

    context.on("request", on_request)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen["console_errors"].append(message.text)

    def on_error(error: WebError) -> None:
        seen["page_errors"].append(str(error.error))

    context.on("console", on_console)
    context.on("weberror", on_error)
    return seen


def fill_contract(
    page: Page,
    *,
    months: str = "36",
    wage: str = "180000",
    signed_on: str = "2025-06-01",
    fx_jpy: str = "170",
) -> None:
    """The contract part of the fee-check form, as a worker fills it."""
    page.fill("#id_contract_months", months)
    page.fill("#id_wage_amount", wage)
    page.fill("#id_signed_on", signed_on)
    page.fill("#id_fx_jpy", fx_jpy)


def fill_payment(page: Page, row: int, label: str, amount: str) -> None:
    page.fill(f"#id_payments-{row}-label", label)
    page.fill(f"#id_payments-{row}-amount", amount)


def sign_in(
    page: Page, base: str, username: str, secret: str | None = None, next_url: str = ""
) -> None:
    """Sign in through the pages; with ``secret``, answer the second-factor step too (every
    account needs it for every signed-in page)."""
    page.goto(f"{base}/vi/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if secret is not None and "/second-factor/verify/" in page.url:
        page.fill("input[name=code]", second_factor_code(secret))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
