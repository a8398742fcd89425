"""A case from grievance to closure, played by two case workers in two countries (issue 16, done
when): a worker files in Vietnamese; the Ha Noi case worker (vi pages) keeps the current status
by default, is refused a referral to the accused agency with the reason, and refers the case to
Osaka with the worker's consent; the Osaka case worker (ja pages) accepts, reads the Vietnamese
statement, attaches a Japanese translation and replies in Japanese; the Vietnamese translation of
the reply is attached in Ha Noi; the worker's tracking page shows the reply in Vietnamese; the
case is closed with a reason. At 360 px, with JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fairpassage.cases.models import Case, Translation
from fairpassage.core import services as core_services
from fairpassage.core.models import AuditEvent, Country, OrganisationKind, Role
from tests.e2e.conftest import collect, sign_in
from tests.factories import OrganisationFactory, UserFactory, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATEMENT = "Công ty Sông Hồng thu của tôi 150 triệu đồng và giữ hộ chiếu."
STATEMENT_JA = "ソンホン社に1億5千万ドンを払わされ、パスポートを取り上げられました。"
REPLY_JA = "大阪ユニオンです。パスポートの件で、明日お電話します。"
REPLY_VI = "Đây là Công đoàn Osaka. Ngày mai chúng tôi sẽ gọi cho bạn về hộ chiếu."


def _open(page: Page, section: str) -> None:
    """Open a section of the case page as a case worker would: tap its title."""
    details = page.locator(f"#s-{section}")
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    expect(details).to_have_attribute("open", "")


def _sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_a_case_across_two_countries_from_grievance_to_closure(
    live_server: Any, context: BrowserContext
) -> None:
    hanoi = OrganisationFactory.create(slug="hanoi", name="Hanoi Centre", country=Country.VIET_NAM)
    osaka = OrganisationFactory.create(slug="osaka", name="Osaka Union", country=Country.JAPAN)
    accused = OrganisationFactory.create(
        slug="song-hong",
        name="Công ty Cổ phần Nhân lực Sông Hồng",
        kind=OrganisationKind.SENDING_AGENCY,
        country=Country.VIET_NAM,
    )
    secrets = {}
    for username, org in (("vn-worker", hanoi), ("jp-worker", osaka)):
        user = UserFactory.create(username=username)
        core_services.membership_set(actor=None, user=user, organisation=org, role=Role.CASE_WORKER)
        secrets[username] = second_factor_enrol(user)
    seen = collect(context)
    page = context.new_page()
    base = live_server.url

    # 1. A worker in Viet Nam files a grievance in Vietnamese on the public form.
    page.goto(f"{base}/vi/grievance/")
    page.check("input[name=where_now][value=VN]")
    page.check("input[name=categories][value=fees_debt]")
    page.check("input[name=stage][value=in_japan]")
    page.fill("#id_statement", STATEMENT)
    page.fill("#id_agency_name", "nhân lực sông hồng JSC")
    page.locator("button[name=submit]").click()
    code = page.locator("#tracking-code code").inner_text()
    case = Case.objects.get(organisation=hanoi)

    # 2. Ha Noi, vi pages: the summary first, the status list keeps the current status.
    sign_in(page, base, "vn-worker", secrets["vn-worker"])
    page.goto(f"{base}/vi/cases/")
    page.locator("#queue a").first.click()
    expect(page.locator("#summary-what")).to_contain_text("Công ty Sông Hồng thu")
    expect(page.locator("#case-status")).to_contain_text("Đã tiếp nhận")
    expect(page.locator("#statement")).to_have_attribute("lang", "vi")
    expect(page.locator("#statement-text .lang-tag")).to_have_text("Tiếng Việt")
    _open(page, "status")
    expect(page.locator("#st")).to_have_value("intake")
    page.fill("#sr", "Đã gọi điện cho người lao động")
    page.select_option("#st", "active")
    page.locator("form:has(#st) button[type=submit]").click()
    expect(page.locator("#case-status")).to_contain_text("Đang xử lý")
    expect(page.locator("#s-status")).to_have_attribute("open", "")  # back on the same section
    expect(page.locator("#st")).to_have_value("active")

    # 3. The worker agrees to share with Osaka; a referral to the accused agency is refused.
    _open(page, "consent")
    expect(page.locator("#s-status")).not_to_have_attribute("open", "")  # one open at a time
    expect(page).to_have_url(re.compile(r"\?section=consent#s-consent$"))  # kept for a reload
    expect(page.locator("#recipients-rule")).to_contain_text(accused.name)
    expect(page.locator(f"#co option[value='{accused.pk}']")).to_have_count(0)
    page.select_option("#co", str(osaka.pk))
    consent_form = page.locator("form:has(button[name=record_consent])")
    for part in ("statement", "messages"):
        consent_form.locator(f"input[value={part}]").check()
    consent_form.locator("button[name=record_consent]").click()
    expect(page.locator("#s-consent")).to_have_attribute("open", "")
    refer = page.locator("form:has(button[name=refer])")
    refer.locator("select[name=to_org]").evaluate(
        "(el, [value, label]) => el.add(new Option(label, value, true, true))",
        [str(accused.pk), accused.name],
    )
    for part in ("statement", "messages"):
        refer.locator(f"input[value={part}]").check()
    refer.locator("button[name=refer]").click()
    expect(page.locator(".messages")).to_contain_text(
        f"{accused.name} là tổ chức bị nêu trong phản ánh"
    )
    assert not case.referrals.exists()
    refer = page.locator("form:has(button[name=refer])")
    refer.locator("select[name=to_org]").select_option(str(osaka.pk))
    for part in ("statement", "messages"):
        refer.locator(f"input[value={part}]").check()
    refer.locator("button[name=refer]").click()
    expect(page.locator("#referrals")).to_contain_text("Osaka Union")
    hanoi_session = page.context.cookies()  # Ha Noi stays signed in on its own phone
    _sign_out(page)

    # 4. Osaka, ja pages: accept, read the Vietnamese statement, translate it, reply.
    sign_in(page, base, "jp-worker", secrets["jp-worker"])
    page.goto(f"{base}/ja/cases/{case.pk}/")
    page.locator("#referral-decision button[type=submit]").first.click()
    expect(page.locator("#s-messages")).to_have_attribute("open", "")
    expect(page.locator("#statement")).to_contain_text(STATEMENT)
    expect(page.locator("#statement-text .lang-tag").first).to_have_text("ベトナム語")
    statement = page.locator("#statement-text")
    statement.locator("details.translate > summary").click()
    expect(statement.locator("select[name=language]")).to_have_value("ja")  # the page's
    statement.locator("textarea[name=body]").fill(STATEMENT_JA)
    statement.locator("button[name=translate]").click()
    translation = page.locator("#statement-text .translation")
    expect(translation).to_contain_text(STATEMENT_JA)
    expect(translation).to_contain_text("翻訳")
    expect(translation).to_contain_text("Osaka Unionのケース担当者")
    expect(page.locator("#statement")).to_contain_text(STATEMENT)  # the original stays
    page.fill("#msg", REPLY_JA)
    page.locator("button[name=send_message]").click()
    reply = page.locator("#case-thread li.staff").last
    expect(reply).to_contain_text(REPLY_JA)
    expect(reply.locator(".lang-tag")).to_have_text("日本語")
    _sign_out(page)

    # 5. Ha Noi attaches the Vietnamese translation of the reply.
    page.context.add_cookies(hanoi_session)  # type: ignore[arg-type]
    page.goto(f"{base}/vi/cases/{case.pk}/")
    reply = page.locator("#case-thread li.staff").last
    expect(reply.locator("p[lang=ja]")).to_contain_text(REPLY_JA)
    expect(page.locator("#statement-text .translation")).to_contain_text(STATEMENT_JA)
    reply.locator("details.translate > summary").click()
    expect(reply.locator("select[name=language]")).to_have_value("vi")
    reply.locator("textarea[name=body]").fill(REPLY_VI)
    reply.locator("button[name=translate]").click()
    reply = page.locator("#case-thread li.staff").last
    expect(reply.locator(".translation")).to_contain_text(REPLY_VI)
    expect(reply.locator(".translation")).to_contain_text("một cán bộ phụ trách vụ việc của Hanoi")
    stored = Translation.objects.get(message__isnull=False)
    assert stored.language == "vi" and stored.organisation == hanoi
    assert AuditEvent.objects.filter(action="case.translation").count() == 2
    hanoi_session = page.context.cookies()
    _sign_out(page)

    # 6. The worker's tracking page (vi) shows the reply in Vietnamese, the original beside it.
    page.goto(f"{base}/vi/grievance/track/")
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").click()
    thread = page.locator("#thread")
    expect(thread).to_contain_text(REPLY_VI)
    expect(thread.locator("details.original")).to_contain_text("Tiếng Nhật")
    thread.locator("details.original > summary").click()
    expect(thread.locator("details.original p")).to_contain_text(REPLY_JA)

    # 7. Ha Noi closes the case with a reason.
    page.context.add_cookies(hanoi_session)  # type: ignore[arg-type]
    page.goto(f"{base}/vi/cases/{case.pk}/?section=status")
    expect(page.locator("#st")).to_have_value("referred")  # the current status, as accepted
    page.select_option("#st", "closed")
    page.select_option("#cr", "referred_away")
    page.fill("#sr", "Công đoàn Osaka tiếp nhận vụ việc")
    page.locator("form:has(#st) button[type=submit]").click()
    expect(page.locator("#case-status")).to_contain_text("Đã đóng")
    _open(page, "timeline")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Công đoàn Osaka tiếp nhận vụ việc")
    expect(timeline).to_contain_text("Đã đính kèm một bản dịch.")
    expect(timeline).not_to_contain_text("vn-worker")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the case page is {width} px wide at 360 px"

    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert seen["outside"] == []
