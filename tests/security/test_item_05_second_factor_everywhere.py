"""Issue 13, item 5: every signed-in page and operation needs the second factor, through one
default-deny middleware; API tokens are issued only from the command line (or a verified
session), and the threat model says what a token reaches."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from fairpassage.core.models import ApiToken
from tests.factories import PASSWORD
from tests.security.scene import SecurityScene, fully_signed_in, half_signed_in

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"

# (visitor, url): pages that opened with a password alone before the fix.
STAFF_PAGES = [
    ("support_analyst", "/vi/fee-checks/"),
    ("support_analyst", "/vi/fee-checks/batch/"),
    ("support_analyst", "/vi/surveys/"),
    ("support_analyst", "/vi/cases/dashboards/"),
    ("support_reviewer", "/vi/agencies/reports/moderate/"),
    ("support_reviewer", "/vi/guide/manage/"),
    ("staff", "/vi/agencies/import/"),
    ("staff", "/vi/agencies/reports/moderate/"),
    ("agency_analyst", "/vi/fee-checks/"),
    ("outsider", "/vi/fee-checks/"),
]


@pytest.mark.parametrize(("visitor", "url"), STAFF_PAGES)
def test_item_05_staff_pages_need_the_second_factor(
    scene: SecurityScene, visitor: str, url: str
) -> None:
    response = half_signed_in(scene, visitor).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/vi/account/second-factor/?next=")
    enrolled = half_signed_in(scene, visitor, with_device=True).get(url)
    assert enrolled["Location"].startswith("/vi/account/second-factor/verify/?next=")


def test_item_05_staff_operations_need_the_second_factor(scene: SecurityScene) -> None:
    client = half_signed_in(scene, "support_case_worker")
    saved = client.post(f"/vi/fee-checks/{scene.objects['fee_check'].pk}/", {})
    assert saved.status_code == 302
    assert saved["Location"].startswith("/vi/account/second-factor/")
    moderated = half_signed_in(scene, "staff").post(
        "/vi/agencies/reports/moderate/",
        {"review": scene.objects["review"].pk, "decision": "publish"},
    )
    assert moderated["Location"].startswith("/vi/account/second-factor/")
    scene.objects["review"].refresh_from_db()
    assert scene.objects["review"].status == "pending"


def test_item_05_password_sign_in_of_any_role_goes_to_the_second_factor(
    scene: SecurityScene,
) -> None:
    for visitor in ("support_analyst", "support_reviewer", "outsider"):
        response = Client().post(
            "/vi/login/",
            {"username": scene.user(visitor).username, "password": PASSWORD, "next": "/vi/"},
        )
        assert response.status_code == 302, visitor
        assert response["Location"].startswith("/vi/account/second-factor/?next="), visitor


def test_item_05_public_pages_see_a_half_signed_in_session_as_anonymous(
    scene: SecurityScene,
) -> None:
    html = half_signed_in(scene, "support_case_worker").get("/vi/").content.decode()
    assert "/vi/login/" in html
    assert "/vi/cases/" not in html  # the staff menu is not shown
    verified = fully_signed_in(scene, "support_case_worker").get("/vi/").content.decode()
    assert "/vi/cases/" in verified


def test_item_05_a_session_never_authenticates_the_api(scene: SecurityScene) -> None:
    client = fully_signed_in(scene, "support_case_worker")
    assert client.get("/api/me").status_code == 401
    assert client.get(f"/api/cases/{scene.case.pk}").status_code == 401


def test_item_05_tokens_are_not_issued_or_handed_over_in_the_admin(scene: SecurityScene) -> None:
    client = fully_signed_in(scene, "staff")
    assert client.get("/vi/admin/core/apitoken/add/").status_code == 403
    from fairpassage.core import services  # noqa: PLC0415

    token, _plain = services.api_token_create(
        actor=None, user=scene.user("support_analyst"), name="laptop"
    )
    client.post(
        f"/vi/admin/core/apitoken/{token.pk}/change/",
        {"name": "laptop", "user": scene.user("staff").pk},
    )
    assert ApiToken.objects.get(pk=token.pk).user == scene.user("support_analyst")


def test_item_05_exempt_list_is_short_and_the_docs_say_what_a_token_reaches() -> None:
    from fairpassage.mfa import policy  # noqa: PLC0415

    assert {
        "web:login",
        "web:logout",
        "mfa:enrol",
        "mfa:verify",
        "admin:login",
    } == policy.SIGN_IN_FLOW
    text = DOCS.read_text(encoding="utf-8")
    assert "### What an API token reaches" in text
    assert "mfa/middleware.py" in text
