"""The case page as a workspace (issue 16, item 3): a summary, then sections that open one at a
time, with JavaScript and without it; measured at 360 px on the demo case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from fairpassage.cases import demo as cases_demo
from fairpassage.cases.models import Case
from fairpassage.core import demo as core_demo
from fairpassage.core.models import User
from tests.e2e.conftest import collect, sign_in
from tests.factories import PASSWORD, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _demo_case(tmp_path: Path) -> tuple[Case, str]:
    """The demo data of ``make run``; the Ha Noi case worker signs in with a known password."""
    core_demo.demo_create(actor=None, passwords_file=tmp_path / "demo-users.json")
    cases_demo.demo_create()
    user = User.objects.get(username="demo-caseworker")
    user.set_password(PASSWORD)
    user.save()
    case = Case.objects.get(organisation__slug="demo-hanoi-support", urgent=False)
    return case, second_factor_enrol(user)


def test_the_demo_case_page_is_short_at_360_px(
    live_server: Any, context: BrowserContext, tmp_path: Path
) -> None:
    case, secret = _demo_case(tmp_path)
    seen = collect(context)
    page = context.new_page()
    sign_in(page, live_server.url, "demo-caseworker", secret)
    page.goto(f"{live_server.url}/vi/cases/{case.pk}/")
    height = page.evaluate("document.documentElement.scrollHeight")
    reply = page.locator("#msg").evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    print(f"case page height at 360 px: {height} px; reply box at {reply} px")
    assert height < 2400  # 5,600 px before the sections (issue 16, item 3)
    assert reply < 1400  # the reply box was at 1,656 px, after every form of the case
    assert page.locator("details.case-section[open]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for section in ("consent", "claims", "links"):
        page.locator(f"#s-{section} > summary").click()
        assert page.locator("details.case-section[open]").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, section
    assert seen["console_errors"] == []


def test_the_sections_work_without_javascript(
    live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    """Without JavaScript: each section opens as a <details>, ``?section=`` opens one on load,
    and after a form is sent the page comes back on its section."""
    case, secret = _demo_case(tmp_path)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "demo-caseworker", secret)
    page.goto(f"{base}/vi/cases/{case.pk}/")
    expect(page.locator("#s-messages")).to_have_attribute("open", "")
    expect(page.locator("#s-notes")).not_to_have_attribute("open", "")
    expect(page.locator("#nb")).to_be_hidden()
    page.locator("#s-notes > summary").click()
    expect(page.locator("#nb")).to_be_visible()
    expect(page.locator("#nl")).to_have_value("vi")  # the page's language
    page.fill("#nb", "Đã hẹn gặp người lao động thứ Hai.")
    page.locator("form:has(#nb) button[type=submit]").click()
    assert page.url.endswith("?section=notes#s-notes")
    expect(page.locator("#s-notes")).to_have_attribute("open", "")
    expect(page.locator("#s-messages")).not_to_have_attribute("open", "")
    note = page.locator("#notes li").last
    expect(note).to_contain_text("Đã hẹn gặp")
    expect(note.locator(".lang-tag")).to_have_text("Tiếng Việt")
    page.goto(f"{base}/vi/cases/{case.pk}/?section=tasks")
    expect(page.locator("#tt")).to_be_visible()
    page.fill("#tt", "Gọi lại cho người lao động")
    page.locator("form:has(#tt) button[type=submit]").click()
    expect(page.locator("#s-tasks")).to_have_attribute("open", "")
    expect(page.locator("#summary-task")).to_contain_text("Gọi lại cho người lao động")
    page.goto(f"{base}/vi/cases/{case.pk}/?section=nonsense")
    expect(page.locator("#s-messages")).to_have_attribute("open", "")
    context.close()
