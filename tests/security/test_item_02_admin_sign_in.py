"""Issue 13, item 2: the Django admin has no sign-in of its own. Its sign-in page sends to the
site's (throttled, locked, audited, second factor), and it opens only past the second factor."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from fairpassage.core.models import AuditEvent, User
from fairpassage.mfa import selectors as mfa_selectors
from tests.factories import PASSWORD, UserFactory, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db: None) -> User:
    return UserFactory.create(username="prod-admin", is_staff=True, is_superuser=True)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_item_02_admin_sign_in_page_is_the_sites(client: Client) -> None:
    response = client.get("/vi/admin/login/?next=/vi/admin/core/organisation/")
    assert response.status_code == 302
    assert response["Location"] == "/vi/login/?next=/vi/admin/core/organisation/"
    response = client.get("/vi/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/vi/login/")


def test_item_02_admin_sign_in_form_signs_no_one_in(client: Client, staff: User) -> None:
    response = client.post("/vi/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/vi/login/")
    assert not _signed_in(client)


def test_item_02_locked_account_cannot_reach_the_admin(client: Client, staff: User) -> None:
    for _ in range(25):
        client.post("/vi/admin/login/", {"username": staff.username, "password": "wrong"})
        client.post("/vi/login/", {"username": staff.username, "password": "wrong"})
    client.post("/vi/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert not _signed_in(client)
    refused = client.post(
        "/vi/login/", {"username": staff.username, "password": PASSWORD, "next": "/vi/admin/"}
    )
    assert refused.status_code == 429
    assert not _signed_in(client)
    assert client.get("/vi/admin/core/organisation/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    assert AuditEvent.objects.filter(action="auth.login_refused").exists()


def test_item_02_password_alone_does_not_open_the_admin(client: Client, staff: User) -> None:
    signed = client.post(
        "/vi/login/", {"username": staff.username, "password": PASSWORD, "next": "/vi/admin/"}
    )
    assert signed.status_code == 302
    assert signed["Location"].startswith("/vi/account/second-factor/")
    assert AuditEvent.objects.filter(action="auth.login", actor=staff).exists()
    for url in ("/vi/admin/", "/vi/admin/core/organisation/", "/vi/admin/core/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/vi/account/second-factor/"), url


def test_item_02_admin_opens_after_the_second_factor(client: Client, staff: User) -> None:
    login_verified(client, staff)
    assert client.get("/vi/admin/").status_code == 200
    assert client.get(reverse("admin:core_organisation_changelist")).status_code == 200


def test_item_02_admin_site_itself_refuses_a_session_without_second_factor(
    staff: User, rf: RequestFactory
) -> None:
    """Even without the middleware, the admin site asks for the second factor."""
    from fairpassage.core.admin_site import SiteAdmin  # noqa: PLC0415

    request = rf.get("/vi/admin/")
    request.user = staff
    request.session = {}  # type: ignore[assignment]
    assert not SiteAdmin().has_permission(request)
    device = mfa_selectors.device_of(user=staff)
    assert device is None
    login_verified(Client(), staff)
    device = mfa_selectors.device_of(user=staff)
    assert device is not None
    request.session = {mfa_selectors.SESSION_KEY: {"user": staff.pk, "device": device.pk}}  # type: ignore[assignment]
    assert SiteAdmin().has_permission(request)
