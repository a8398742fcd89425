"""An anonymous grievance in Vietnamese reaches a case worker in Japan by referral with consent;
the worker reads the answer with the tracking code."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Role
from tests.e2e.conftest import collect, sign_in
from tests.factories import OrganisationFactory, UserFactory, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_grievance_referral_answer_and_tracking(
    live_server: Any, context: BrowserContext, settings: Any, tmp_path: Any
) -> None:
    settings.CASES_ATTACHMENT_DIR = tmp_path
    hanoi = OrganisationFactory.create(slug="hanoi", name="Hanoi Centre", country=Country.VIET_NAM)
    osaka = OrganisationFactory.create(slug="osaka", name="Osaka Union", country=Country.JAPAN)
    vn_worker = UserFactory.create(username="vn-worker")
    jp_worker = UserFactory.create(username="jp-worker")
    core_services.membership_set(
        actor=None, user=vn_worker, organisation=hanoi, role=Role.CASE_WORKER
    )
    core_services.membership_set(
        actor=None, user=jp_worker, organisation=osaka, role=Role.CASE_WORKER
    )
    secrets = {user.username: second_factor_enrol(user) for user in (vn_worker, jp_worker)}
    seen = collect(context)
    page = context.new_page()
    base = live_server.url

    # 1. An anonymous worker files a grievance in Vietnamese.
    page.goto(f"{base}/vi/grievance/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".emergency")).to_contain_text("110")
    page.check("input[name=where_now][value=VN]")
    page.check("input[name=categories][value=wages]")
    page.check("input[name=stage][value=in_japan]")
    page.fill("#id_statement", "Công ty ở Osaka không trả lương làm thêm giờ ba tháng nay.")
    page.locator("button[name=submit]").click()
    code = page.locator("#tracking-code code").inner_text()
    assert len(code.replace("-", "")) == 20

    # 2. The Hanoi case worker records the worker's consent and refers the case to Osaka.
    sign_in(page, base, "vn-worker", secrets["vn-worker"])
    page.goto(f"{base}/vi/cases/")
    page.locator("#queue a").first.click()
    expect(page.locator("#statement")).to_contain_text("Osaka")
    page.locator("#s-consent > summary").click()
    page.select_option("#co", str(osaka.pk))
    page.locator("#consent fieldset").first.locator("input[value=statement]").check()
    page.locator("#consent fieldset").first.locator("input[value=messages]").check()
    page.locator("button[name=record_consent]").click()
    refer = page.locator("form:has(button[name=refer])")
    refer.locator("select[name=to_org]").select_option(str(osaka.pk))
    refer.locator("input[value=statement]").check()
    refer.locator("input[value=messages]").check()
    refer.locator("button[name=refer]").click()
    expect(page.locator(".messages")).to_be_visible()
    _sign_out(page)

    # 3. The Osaka case worker accepts, reads the statement and answers.
    sign_in(page, base, "jp-worker", secrets["jp-worker"])
    page.goto(f"{base}/vi/cases/")
    page.locator("#queue a").first.click()
    page.locator("#referral-decision button[type=submit]").first.click()
    expect(page.locator("#statement")).to_contain_text("không trả lương")
    page.fill("#msg", "Chúng tôi ở Osaka sẽ giúp bạn. Hãy gọi cho chúng tôi.")
    page.locator("button[name=send_message]").click()
    expect(page.locator("#timeline")).to_contain_text("Osaka Union đã chấp nhận việc chuyển giao.")
    _sign_out(page)

    # 4. The worker reads the answer with the tracking code, typed in lower case with spaces.
    page.goto(f"{base}/vi/grievance/track/")
    page.fill("#id_code", code.lower().replace("-", " "))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#thread")).to_contain_text("Chúng tôi ở Osaka sẽ giúp bạn")
    expect(page.locator("#grievance-status")).to_be_visible()

    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert seen["outside"] == []
