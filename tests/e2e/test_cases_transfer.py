"""In the browser, without the command line: the Hanoi case worker links the case to its agency
in the registry, downloads the referral package for another installation, and the Osaka case
worker imports the file and reads the case (one test installation that lists itself as a
peer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import BrowserContext, expect

from fairpassage.cases import people, services
from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.cases.models import Case
from fairpassage.cases.package import keypair_generate
from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Role
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.selectors import search_index_reset
from tests.e2e.conftest import collect, sign_in
from tests.factories import OrganisationFactory, UserFactory, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTING = (
    "name,country,kind,licence_number,licence_status,licence_issued_on,licence_expires_on,"
    "address,phone,website\n"
    "Công ty Cổ phần Nhân lực Sao Mai,VN,sending_agency,123/LĐTBXH-GP,active,2021-03-01,,,,\n"
)


def test_agency_link_and_referral_package_through_the_pages(
    live_server: Any, context: BrowserContext, settings: Any, tmp_path: Path
) -> None:
    keys = keypair_generate()
    settings.REFERRAL_INSTALLATION_ID = "here"
    settings.REFERRAL_SIGNING_KEY = keys.signing_private_key
    settings.REFERRAL_ENCRYPTION_KEY = keys.encryption_private_key
    settings.REFERRAL_PEERS = {
        "here": {"signing": keys.signing_public_key, "encryption": keys.encryption_public_key}
    }
    cache.clear()
    search_index_reset()
    agencies_import(actor=None, data=LISTING.encode(), filename="list.csv")
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
    case, _code, _new = services.grievance_submit(
        idempotency_key="browser-transfer-key-0001",
        where_now=WhereNow.VIET_NAM,
        categories=[Category.FEES_DEBT],
        stage=Stage.BEFORE_DEPARTURE,
        statement="Công ty Sao Mai thu phí quá mức quy định.",
        agency_name="Sao Mai",
    )
    people.consent_record(
        actor=vn_worker,
        case=case,
        purpose="referral",
        method="oral",
        organisations=[osaka],
        parts=["statement"],
    )
    seen = collect(context)
    page = context.new_page()
    base = live_server.url

    # 1. The Hanoi case worker links the case to the agency in the registry.
    sign_in(page, base, "vn-worker", secrets["vn-worker"])
    page.goto(f"{base}/vi/cases/{case.pk}/?section=links")
    page.locator("form[action$='/agency/'] button[type=submit]").click()
    page.locator("#agency-candidates button[name=agency]").first.click()
    expect(page.locator("#case-agency a")).to_contain_text("Sao Mai")

    # 2. ... and downloads the referral package for Osaka's installation.
    page.locator("#s-consent > summary").click()
    form = page.locator("#referral-package-form")
    form.locator("#pkg-to_org").fill("osaka")
    form.locator("input[value=statement]").check()
    with page.expect_download() as download:
        form.locator("button[name=download_package]").click()
    path = tmp_path / "referral.json"
    download.value.save_as(path)
    assert b"Sao Mai thu" not in path.read_bytes()
    page.context.clear_cookies()

    # 3. The Osaka case worker imports the file and reads the case.
    sign_in(page, base, "jp-worker", secrets["jp-worker"])
    page.goto(f"{base}/vi/cases/")
    page.locator("a[href$='/cases/referrals/import/']").click()
    page.set_input_files("#id_file", str(path))
    page.locator("#referral-import-form button[type=submit]").click()
    expect(page.locator("#statement")).to_contain_text("thu phí quá mức")
    assert Case.objects.filter(organisation=osaka).count() == 1

    assert seen["console_errors"] == []
    assert seen["page_errors"] == []
    assert seen["outside"] == []
