"""An analyst creates a survey, uploads a KoboToolbox export and reads the indicator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from fairpassage.core import services as core_services
from fairpassage.core.models import Role
from fairpassage.surveys.models import ImportStatus, SurveyImport
from tests.e2e.conftest import collect, sign_in
from tests.factories import OrganisationFactory, UserFactory, second_factor_enrol
from tests.surveys.exports import kobo_xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_an_export_and_see_the_indicator(
    live_server: Any, context: BrowserContext, tmp_path: Path
) -> None:
    organisation = OrganisationFactory.create(name="Trung tâm Hỗ trợ")
    analyst = UserFactory.create(username="analyst")
    core_services.membership_set(
        actor=None, user=analyst, organisation=organisation, role=Role.ANALYST
    )
    export = tmp_path / "kobo.xlsx"
    export.write_bytes(kobo_xlsx())
    seen = collect(context)
    page = context.new_page()
    sign_in(page, live_server.url, "analyst", second_factor_enrol(analyst))
    page.goto(f"{live_server.url}/en/surveys/new/")
    page.select_option("#id_organisation", str(organisation.pk))
    page.fill("#id_title", "Returnees 2026")
    page.fill("#id_rates", "VND=0.0061")
    # The picker offers the questionnaire's questions by their labels (issue 16, item 7).
    picker = page.locator("input[name=breakdowns]")
    for index in range(picker.count()):
        picker.nth(index).uncheck()
    page.get_by_label("Sex", exact=True).check()
    page.fill("#id_min_cell", "1")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Returnees 2026")

    page.set_input_files("#id_exports", str(export))
    page.locator("main form button[type=submit]").click()
    # the import page refreshes itself until the background processing is done
    expect(page.locator("p.status")).to_contain_text("Imported", timeout=30_000)
    assert SurveyImport.objects.get().status == ImportStatus.DONE
    page.locator("a", has_text="See the indicator").click()
    expect(page.locator("table.sdg").first).to_contain_text("Female")
    expect(page.locator("table.sdg").first).not_to_contain_text("sex = female")
    expect(page.locator("figure.sdg-chart svg").first).to_be_visible()
    assert seen["console_errors"] == [] and seen["page_errors"] == [] and seen["outside"] == []
