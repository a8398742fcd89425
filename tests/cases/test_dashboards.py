"""Dashboards for the organisation's own work (issue 16, item 6): its case workers see their own
counts exactly, public and cross-organisation figures keep suppressing cells under 5, bars carry
their labels, money and dates are written in the page's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from fairpassage.cases import services, stats
from fairpassage.cases.choices import Category, Status
from fairpassage.cases.models import Case
from fairpassage.web.templatetags.dates import month
from fairpassage.web.templatetags.numbers import money, num
from tests.cases.conftest import World, file_grievance
from tests.factories import login_verified

pytestmark = pytest.mark.django_db

URL = "/{lang}/cases/org/jp-union/dashboard/"


def _three_jp_cases(world: World) -> list[Case]:
    cases = [
        file_grievance(where_now="JP", categories=[Category.WAGES])[0],
        file_grievance(where_now="JP", categories=[Category.WAGES, Category.VISA])[0],
        file_grievance(where_now="JP", categories=[Category.HOUSING], urgent=True)[0],
    ]
    Case.objects.filter(pk=cases[0].pk).update(
        created_at=timezone.make_aware(dt.datetime(2025, 2, 10, 9, 0)),
        claim_amount_vnd=120_000_000,
    )
    return cases


def test_own_case_workers_see_exact_counts_and_the_team_work(client: Client, world: World) -> None:
    cases = _three_jp_cases(world)
    worker = world.user("jp", "case_worker")
    services.case_status_change(
        actor=worker, case=cases[1], status=Status.CLOSED, reason="Xong", close_reason="resolved"
    )
    login_verified(client, worker)
    english = client.get(URL.format(lang="en")).content.decode()
    assert "fewer than" not in english
    # Exact counts in the tables: 2 wage cases, 1 housing, 1 visa; 3 in all.
    assert 'Unpaid or underpaid wages</td><td class="num">2<' in english
    assert 'Visa status</td><td class="num">1<' in english
    assert "<strong>Cases:</strong> 3" in english
    html = client.get(URL.format(lang="vi")).content.decode()
    work = html.split('id="work"', 1)[1].split("</dl>", 1)[0]
    assert re.findall(r"<dd>([^<]*)</dd>", work) == [
        "2",  # open
        "1",  # urgent and open
        "2",  # assigned to nobody
        "1",  # closed this month
        "10/02/2025",  # the oldest open case, as Vietnamese write a day
        "120.000.000 ₫",
    ]
    ja = client.get(URL.format(lang="ja")).content.decode()
    work_ja = ja.split('id="work"', 1)[1].split("</dl>", 1)[0]
    assert "2025年2月10日" in work_ja and "120,000,000ドン" in work_ja
    assert "2025年2月" in ja  # the month chart's label


def test_analysts_of_the_organisation_keep_the_suppressed_view(
    client: Client, world: World
) -> None:
    _three_jp_cases(world)
    login_verified(client, world.user("jp", "analyst"))
    html = client.get(URL.format(lang="en")).content.decode()
    assert 'id="work"' not in html
    assert "fewer than 5" in html and ">2<" not in html


def test_public_statistics_still_suppress_small_cells(client: Client, world: World) -> None:
    _three_jp_cases(world)
    html = client.get("/en/grievance/statistics/").content.decode()
    assert "fewer than 5" in html
    assert 'id="work"' not in html
    for count in (">1<", ">2<", ">3<"):
        assert count not in html
    aggregated = stats.aggregate(Case.objects.all())
    assert aggregated["total"] is None
    assert all(row["count"] is None for b in aggregated["breakdowns"] for row in b["rows"])


def test_another_organisation_cannot_open_the_dashboard(client: Client, world: World) -> None:
    _three_jp_cases(world)
    login_verified(client, world.user("vn", "case_worker"))
    assert client.get(URL.format(lang="en")).status_code == 404


def test_every_bar_is_labelled_above_itself(world: World, client: Client) -> None:
    _three_jp_cases(world)
    login_verified(client, world.user("jp", "case_worker"))
    html = client.get(URL.format(lang="en")).content.decode()
    svg = html.split('<svg class="bars"', 2)[2].split("</svg>", 1)[0]  # the category chart
    labels = re.findall(r'class="bar-label">([^<]+)<', svg)
    bars = re.findall(r"<rect ", svg)
    counts = re.findall(r'class="bar-count">([^<]+)<', svg)
    assert len(labels) == len(bars) == len(counts) == 3
    assert "Unpaid or underpaid wages" in labels and counts[0] == "2"


def test_money_numbers_and_months_follow_the_language() -> None:
    with translation.override("vi"):
        assert money(120_000_000) == "120.000.000 ₫" and num(1234) == "1.234"
        assert month("2025-02") == "02/2025"
    with translation.override("ja"):
        assert money(120_000_000) == "120,000,000ドン" and num(1234) == "1,234"
        assert money(219_688, "JPY") == "219,688円"
        assert month("2025-02") == "2025年2月"
    with translation.override("en"):
        assert money(120_000_000) == "120.000.000 ₫"
        assert month("2025-02") == "Feb 2025"


def test_the_list_says_which_dashboards_are_exact_and_links_the_audit_for_admins(
    client: Client, world: World
) -> None:
    login_verified(client, world.user("jp", "case_worker"))
    html = client.get("/en/cases/dashboards/").content.decode()
    assert "exact counts" in html and "/cases/org/jp-union/audit/" not in html
    client.logout()
    login_verified(client, world.user("jp", "organisation_admin"))
    assert "/cases/org/jp-union/audit/" in client.get("/en/cases/dashboards/").content.decode()
    client.logout()
    login_verified(client, world.user("jp", "analyst"))
    html = client.get("/en/cases/dashboards/").content.decode()
    assert "counts under 5 hidden" in html and "exact counts" not in html
