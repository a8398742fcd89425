"""From a fee check to a repayment plan, with the debt chart drawn on the server."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, expect

from fairpassage.reference.services import reference_data_load
from tests.e2e.conftest import collect, fill_contract, fill_payment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_the_repayment_from_a_fee_check(live_server: Any, context: BrowserContext) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    seen = collect(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/fee-check/")
    fill_contract(page)
    fill_payment(page, 0, "phi dich vu", "120000000")
    page.locator("button[name=check]").click()
    expect(page.locator("#result")).to_be_visible()

    page.locator("#result a.button[href*='/earnings/']").click()
    expect(page.locator("#id_debt_amount")).to_have_value("120000000")
    page.select_option("#id_prefecture", "13")
    page.fill("#id_wage_amount", "190000")
    page.fill("#id_overtime_hours", "20")
    page.fill("#id_interest_rate", "12")
    page.fill("#id_fx_jpy", "170")
    page.locator("button[name=plan]").click()

    chart = page.locator("svg.debt polyline")
    expect(chart).to_be_visible()
    assert len((chart.get_attribute("points") or "").split()) > 2
    expect(page.locator("#result")).to_contain_text("JP-MINIMUM-WAGE")
    assert seen["console_errors"] == [] and seen["outside"] == []
