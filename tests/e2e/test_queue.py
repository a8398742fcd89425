"""The queue on a phone (issue 16, item 2): at 360 px each case is a card as wide as the screen
(no table column squeezed to one character per line), and the filters work without JavaScript,
kept in the address so that a filtered queue can be bookmarked or shared with a colleague."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, expect

from fairpassage.cases import services
from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.cases.models import Case
from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Role
from tests.e2e.conftest import sign_in
from tests.factories import OrganisationFactory, UserFactory, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATEMENT = (
    "Nghiệp đoàn trừ tiền nhà 35.000 yên mỗi tháng và không trả lương làm thêm giờ từ tháng "
    "trước, tôi đã hỏi nhiều lần nhưng không ai trả lời."
)


def _grievance(n: int, categories: list[str], urgent: bool = False) -> Case:
    case, _code, _created = services.grievance_submit(
        idempotency_key=f"queue-e2e-{n:04d}-abcdefghijkl",
        where_now=WhereNow.JAPAN,
        categories=categories,
        stage=Stage.IN_JAPAN,
        statement=STATEMENT,
        urgent=urgent,
    )
    return case


def _worker() -> str:
    osaka = OrganisationFactory.create(slug="osaka", name="Osaka Union", country=Country.JAPAN)
    user = UserFactory.create(username="jp-worker")
    core_services.membership_set(actor=None, user=user, organisation=osaka, role=Role.CASE_WORKER)
    return second_factor_enrol(user)


def test_queue_is_a_list_of_cards_at_360_px(live_server: Any, browser: Browser) -> None:
    secret = _worker()
    cases = [_grievance(n, [Category.WAGES, Category.HOUSING]) for n in range(4)]
    urgent = _grievance(9, [Category.VIOLENCE], urgent=True)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, live_server.url, "jp-worker", secret)
    page.goto(f"{live_server.url}/vi/cases/")
    cards = page.locator("#queue li.case-card")
    expect(cards).to_have_count(len(cases) + 1)
    assert cards.first.inner_text().startswith(urgent.reference)  # urgent first
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for index in range(cards.count()):
        box = cards.nth(index).bounding_box()
        assert box is not None and box["width"] >= 300, box
    # The summary is one readable line of words, not a column one character wide.
    summary = cards.nth(1).locator(".case-summary")
    expect(summary).to_contain_text("Nghiệp đoàn trừ tiền nhà")
    box = summary.bounding_box()
    assert box is not None and box["width"] >= 280 and box["height"] < 120, box
    context.close()


def test_filters_work_without_javascript_and_stay_in_the_address(
    live_server: Any, browser: Browser
) -> None:
    secret = _worker()
    wages = _grievance(1, [Category.WAGES])
    housing = _grievance(2, [Category.HOUSING])
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "jp-worker", secret)
    page.goto(f"{live_server.url}/ja/cases/")
    page.select_option("#category", Category.HOUSING.value)
    page.select_option("#assignee", "none")
    page.locator("form.queue-filters button[type=submit]").click()
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query["category"] == ["housing"] and query["assignee"] == ["none"]
    cards = page.locator("#queue li.case-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(housing.reference)
    expect(page.locator("#category")).to_have_value("housing")  # the choice is kept
    # The link that clears the filters brings every case back.
    page.locator("form.queue-filters a").click()
    page.wait_for_load_state()
    expect(page.locator("#queue li.case-card")).to_have_count(2)
    expect(page.locator("#queue")).to_contain_text(wages.reference)
    context.close()
