"""A worker on a 360 × 740 phone, with and without JavaScript: the agency search that never
reassures falsely, the earnings plan against the contract, the help numbers, the grievance
form and the home screen (issue 15, items 6 to 9 and 11)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from fairpassage.knowledge.services import knowledge_seed_load
from fairpassage.reference.services import reference_data_load
from fairpassage.registry.demo import demo_create
from fairpassage.registry.services import help_directory_load
from tests.e2e.conftest import collect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    """The phone context, once with JavaScript and once without."""
    context = browser.new_context(
        viewport=PHONE,
        locale="vi-VN",
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=request.param,
    )
    yield context
    context.close()


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_name_not_on_the_lists_is_never_reassured(
    live_server: Any, phone: BrowserContext
) -> None:
    demo_create()
    seen = collect(phone)
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/agencies/")
    page.fill("#id_q", "nhan luc quoc te abc")
    page.locator("form[role=search] button").click()
    warning = page.locator(".not-found")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("nhan luc quoc te abc")
    expect(warning).to_contain_text(re.compile(r"\d{2}[-/]\d{2}[-/]\d{4}"))  # the list's date
    # the warning comes before any result, and every result is marked as only similar
    warning_top = warning.bounding_box()
    first = page.locator("ol.results li").first
    assert warning_top is not None and (first.bounding_box() or {"y": 0})["y"] > warning_top["y"]
    assert page.locator("ol.results:not(.similar)").count() == 0
    for item in page.locator("ol.results.similar li .match").all():
        expect(item).to_have_text("Tên gần giống, không phải cùng tên")
    _fits(page)
    assert seen["console_errors"] == [] and seen["page_errors"] == []


def test_a_revoked_licence_reads_as_a_warning(live_server: Any, phone: BrowserContext) -> None:
    demo_create()
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/agencies/?q=903%2FL%C4%90TBXH-GP&on=2026-07-01")
    item = page.locator("ol.results li").first
    expect(item).to_have_class(re.compile("licence-warning"))
    expect(item.locator(".licence-alert")).to_contain_text("đừng trả tiền")
    expect(item.locator(".match")).to_have_text("Trùng số giấy phép")
    colour = item.locator(".licence-alert").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(164, 22, 26)"
    _fits(page)


def test_earnings_asks_the_prefecture_and_weighs_the_contract(
    live_server: Any, phone: BrowserContext
) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR, force=True)
    seen = collect(phone)
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/earnings/")
    expect(page.locator("#id_prefecture")).to_have_value("")
    page.fill("#id_wage_amount", "190000")
    page.fill("#id_debt_amount", "200000000")
    page.fill("#id_remit_share", "20")
    page.fill("#id_fx_jpy", "170")
    page.fill("#id_contract_months", "12")
    page.locator("button[name=plan]").click()
    expect(page.locator("#id_prefecture_error")).to_be_visible()
    expect(page.locator("#id_contract_months")).to_have_value("12")

    page.select_option("#id_prefecture", "13")
    page.locator("button[name=plan]").click()
    verdict = page.locator(".contract-verdict")
    expect(verdict).to_be_visible()
    expect(verdict).to_have_class(re.compile("status-violation"))
    expect(verdict).to_contain_text("12 tháng")
    expect(page.locator("svg.debt .x-tick").first).to_be_visible()
    assert page.locator("svg.debt .y-tick").count() == 3
    expect(page.locator("svg.debt .contract-end")).to_have_count(1)
    main = page.locator("main").inner_text()
    assert "data/" not in main and not re.search(r"\bjp\.[a-z_]+\.", main)
    _fits(page)
    # the refused form answers 422 on purpose; nothing else may fail
    errors = [e for e in seen["console_errors"] if "status of 422" not in e]
    assert errors == [] and seen["page_errors"] == []


def test_help_numbers_are_large_call_buttons(live_server: Any, phone: BrowserContext) -> None:
    help_directory_load(data_dir=settings.FAIRPASSAGE_DATA_DIR)
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/help/")
    calls = page.locator("a.call")
    assert calls.count() >= 7
    for call in calls.all():
        box = call.bounding_box()
        assert box is not None and box["height"] >= 48
        assert (call.get_attribute("href") or "").startswith("tel:")
    expect(page.locator("a.call[href='tel:0120250168']")).to_be_visible()
    expect(page.locator("a.call[href='tel:+81334663311']")).to_be_visible()
    for dd in page.locator(".help-entry dd:has(a.tel)").all():
        assert dd.locator("a.tel").count() >= 1
    _fits(page)


def test_grievance_controls_sit_beside_their_labels(
    live_server: Any, phone: BrowserContext
) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR, force=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/vi/grievance/")
    for control in page.locator(".form input[type=radio], .form input[type=checkbox]").all():
        box = control.bounding_box()
        label = control.locator("xpath=ancestor::label[1]").bounding_box()
        assert box is not None and label is not None
        assert box["x"] - label["x"] < 8, "the control starts its label's line"
        assert (
            label["y"] <= box["y"] and box["y"] + box["height"] <= label["y"] + label["height"] + 1
        )
    page.locator("input[name=urgent]").check()
    page.locator("input[name=where_now][value=JP]").check()
    page.locator("input[name=categories][value=wages]").check()
    page.locator("input[name=stage][value=in_japan]").check()
    page.fill("#id_statement", "Tôi bị giữ hộ chiếu")
    page.select_option("#id_province", "old-02")  # Hà Giang, now part of Tuyên Quang
    page.locator("button[name=submit]").click()
    expect(page.locator(".next-steps li")).to_have_count(3)
    expect(page.locator(".tracking-code")).to_be_visible()
    _fits(page)


@pytest.mark.parametrize("lang", ["vi", "ja"])
def test_home_first_screen_shows_the_three_things_to_do(
    live_server: Any, phone: BrowserContext, lang: str
) -> None:
    page = phone.new_page()
    page.goto(f"{live_server.url}/{lang}/")
    buttons = page.locator(".main-actions a.button")
    expect(buttons).to_have_count(3)
    for button in buttons.all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44
        assert box["y"] + box["height"] <= PHONE["height"], "on the first screen"
    nav = page.locator("nav[aria-label] ul")
    expect(nav).to_be_hidden()
    page.locator("details.menu summary").click()
    expect(nav).to_be_visible()
    labels = [a.inner_text().strip() for a in nav.locator("a").all()]
    assert len(labels) == len(set(labels)), labels
    _fits(page)


def test_guide_articles_are_in_japanese(live_server: Any, phone: BrowserContext) -> None:
    knowledge_seed_load(actor=None)
    page = phone.new_page()
    page.goto(f"{live_server.url}/ja/guide/brokers/")
    expect(page.locator("h1")).to_contain_text("ブローカー")
    _fits(page)
