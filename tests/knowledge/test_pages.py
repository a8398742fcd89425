"""Public pages, leaflets and the API of the guide; who may open the staff pages."""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core import services as core_services
from fairpassage.core.models import Organisation, OrganisationKind, Role, User
from tests.checks.conftest import pdf_text_and_fonts
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db


def test_index_groups_articles_by_step(client: Client, articles: dict[str, int]) -> None:
    html = client.get("/vi/guide/").content.decode()
    assert html.index('id="fees_contracts"') < html.index('id="work_life_japan"')
    assert "Tiền đặt cọc" in html and "Hộ chiếu là của bạn" in html
    assert 'href="/vi/guide/checklist/"' in html


def test_search_page(client: Client, articles: dict[str, int]) -> None:
    html = client.get("/vi/guide/", {"q": "tien coc"}).content.decode()
    assert "/vi/guide/no-deposit/" in html and "/vi/guide/keep-your-passport/" not in html
    html = client.get("/ja/guide/", {"q": "ﾊﾟｽﾎﾟｰﾄ"}).content.decode()
    assert "パスポートは本人が保管します" in html


def test_article_in_the_language_of_the_address(client: Client, articles: dict[str, int]) -> None:
    html = client.get("/ja/guide/keep-your-passport/").content.decode()
    assert "パスポートは本人が保管します" in html
    assert "not yet available" not in html and "fallback" not in html
    assert '<a href="/ja/law/#jp.titp.document_retention_ban">' in html
    assert "Technical Intern Training Act" in html
    assert "2026-11-20" in html


@pytest.mark.parametrize(
    ("address", "shown", "notice"),
    [
        ("/ja/guide/no-deposit/", "Deposits: nobody may take one from you", "English"),
        ("/ja/guide/keep-your-passport/?text=easy", "パスポートは本人が保管します", "日本語"),
        ("/en/guide/no-deposit/", "Deposits: nobody may take one from you", None),
        ("/vi/guide/no-deposit/", "Tiền đặt cọc", None),
    ],
)
def test_missing_translation_falls_back_visibly(
    client: Client, articles: dict[str, int], address: str, shown: str, notice: str | None
) -> None:
    html = client.get(address).content.decode()
    assert shown in html
    if notice is None:
        assert 'class="notice fallback"' not in html
    else:
        assert 'class="notice fallback"' in html
        assert f"shown in {notice}" in html or notice in html.split("notice fallback")[1][:300]


def test_english_notice_text(client: Client, articles: dict[str, int]) -> None:
    html = client.get("/en/guide/keep-your-passport/?text=easy").content.decode()
    assert "Your passport is yours" in html  # /en/ never reads the easy Japanese


def test_unknown_article_is_404(client: Client, articles: dict[str, int]) -> None:
    assert client.get("/vi/guide/no-such-article/").status_code == 404
    assert client.get("/api/articles/no-such-article").status_code == 404


def test_article_leaflet_is_an_a5_pdf_with_embedded_fonts(
    client: Client, articles: dict[str, int]
) -> None:
    response = client.get("/ja/guide/keep-your-passport/leaflet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(response.content)
    assert "パスポートは本人が保管します" in text
    assert "Technical Intern Training Act" in text
    assert fonts
    from io import BytesIO  # noqa: PLC0415

    from pypdf import PdfReader  # noqa: PLC0415

    box = PdfReader(BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5 in points


def test_checklist_page_and_leaflet(client: Client) -> None:
    html = client.get("/vi/guide/checklist/").content.decode()
    assert html.count('type="checkbox"') == 6
    assert 'href="/vi/fee-check/"' in html
    assert "/static/knowledge/checklist.js" in html
    assert "<script>" not in html and "onclick" not in html
    response = client.get("/en/guide/checklist/leaflet.pdf")
    text, fonts = pdf_text_and_fonts(response.content)
    assert "Pre-departure checklist" in text and "I paid no deposit." in text
    assert fonts


def test_api_search_and_read(client: Client, articles: dict[str, int]) -> None:
    found = client.get("/api/articles", {"q": "tien coc", "lang": "ja"}).json()
    assert found[0]["slug"] == "no-deposit"
    assert found[0]["language"] == "en" and found[0]["fallback"] is True
    assert found[0]["url"].endswith("/ja/guide/no-deposit/")
    every = client.get("/api/articles").json()
    assert [a["slug"] for a in every] == ["no-deposit", "keep-your-passport", "minimum-wage-japan"]
    one = client.get("/api/articles/keep-your-passport", {"lang": "ja-easy"}).json()
    assert one["language"] == "ja" and one["requested_language"] == "ja-easy"
    assert "<strong>パスポート</strong>" in one["body_html"]
    assert one["law_parameters"] == ["jp.titp.document_retention_ban"]
    bad = client.get("/api/articles", {"lang": "fr"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "lang"


# Who may open the staff pages ----------------------------------------------------------------


def _member(kind: str, role: str) -> User:
    organisation: Organisation = OrganisationFactory.create(kind=kind)
    user: User = UserFactory.create()
    core_services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    return user


VISITORS = {
    "anonymous": lambda: None,
    "agency_admin": lambda: _member(OrganisationKind.SENDING_AGENCY, Role.ORGANISATION_ADMIN.value),
    "case_worker": lambda: _member(OrganisationKind.SUPPORT_ORGANISATION, Role.CASE_WORKER.value),
    "reviewer": lambda: _member(OrganisationKind.SUPPORT_ORGANISATION, Role.REVIEWER.value),
    "staff": lambda: UserFactory.create(is_staff=True),
}
MATRIX = [
    ("/vi/guide/", {"anonymous": 200, "agency_admin": 200, "case_worker": 200, "staff": 200}),
    ("/vi/guide/no-deposit/", {"anonymous": 200, "agency_admin": 200, "staff": 200}),
    ("/vi/guide/checklist/", {"anonymous": 200, "staff": 200}),
    ("/api/articles?q=coc", {"anonymous": 200, "staff": 200}),
    ("/api/articles/no-deposit", {"anonymous": 200}),
    (
        "/vi/guide/manage/",
        {"anonymous": 302, "agency_admin": 403, "case_worker": 200, "reviewer": 200, "staff": 200},
    ),
    (
        "/vi/guide/manage/no-deposit/",
        {"anonymous": 302, "agency_admin": 403, "case_worker": 200, "staff": 200},
    ),
    (
        "/vi/guide/manage/no-deposit/en/draft/",
        {"anonymous": 302, "agency_admin": 403, "case_worker": 200},
    ),
    ("/vi/guide/manage/no-deposit/fr/draft/", {"case_worker": 404}),
    ("/vi/guide/manage/new/", {"anonymous": 302, "agency_admin": 403, "reviewer": 200}),
    ("/vi/guide/manage/missing/", {"case_worker": 404}),
]


@pytest.mark.parametrize(
    ("address", "who", "status"),
    [(address, who, status) for address, expected in MATRIX for who, status in expected.items()],
)
def test_permission_matrix(
    client: Client, articles: dict[str, int], address: str, who: str, status: int
) -> None:
    user = VISITORS[who]()
    if user is not None:
        login_verified(client, user)
    assert client.get(address).status_code == status
