"""A worker fills the fee check on a phone, reads the result and downloads the letter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.checks.conftest import pdf_text_and_fonts
from tests.e2e.conftest import collect, fill_contract, fill_payment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_worker_checks_fees_and_downloads_the_letter(
    live_server: Any, context: BrowserContext, tmp_path: Path
) -> None:
    seen = collect(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/fee-check/")
    page.select_option("#id_programme", "titp")
    page.select_option("#id_wage_currency", "JPY")
    fill_contract(page)
    # Labels as a worker types them: no diacritics, everyday words.
    fill_payment(page, 0, "phi dich vu", "120000000")
    fill_payment(page, 1, "tien coc", "30000000")
    # One more row through htmx, then a third payment in it.
    page.locator("button[name=add_row]").click()
    expect(page.locator("#id_payments-3-label")).to_be_visible()
    fill_payment(page, 3, "ve may bay", "9000000")
    page.locator("button[name=check]").click()

    result = page.locator("#result")
    expect(result).to_be_visible()
    # 28.2 million over the service-fee cap, the 30 million deposit, and the 9 million air
    # ticket that the Japanese side must pay for a trainee.
    expect(result).to_contain_text("67.200.000")
    # The law in words on the page; the citation as recorded for advisers, folded away.
    expect(result).to_contain_text("Luật Người lao động Việt Nam đi làm việc ở nước ngoài")
    expect(page.locator("#advisers")).to_contain_text("Law 69/2020/QH14")
    expect(page.locator(".chart svg")).to_be_visible()

    page.check("input[name=japanese_copy]")
    page.fill("#letter-agency_name", "Cong ty Song Hong")
    page.fill("#letter-worker_name", "Nguyen Thi Hoa")
    with page.expect_download() as download_info:
        page.locator("form.letter button[type=submit]").click()
    target = tmp_path / "letter.pdf"
    download_info.value.save_as(target)
    text, fonts = pdf_text_and_fonts(target.read_bytes())
    assert "Cong ty Song Hong" in text
    assert "28.200.000" in text and "30.000.000" in text and "9.000.000" in text
    assert "Nguyen Thi Hoa" in text
    assert "返還" in text  # the Japanese copy
    assert fonts

    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert seen["outside"] == []


def test_fee_check_works_without_javascript(live_server: Any, browser: Any) -> None:
    context = browser.new_context(
        java_script_enabled=False, locale="vi-VN", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/fee-check/")
    page.locator("button[name=add_row]").click()
    expect(page.locator("#id_payments-3-label")).to_be_visible()
    fill_contract(page)
    fill_payment(page, 0, "tien moi gioi", "20000000")
    page.locator("button[name=check]").click()
    expect(page.locator("#result .payment-line")).to_contain_text("Tiền môi giới")
    expect(page.locator("#advisers")).to_contain_text("VN-BROKERAGE-FROM-WORKER")
    context.close()


def test_a_guessed_kind_of_cost_is_corrected_in_one_tap_without_javascript(
    live_server: Any, browser: Any
) -> None:
    context = browser.new_context(
        java_script_enabled=False, locale="vi-VN", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/fee-check/")
    fill_contract(page)
    fill_payment(page, 0, "tien coc", "20000000")
    page.locator("button[name=check]").click()
    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("“tien coc”")
    expect(page.locator("#correct-0")).to_have_value("deposit")
    page.select_option("#correct-0", "housing_deposit")
    corrections.locator("button[type=submit]").first.click()
    expect(page.locator(".payment-lines")).to_contain_text("Tiền cọc thuê nhà (shikikin)")
    expect(page.locator("#correct-0")).to_have_count(0)
    context.close()
