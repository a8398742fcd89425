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
    page.screenshot(path="/tmp/d/shot.png", full_page=True)
    print(page.evaluate("Array.from(document.querySelectorAll('details.case-section')).map(d => d.id + ':' + d.open + ':' + d.getBoundingClientRect().height).join(' ')"))
    print(f"case page height at 360 px: {height} px; reply box at {reply} px")
    assert height < 2400
    assert seen["console_errors"] == []
