"""A worker types the fee check on a 360×740 phone as she writes amounts, with no exchange rate,
with and without JavaScript; a mistake is summarised at the top and the focus goes there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import collect
from tests.e2e.guard import axe_violations


def _fits_and_no_serious_axe_violation(page: Page, request: pytest.FixtureRequest) -> None:
    """No horizontal overflow at 360 px; axe-core (from node_modules, injected by the test)
    finds nothing serious or critical (axe runs only where the page runs scripts)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    if request.node.callspec.params["phone"] != "javascript":
        return
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["javascript", "no-javascript"])
def phone(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=request.param == "javascript",
    )
    yield context
    context.close()


def _type_a_check(page: Page, service_fee: str) -> None:
    page.fill("#id_contract_months", "36")
    page.fill("#id_wage_amount", "180.000")
    page.select_option("#id_wage_currency", "JPY")
    page.fill("#id_signed_on", "2025-06-01")
    page.fill("#id_payments-0-label", "phi dich vu")
    page.fill("#id_payments-0-amount", service_fee)
    page.fill("#id_payments-1-label", "tien coc")
    page.fill("#id_payments-1-amount", "30tr")
    page.locator("button[name=check]").click()
    page.wait_for_load_state()


def test_amounts_typed_her_way_reach_a_result_with_a_dated_rate(
    live_server: Any, phone: BrowserContext, request: pytest.FixtureRequest
) -> None:
    seen = collect(phone)
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/fee-check/")
    assert page.locator("#id_payments-0-amount").get_attribute("inputmode") == "numeric"
    _type_a_check(page, "120.000.000")
    expect(page.locator("#result")).to_be_visible()
    rates = page.locator("#rates-used")
    expect(rates).to_contain_text("06/2025")
    expect(rates).to_contain_text("IMF")
    # Her words stay in the fields exactly as typed.
    expect(page.locator("#id_payments-0-amount")).to_have_value("120.000.000")
    expect(page.locator("#id_payments-1-amount")).to_have_value("30tr")
    _fits_and_no_serious_axe_violation(page, request)
    assert seen["console_errors"] == []


def test_an_ambiguous_amount_is_summarised_at_the_top_and_focused(
    live_server: Any, phone: BrowserContext, request: pytest.FixtureRequest
) -> None:
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/fee-check/")
    _type_a_check(page, "1.5")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("“1.5”")
    expect(page.locator("#id_payments-0-amount")).to_have_value("1.5")
    summary.locator('a[href="#id_payments-0-amount"]').click()
    assert page.url.endswith("#id_payments-0-amount")
    described = page.locator("#id_payments-0-amount").get_attribute("aria-describedby") or ""
    for ident in described.split():
        assert page.locator(f"#{ident}").count() == 1
    expect(page.locator("#id_payments-0-amount_error")).to_contain_text("1.5")
    _fits_and_no_serious_axe_violation(page, request)
