"""A demo case worker signs in on a phone and the home page says where the work is and what to
try first; the first link leads to the demo grievance (issue 16, item 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from fairpassage.cases import demo as cases_demo
from fairpassage.core import demo as core_demo
from fairpassage.core.models import User
from tests.e2e.conftest import sign_in
from tests.e2e.guard import axe_violations
from tests.factories import PASSWORD, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("username", "lang", "heading", "first_step"),
    [
        ("demo-caseworker", "vi", "Công việc của bạn", "Hãy thử trước"),
        ("demo-caseworker-jp", "ja", "あなたの業務", "まず試すこと"),
    ],
)
def test_a_demo_case_worker_lands_on_her_work(
    live_server: Any,
    context: BrowserContext,
    tmp_path: Path,
    username: str,
    lang: str,
    heading: str,
    first_step: str,
) -> None:
    core_demo.demo_create(actor=None, passwords_file=tmp_path / "demo.json")
    cases_demo.demo_create()
    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    secret = second_factor_enrol(user)
    page = context.new_page()
    sign_in(page, live_server.url, username, secret)
    page.goto(f"{live_server.url}/{lang}/")
    panel = page.locator("section.staff-start")
    expect(panel.locator("h2")).to_have_text(heading)
    expect(panel.locator(".callout")).to_contain_text(first_step)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    panel.locator(".start-links a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{lang}/cases/")
    # The queue lists the demo grievance routed to her organisation, as a link to the case.
    expect(page.locator("main a[href*='/cases/']").first).to_be_visible()
