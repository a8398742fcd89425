"""A worker reads the guide on a phone: an article at 360 px, another language, the leaflet,
and the pre-departure checklist, whose ticks survive a reload. The first visit stays light."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from fairpassage.knowledge import services
from tests.checks.conftest import pdf_text_and_fonts
from tests.e2e.conftest import collect
from tests.knowledge.conftest import CONTENT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_VISIT_BUDGET = 100 * 1024


def test_worker_reads_switches_language_prints_and_ticks_the_checklist(
    live_server: Any, context: BrowserContext
) -> None:
    services.knowledge_seed_load(directory=CONTENT)
    seen = collect(context)
    page = context.new_page()

    # First visit to an article, cache off: everything it transfers counts.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    transferred: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    page.goto(f"{live_server.url}/vi/guide/keep-your-passport/", wait_until="networkidle")
    total = sum(transferred)
    print(f"article first visit: {len(transferred)} responses, {total} bytes")
    assert 0 < total < FIRST_VISIT_BUDGET
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})

    expect(page.locator("h1")).to_have_text("Hộ chiếu là của bạn")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.locator("a[href='/vi/law/#jp.titp.document_retention_ban']")).to_be_visible()

    # Japanese: this article has a Japanese text; the deposit article falls back visibly.
    page.get_by_role("button", name="日本語").click()
    expect(page).to_have_url(f"{live_server.url}/ja/guide/keep-your-passport/")
    expect(page.locator("h1")).to_have_text("パスポートは本人が保管します")
    page.goto(f"{live_server.url}/ja/guide/no-deposit/")
    expect(page.locator(".notice.fallback")).to_be_visible()
    expect(page.locator("article")).to_have_attribute("lang", "en")

    # The leaflet the page links to, as printed for a class.
    page.goto(f"{live_server.url}/ja/guide/keep-your-passport/")
    href = page.locator("a[href$='leaflet.pdf']").get_attribute("href")
    assert href is not None
    leaflet = context.request.get(f"{live_server.url}{href}")
    assert leaflet.headers["content-type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(leaflet.body())
    assert "パスポートは本人が保管します" in text and "Technical Intern Training Act" in text
    assert fonts

    # The checklist: ticks stay in this browser across a reload; nothing is sent.
    page.goto(f"{live_server.url}/vi/guide/checklist/")
    requests_before = len(seen["requests"])
    boxes = page.locator(".checklist-items input[type=checkbox]")
    expect(boxes).to_have_count(6)
    for name in ("licence", "contract_vi", "no_deposit"):
        page.locator(f"input[name={name}]").check()
    progress = page.locator("#checklist-progress")
    expect(progress).to_contain_text("3")
    assert len(seen["requests"]) == requests_before  # ticking sends nothing
    page.reload()
    for name in ("licence", "contract_vi", "no_deposit"):
        expect(page.locator(f"input[name={name}]")).to_be_checked()
    expect(page.locator("input[name=passport]")).not_to_be_checked()
    for name in ("fees", "passport", "hotlines"):
        page.locator(f"input[name={name}]").check()
    expect(progress).to_contain_text("6")
    page.reload()
    for n in range(6):
        expect(boxes.nth(n)).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert seen["outside"] == []
