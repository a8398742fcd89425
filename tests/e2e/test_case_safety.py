"""Staff pages without dangerous defaults, played in the browser on vi and ja pages (issue 16):
the status list keeps the current status until a case worker chooses another and gives the
reason; the organisation the worker complained about is never offered and a forged referral to
it is refused with the reason; the timeline tells what happened in words."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fairpassage.cases.models import Case
from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Organisation, OrganisationKind, Role
from tests.e2e.conftest import collect, sign_in
from tests.factories import OrganisationFactory, UserFactory, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _file(page: Page, base: str, lang: str, where: str, statement: str, agency: str) -> None:
    page.goto(f"{base}/{lang}/grievance/")
    page.check(f"input[name=where_now][value={where}]")
    page.check("input[name=categories][value=wages]")
    page.check("input[name=stage][value=in_japan]")
    page.fill("#id_statement", statement)
    page.fill("#id_agency_name", agency)
    page.locator("button[name=submit]").click()
    expect(page.locator("#tracking-code code")).to_be_visible()


def _forge_option(page: Page, select: str, org: Organisation) -> None:
    """As a stale or forged form would: post the id of an organisation the page never offers."""
    page.locator(select).evaluate(
        "(el, [value, label]) => { const o = new Option(label, value, true, true); el.add(o); }",
        [str(org.pk), org.name],
    )


def _keep_then_change(page: Page, current: str, new: str, reason: str) -> None:
    status = page.locator("#st")
    expect(status).to_have_value(current)  # the list starts on the current status
    page.locator("#sr").fill(reason)
    status.select_option(new)
    page.locator("form:has(#st) button[type=submit]").click()


def test_status_keeps_the_current_value_and_the_accused_is_refused(
    live_server: Any, context: BrowserContext
) -> None:
    hanoi = OrganisationFactory.create(slug="hanoi", name="Hanoi Centre", country=Country.VIET_NAM)
    osaka = OrganisationFactory.create(slug="osaka", name="Osaka Union", country=Country.JAPAN)
    agency = OrganisationFactory.create(
        slug="song-hong",
        name="Công ty Cổ phần Nhân lực Sông Hồng",
        kind=OrganisationKind.SENDING_AGENCY,
        country=Country.VIET_NAM,
    )
    employer = OrganisationFactory.create(
        slug="sakura",
        name="株式会社さくら工業",
        kind=OrganisationKind.EMPLOYER,
        country=Country.JAPAN,
    )
    secrets = {}
    for username, org in (("vn-worker", hanoi), ("jp-worker", osaka)):
        user = UserFactory.create(username=username)
        core_services.membership_set(actor=None, user=user, organisation=org, role=Role.CASE_WORKER)
        secrets[username] = second_factor_enrol(user)
    seen = collect(context)
    page = context.new_page()
    base = live_server.url

    # Viet Nam, vi pages: the worker names the agency as written, not as registered.
    _file(page, base, "vi", "VN", "Công ty giữ hộ chiếu của tôi.", "nhân lực sông hồng JSC")
    sign_in(page, base, "vn-worker", secrets["vn-worker"])
    case = Case.objects.get(organisation=hanoi)
    page.goto(f"{base}/vi/cases/{case.pk}/?section=status")
    # Sent as it comes, the form changes nothing: the default is the current status.
    page.locator("#sr").fill("Bấm nhầm")
    page.locator("form:has(#st) button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Vụ việc đã ở trạng thái này")
    expect(page.locator("#case-status")).to_contain_text("Đã tiếp nhận")
    _keep_then_change(page, "intake", "active", "Đã gọi điện cho người lao động")
    expect(page.locator("#case-status")).to_contain_text("Đang xử lý")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Trạng thái đã đổi từ “Đã tiếp nhận” sang “Đang xử lý”.")
    expect(timeline).to_contain_text("Đã gọi điện cho người lao động")
    expect(timeline).to_contain_text("một cán bộ phụ trách vụ việc của Hanoi Centre")
    expect(timeline).to_contain_text("Phản ánh đã được gửi.")
    expect(timeline).not_to_contain_text("vn-worker")
    expect(timeline).not_to_contain_text("grievant.submitted")
    # The agency is never offered; the page says why.
    expect(page.locator("#co option")).to_have_count(1)
    expect(page.locator("#recipients-rule")).to_contain_text(agency.name)
    page.locator("#s-consent > summary").click()
    page.select_option("#co", str(osaka.pk))
    page.locator("#consent fieldset").first.locator("input[value=statement]").check()
    page.locator("button[name=record_consent]").click()
    refer = page.locator("form:has(button[name=refer])")
    expect(refer.locator(f"select[name=to_org] option[value='{agency.pk}']")).to_have_count(0)
    _forge_option(page, "#ro2", agency)
    refer.locator("input[value=statement]").check()
    refer.locator("button[name=refer]").click()
    expect(page.locator(".messages")).to_contain_text(
        f"{agency.name} là tổ chức bị nêu trong phản ánh"
    )
    assert not case.referrals.exists()
    page.context.clear_cookies()

    # Japan, ja pages: the Osaka case worker, and the employer named in the grievance.
    _file(page, base, "ja", "JP", "残業代が三か月払われていません。", "さくら工業")
    sign_in(page, base, "jp-worker", secrets["jp-worker"])
    case = Case.objects.get(organisation=osaka)
    page.goto(f"{base}/ja/cases/{case.pk}/?section=status")
    expect(page.locator("#st option:checked")).to_contain_text("受付済み（現在の状態・変更なし）")
    _keep_then_change(page, "intake", "triage", "本人に電話で確認した")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("状態が「受付済み」から「内容確認中」に変わりました。")
    expect(timeline).to_contain_text("本人に電話で確認した")
    expect(timeline).to_contain_text("Osaka Unionのケース担当者")
    page.locator("#s-consent > summary").click()
    _forge_option(page, "#co", employer)
    page.locator("#consent fieldset").first.locator("input[value=identity]").check()
    page.locator("button[name=record_consent]").click()
    expect(page.locator(".messages")).to_contain_text(
        f"{employer.name}は相談の中で名前が挙げられた組織です"
    )
    assert not case.consents.exists()

    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert seen["outside"] == []
