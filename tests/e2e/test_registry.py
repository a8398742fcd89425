"""A worker checks an agency typed without accents, sees it was revoked, and reports on it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, expect

from fairpassage.registry.demo import demo_create
from fairpassage.registry.models import AgencyReview
from fairpassage.registry.services import help_directory_load
from tests.e2e.conftest import collect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_check_an_agency_then_report_on_it(live_server: Any, context: BrowserContext) -> None:
    demo_create()
    help_directory_load(data_dir=settings.FAIRPASSAGE_DATA_DIR)
    seen = collect(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/agencies/")
    page.fill("#id_q", "cty xkld bien xanh")
    page.fill("#id_on", "2025-05-01")
    page.locator("form[role=search] button").click()
    first = page.locator("ol.results li").first
    expect(first).to_contain_text("Biển Xanh")
    expect(first).to_contain_text("903/LĐTBXH-GP")
    first.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Biển Xanh")
    # dates in the page's language, not ISO
    expect(page.locator(".result .status")).to_contain_text(re.compile(r"01[-/.]05[-/.]2025"))
    expect(page.locator(".badge.ok")).to_be_visible()

    page.fill("#id_on", "2026-07-01")
    page.locator(".result form button").click()
    expect(page.locator(".badge.bad")).to_be_visible()
    expect(page.locator("table").first).to_contain_text(re.compile(r"01[-/.]06[-/.]2026"))

    page.locator("a.button[href$='/report/']").click()
    page.locator("input[name=fees_honesty][value='1']").check()
    page.locator("input[name=contract_kept][value='2']").check()
    page.locator("input[name=support][value='2']").check()
    page.fill("#id_text", "Họ thu thêm tiền không có hoá đơn.")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert AgencyReview.objects.get().status == "pending"

    page.goto(f"{live_server.url}/vi/help/")
    expect(page.locator(".help-entry").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert seen["console_errors"] == [] and seen["page_errors"] == [] and seen["outside"] == []
