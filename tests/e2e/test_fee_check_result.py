"""The fee-check result in the worker's language, on a 360×740 phone, with and without
JavaScript (issue 15, item 4).

A worker types a real case (a 30.000.000 deposit and a service fee over the cap) and reads the
page: no rule ids and no ISO dates outside the folded details for advisers, the deposit once,
dates and money written as her language writes them, and the form folded under the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import collect
from tests.e2e.guard import HASH, ISO_DATE, RULE_ID, axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Per language: the date of the contract, the deposit, and the money of the service fee.
EXPECTED = {
    "vi": {"date": "01/06/2025", "deposit": "30.000.000 ₫", "fee": "120.000.000 ₫"},
    "ja": {"date": "2025年6月1日", "deposit": "30,000,000ドン", "fee": "120,000,000ドン"},
}
# The page's text without the advisers' details (folded, but innerText of a closed <details>
# is empty anyway; removing it makes the check independent of that).
MAIN_TEXT_JS = """() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('details.advisers').forEach(d => d.remove());
  document.body.appendChild(main);
  const text = main.innerText;
  main.remove();
  return text;
}"""


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


def _amount(text: str) -> int:
    """The one amount in ``text`` (``ask back 30.000.000 ₫``, ``30,000,000ドン``)."""
    (number,) = re.findall(r"\d{1,3}(?:[.,]\d{3})+|\d+", text.split("·")[-1])
    return int(re.sub(r"\D", "", number))


def _type_the_case(page: Page) -> None:
    """As a worker types it: dots between thousands, no diacritics, no exchange rate."""
    page.fill("#id_contract_months", "36")
    page.fill("#id_wage_amount", "180.000")
    page.select_option("#id_wage_currency", "JPY")
    page.fill("#id_signed_on", "2025-06-01")
    page.fill("#id_payments-0-label", "phi dich vu")
    page.fill("#id_payments-0-amount", "120.000.000")
    page.fill("#id_payments-1-label", "tien dat coc")
    page.fill("#id_payments-1-amount", "30.000.000")
    page.locator("button[name=check]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["vi", "ja"])
def test_the_result_reads_in_her_language_with_the_deposit_once(
    live_server: Any, phone: BrowserContext, language: str, request: pytest.FixtureRequest
) -> None:
    seen = collect(phone)
    page = phone.new_page()
    page.goto(f"{live_server.url}/{language}/fee-check/")
    _type_the_case(page)
    result = page.locator("#result")
    expect(result).to_be_visible()

    text = str(page.evaluate(MAIN_TEXT_JS))
    assert RULE_ID.findall(text) == [], RULE_ID.findall(text)
    assert ISO_DATE.findall(text) == [], ISO_DATE.findall(text)
    assert HASH.findall(text) == [], HASH.findall(text)
    for expected in EXPECTED[language].values():
        assert expected in text, expected

    # One line per payment: the deposit, broken by three rules, is listed once.
    lines = page.locator("#result .payment-line")
    expect(lines).to_have_count(2)
    expect(lines.filter(has_text="tien dat coc")).to_have_count(1)
    deposit = lines.filter(has_text="tien dat coc")
    expect(deposit.locator(".reason")).to_have_count(3)
    # The chart names each payment's bar, once.
    bars = page.locator(".fee-chart .bar-row")
    expect(bars).to_have_count(2)
    expect(bars.nth(1).locator(".bar-name")).to_have_text("2. tien dat coc")
    # Each payment counted once: the total to ask back is the sum of the lines' amounts, and
    # the deposit's line asks back the deposit, once.
    asked = [_amount(t) for t in page.locator(".payment-line .line-status").all_inner_texts()]
    total = _amount(page.locator(".summary dd").nth(1).inner_text())
    assert asked[1] == 30_000_000 and 0 < asked[0] < 120_000_000
    assert total == sum(asked) < 150_000_000

    # Rule ids and the rules version are kept for advisers, folded away at the end.
    advisers = page.locator("#advisers")
    expect(advisers).not_to_have_attribute("open", re.compile(".*"))
    expect(advisers).to_contain_text("VN-WORKER-DEPOSIT-JAPAN")
    advisers.locator("summary").click()
    expect(advisers.get_by_text("VN-WORKER-DEPOSIT-JAPAN")).to_be_visible()

    # The form is folded under the result: the result comes first on the phone's screen.
    folded = page.locator("details.change-answers")
    expect(folded).to_be_visible()
    expect(page.locator("#id_contract_months")).to_be_hidden()
    result_top = result.bounding_box()
    folded_top = folded.bounding_box()
    assert result_top and folded_top and result_top["y"] < 740 < folded_top["y"]
    assert result_top["y"] < folded_top["y"]
    folded.locator("summary").click()
    expect(page.locator("#id_contract_months")).to_be_visible()
    expect(page.locator("#id_payments-1-amount")).to_have_value("30.000.000")

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    if request.node.callspec.params["phone"] == "javascript":
        serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert serious == [], serious
    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
