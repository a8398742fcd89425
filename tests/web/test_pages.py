"""Pages: languages, the switcher, error pages, sign-in, and who may open what."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from config import urls as root_urls
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import User
from tests.factories import (
    UserFactory,
    login_verified,
    second_factor_code,
    second_factor_enrol,
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "lang", "text"),
    [("vi", "vi", "Nhật Bản"), ("ja", "ja", "日本"), ("en", "en", "Japan")],
)
def test_home_page_in_each_language(client: Client, prefix: str, lang: str, text: str) -> None:
    response = client.get(f"/{prefix}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert text in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html


@pytest.mark.django_db
def test_root_redirects_to_vietnamese_by_default(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/vi/"


@pytest.mark.django_db
def test_switcher_remembers_the_choice(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/vi/"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="vi").headers["Location"] == "/ja/"


@pytest.mark.django_db
def test_pages_make_no_request_outside_the_site(client: Client) -> None:
    html = client.get("/vi/").content.decode()
    for marker in ('src="http', "src='http", 'href="http', "//cdn", "fonts.googleapis"):
        assert marker not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "text"), [("vi", "Không tìm thấy"), ("ja", "見つかりません"), ("en", "not found")]
)
@override_settings(DEBUG=False)
def test_404_is_translated(client: Client, prefix: str, text: str) -> None:
    response = client.get(f"/{prefix}/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise Forbidden()


urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), *root_urls.urlpatterns]
handler500 = "fairpassage.web.views.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_page_and_application_error_page() -> None:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="vi")
    # pages of this test only: behind the second factor, as every page not named public
    login_verified(client, UserFactory.create())
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "<main" in response.content.decode()
    forbidden = client.get("/forbidden/")
    assert forbidden.status_code == 403
    assert 'role="alert"' in forbidden.content.decode()


@pytest.mark.django_db
def test_sign_in_and_out(client: Client) -> None:
    user: User = UserFactory.create()
    secret = second_factor_enrol(user)
    response = client.post(
        "/vi/login/", {"username": user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    # the password alone: public pages see an anonymous visitor until the second factor
    assert user.username not in client.get("/vi/").content.decode()
    client.post("/vi/account/second-factor/verify/", {"code": second_factor_code(secret)})
    assert user.username in client.get("/vi/").content.decode()
    assert client.post("/vi/logout/").status_code == 302
    assert user.username not in client.get("/vi/").content.decode()


@pytest.mark.django_db
def test_wrong_password_is_a_translated_error(client: Client) -> None:
    UserFactory.create(username="someone")
    response = client.post("/vi/login/", {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


# The permission matrix: every page, every kind of visitor, the status expected.
MATRIX = [
    ("/vi/", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/vi/login/", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/vi/admin/", {"anonymous": 302, "member": 302, "staff": 200}),
    ("/api/health", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/vi/fee-check/", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/vi/law/", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/vi/earnings/", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/vi/pathways/", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/api/pathways", {"anonymous": 200, "member": 200, "staff": 200}),
    ("/vi/fee-checks/", {"anonymous": 302, "member": 200, "staff": 200}),
    ("/vi/law/status/", {"anonymous": 302, "member": 403, "staff": 200}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "expected"), MATRIX)
@pytest.mark.parametrize("visitor", ["anonymous", "member", "staff"])
def test_permission_matrix(
    client: Client, url: str, expected: dict[str, int], visitor: str
) -> None:
    if visitor != "anonymous":
        user = UserFactory.create(is_staff=visitor == "staff", is_superuser=visitor == "staff")
        login_verified(client, user)  # with the second factor passed, as after a real sign-in
    assert client.get(url).status_code == expected[visitor]


@pytest.mark.django_db
def test_the_admin_asks_staff_for_the_second_factor(client: Client) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    response = client.get("/vi/admin/")
    assert response.status_code == 302
    assert "/second-factor/" in response["Location"]
