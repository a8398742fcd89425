"""A reviewer of a member organisation signs in, posts a status update; the public sees it.

(Reviewers need no second factor; case workers and administrators pass the same form after it.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from fairpassage.core import services as core_services
from fairpassage.core.models import Role
from fairpassage.tracker.models import Recommendation
from fairpassage.tracker.services import tracker_seed_load
from tests.e2e.conftest import collect, sign_in
from tests.factories import OrganisationFactory, UserFactory, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_post_an_update_and_find_it_on_the_page_and_in_the_feed(
    live_server: Any, context: BrowserContext
) -> None:
    tracker_seed_load()
    organisation = OrganisationFactory.create(name="Trung tâm Hỗ trợ Hà Nội")
    user = UserFactory.create(username="hoa")
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.REVIEWER
    )
    rec = Recommendation.objects.get(number="4")
    seen = collect(context)
    page = context.new_page()

    secret = second_factor_enrol(user)
    sign_in(page, live_server.url, user.username, secret, f"/vi/tracker/recommendations/{rec.pk}/")
    expect(page.locator("h1")).to_contain_text(rec.number)
    page.locator(f"a[href$='/tracker/recommendations/{rec.pk}/update/']").click()

    page.select_option("#id_status", "in_progress")
    page.fill("#id_date", (dt.date.today() - dt.timedelta(days=3)).isoformat())
    page.fill("#id_text", "Mở bàn tư vấn cho người lao động về nước tại ba tỉnh.")
    page.fill("#id_evidence", "https://example.org/ban-tu-van")
    page.locator("button[name=post]").click()

    update = page.locator("ol.updates li").first
    expect(update).to_contain_text("Mở bàn tư vấn cho người lao động về nước")
    expect(update).to_contain_text(organisation.name)
    expect(page.locator(f"#recommendation-{rec.pk} strong.status-in_progress")).to_be_visible()

    feed = page.request.get(f"{live_server.url}/vi/tracker/feed.atom")
    assert feed.ok
    assert "Mở bàn tư vấn cho người lao động về nước" in feed.text()
    assert organisation.name in feed.text()
    assert seen["console_errors"] == [] and seen["page_errors"] == [] and seen["outside"] == []
