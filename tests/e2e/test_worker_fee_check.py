"""A worker types a fee check as she would on her phone, and the letter adds up.

She writes the amount with dots as Vietnamese people write thousands ("120.000.000"), types the
labels without diacritics and gives no exchange rate; she reaches a result, downloads the letter,
and the letter's rows add up to its total.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.checks.conftest import pdf_text_and_fonts
from tests.e2e.conftest import collect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+)\s*₫")


def test_worker_types_amounts_her_way_and_the_letter_adds_up(
    live_server: Any, context: BrowserContext
) -> None:
    seen = collect(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/fee-check/")
    page.fill("#id_contract_months", "36")
    page.fill("#id_wage_amount", "180.000")
    page.fill("#id_signed_on", "2025-06-01")
    page.fill("#id_payments-0-label", "phi dich vu")
    page.fill("#id_payments-0-amount", "120.000.000")
    page.fill("#id_payments-1-label", "tien dat coc")
    page.fill("#id_payments-1-amount", "30.000.000")
    page.locator("button[name=check]").click()
    page.wait_for_load_state()
    result = page.locator("section.result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("120.000.000")

    with page.expect_download() as download_info:
        page.locator("form.letter button[type=submit]").click()
    data = download_info.value.path().read_bytes()
    text, _fonts = pdf_text_and_fonts(data)
    amounts = [int(a.replace(".", "")) for a in AMOUNT.findall(text)]
    assert len(amounts) >= 2, text
    *rows, total = amounts
    assert sum(rows) == total, f"rows {rows} do not add up to the total {total}"
    assert not re.search(r"\b[A-Z]{2,}(?:-[A-Z0-9]+){2,}\b", text)
    assert seen["console_errors"] == []
