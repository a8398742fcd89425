"""Tracker pages: who may open what, the chart, the feed, posting through the form."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from fairpassage.core.models import AuditEvent, Organisation, User
from fairpassage.tracker.charts import WIDTH, stacked_bars
from fairpassage.tracker.models import Consultation, Recommendation, StatusUpdate
from fairpassage.tracker.services import status_update_create
from tests.factories import login_verified
from tests.tracker.conftest import YESTERDAY

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "analyst", "case_worker", "reviewer", "admin", "staff", "other_org"]
PUBLIC = dict.fromkeys(VISITORS, 200)
# Posting: administrators, case workers and reviewers of any member organisation; analysts
# read only; platform staff without a membership have no organisation to post in the name of.
POSTING = {
    "anonymous": 302,
    "analyst": 403,
    "case_worker": 200,
    "reviewer": 200,
    "admin": 200,
    "staff": 403,
    "other_org": 200,
}
MATRIX = [
    ("/vi/tracker/", PUBLIC),
    ("/vi/tracker/consultations/{consultation}/", PUBLIC),
    ("/vi/tracker/consultations/999999/", dict.fromkeys(VISITORS, 404)),
    ("/vi/tracker/themes/", PUBLIC),
    ("/vi/tracker/themes/returnee_support/", PUBLIC),
    ("/vi/tracker/themes/no-such-theme/", dict.fromkeys(VISITORS, 404)),
    ("/vi/tracker/stakeholders/", PUBLIC),
    ("/vi/tracker/stakeholders/government_vn/", PUBLIC),
    ("/vi/tracker/stakeholders/nobody/", dict.fromkeys(VISITORS, 404)),
    ("/vi/tracker/progress/", PUBLIC),
    ("/vi/tracker/recommendations/{recommendation}/", PUBLIC),
    ("/vi/tracker/recommendations/999999/", dict.fromkeys(VISITORS, 404)),
    ("/vi/tracker/recommendations/{recommendation}/update/", POSTING),
    ("/vi/tracker/feed.atom", PUBLIC),
    ("/api/consultations", PUBLIC),
    ("/api/consultations/{consultation}", PUBLIC),
    ("/api/consultations/999999", dict.fromkeys(VISITORS, 404)),
    ("/api/recommendations", PUBLIC),
    ("/api/recommendations?theme=returnee_support&status=not_started", PUBLIC),
    ("/api/recommendations?status=finished", dict.fromkeys(VISITORS, 422)),
]


@pytest.mark.parametrize(("url", "expected"), MATRIX)
@pytest.mark.parametrize("visitor", VISITORS)
def test_permission_matrix(
    client: Client,
    recommendation: Recommendation,
    users: dict[str, User],
    url: str,
    expected: dict[str, int],
    visitor: str,
) -> None:
    if visitor != "anonymous":
        login_verified(client, users[visitor])
    address = url.format(
        consultation=recommendation.consultation_id, recommendation=recommendation.pk
    )
    assert client.get(address).status_code == expected[visitor]


def test_consultation_page_shows_the_seed_with_its_flags(
    client: Client, seeded: Consultation
) -> None:
    html = client.get(f"/en/tracker/consultations/{seeded.pk}/").content.decode()
    assert "Consultation on Labour Migration from Viet Nam to Japan" in html
    assert "2019-07-24" in html
    assert "Mekong Migration Network" in html
    assert html.count("To be completed from the proceedings") == 4
    assert seeded.source_url in html
    ja = client.get(f"/ja/tracker/consultations/{seeded.pk}/").content.decode()
    assert "ベトナムから日本への労働移住に関する協議会" in ja


def test_missing_translation_falls_back_visibly(
    client: Client, recommendation: Recommendation
) -> None:
    Recommendation.objects.filter(pk=recommendation.pk).update(text_ja="")
    html = client.get(f"/ja/tracker/recommendations/{recommendation.pk}/").content.decode()
    assert f'lang="vi">{recommendation.text_vi}' in html


def test_progress_chart_has_one_bar_per_theme_with_segments(
    client: Client, seeded: Consultation, users: dict[str, User], home_org: Organisation
) -> None:
    rec = seeded.recommendations.get(number="1")
    status_update_create(
        actor=users["case_worker"],
        recommendation=rec,
        organisation=home_org,
        status="partly_done",
        date=YESTERDAY,
        text="Guidelines drafted.",
    )
    html = client.get("/en/tracker/progress/").content.decode()
    assert "<script" not in html.split("</head>")[1]
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    root = ET.fromstring(svg)  # noqa: S314 - our own page
    groups = root.findall("g")
    assert [g.get("data-theme") for g in groups] == [
        "migration_mechanisms",
        "information_channels",
        "international_cooperation",
        "returnee_support",
    ]
    first = groups[0].findall("rect")
    full = f"{WIDTH:.1f}"
    assert [(r.get("data-status"), r.get("width")) for r in first] == [("partly_done", full)]
    assert "Migration mechanisms (1)" in (groups[0].findtext("text") or "")
    for group in groups[1:]:
        rects = group.findall("rect")
        assert [(r.get("data-status"), r.get("width")) for r in rects] == [("not_started", full)]


def test_bars_split_in_proportion() -> None:
    chart = stacked_bars(
        [
            {
                "theme": "recruitment_fees",
                "label": "Recruitment fees",
                "counts": {"done": 1, "in_progress": 2, "not_started": 1},
            }
        ]
    )
    segments = chart["bars"][0]["segments"]
    assert [(s["status"], s["x"], s["width"]) for s in segments] == [
        ("not_started", 0.0, WIDTH / 4),
        ("in_progress", WIDTH / 4, WIDTH / 2),
        ("done", WIDTH * 3 / 4, WIDTH / 4),
    ]
    assert chart["bars"][0]["cells"] == [1, 2, 0, 1, 0]


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("lang", ["vi", "ja", "en"])
def test_feed_is_valid_atom_and_lists_updates(
    client: Client,
    recommendation: Recommendation,
    users: dict[str, User],
    home_org: Organisation,
    lang: str,
) -> None:
    update = status_update_create(
        actor=users["reviewer"],
        recommendation=recommendation,
        organisation=home_org,
        status="in_progress",
        date=YESTERDAY,
        text="Leaflets in Vietnamese reach district job centres.",
        evidence=["https://example.org/leaflet"],
    )
    response = client.get(f"/{lang}/tracker/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for name in ("id", "title", "updated"):
        assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == home_org.name
    assert f"/{lang}/tracker/recommendations/{recommendation.pk}/#update-{update.pk}" in (
        entry.find(f"{ATOM}link").get("href") or ""  # type: ignore[union-attr]
    )
    assert "Leaflets in Vietnamese" in (entry.findtext(f"{ATOM}summary") or "")


def test_posting_through_the_form(
    client: Client, recommendation: Recommendation, users: dict[str, User], home_org: Organisation
) -> None:
    login_verified(client, users["case_worker"])
    url = f"/en/tracker/recommendations/{recommendation.pk}/update/"
    bad = client.post(
        url,
        {
            "organisation": home_org.pk,
            "status": "done",
            "date": "2019-01-01",
            "text": "Done.",
            "evidence": "",
        },
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.content.decode()
    response = client.post(
        url,
        {
            "organisation": home_org.pk,
            "status": "done",
            "date": YESTERDAY.isoformat(),
            "text": "Information desks opened in three provinces.",
            "evidence": "https://example.org/desks\n\nhttps://example.org/report",
        },
    )
    update = StatusUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/tracker/recommendations/{recommendation.pk}/#update-{update.pk}"
    )
    assert update.evidence == ["https://example.org/desks", "https://example.org/report"]
    assert update.language == "en"
    assert AuditEvent.objects.filter(action="tracker.status_update.create").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Information desks opened in three provinces." in page
    assert home_org.name in page


def test_analyst_cannot_post_through_the_form(
    client: Client, recommendation: Recommendation, users: dict[str, User], home_org: Organisation
) -> None:
    login_verified(client, users["analyst"])
    response = client.post(
        f"/en/tracker/recommendations/{recommendation.pk}/update/",
        {"organisation": home_org.pk, "status": "done", "date": YESTERDAY.isoformat(), "text": "x"},
    )
    assert response.status_code == 403
    assert not StatusUpdate.objects.exists()


def test_a_member_cannot_post_in_the_name_of_another_organisation(
    client: Client, recommendation: Recommendation, users: dict[str, User], home_org: Organisation
) -> None:
    login_verified(client, users["other_org"])
    response = client.post(
        f"/en/tracker/recommendations/{recommendation.pk}/update/",
        {"organisation": home_org.pk, "status": "done", "date": YESTERDAY.isoformat(), "text": "x"},
    )
    assert response.status_code == 422  # not among the choices offered
    assert not StatusUpdate.objects.exists()
