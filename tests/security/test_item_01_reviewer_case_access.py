"""Issue 13, item 1: a reviewer reads no case, no worker and no passport search; case pages need
a case role (administrator, case worker) and the second factor."""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core import services as core_services
from tests.security.scene import SecurityScene, fully_signed_in, half_signed_in

pytestmark = pytest.mark.django_db

REVIEWERS = ("support_reviewer", "agency_reviewer")


@pytest.mark.parametrize("reviewer", REVIEWERS)
def test_item_01_reviewer_without_second_factor_is_sent_to_it(
    scene: SecurityScene, reviewer: str
) -> None:
    client = half_signed_in(scene, reviewer)
    for url in (
        f"/vi/cases/{scene.case.pk}/",
        f"/vi/cases/workers/{scene.worker.pk}/",
        f"/vi/cases/attachments/{scene.attachment.pk}/",
        "/vi/cases/workers/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/vi/account/second-factor/"), url
    searched = client.post("/vi/cases/workers/", {"passport": "B7654321"})
    assert searched.status_code == 302
    assert "Trần Thị B" not in searched.content.decode()


@pytest.mark.parametrize("reviewer", REVIEWERS)
def test_item_01_reviewer_with_second_factor_reads_no_case(
    scene: SecurityScene, reviewer: str
) -> None:
    client = fully_signed_in(scene, reviewer)
    assert client.get(f"/vi/cases/{scene.case.pk}/").status_code == 404
    assert client.get(f"/vi/cases/workers/{scene.worker.pk}/").status_code == 404
    assert client.get(f"/vi/cases/attachments/{scene.attachment.pk}/").status_code == 404
    queue = client.get("/vi/cases/")
    assert queue.status_code == 403
    assert f"/vi/cases/{scene.case.pk}/" not in queue.content.decode()
    found = client.post("/vi/cases/workers/", {"passport": "B7654321"})
    assert found.status_code == 403
    assert "Trần Thị B" not in found.content.decode()


@pytest.mark.parametrize("reviewer", REVIEWERS)
def test_item_01_reviewer_token_reads_no_case(scene: SecurityScene, reviewer: str) -> None:
    _token, plaintext = core_services.api_token_create(
        actor=None, user=scene.user(reviewer), name="t"
    )
    headers = {"Authorization": f"Bearer {plaintext}"}
    client = Client()
    assert client.get(f"/api/cases/{scene.case.pk}", headers=headers).status_code == 404
    listed = client.get("/api/cases", headers=headers)
    assert listed.status_code == 200
    assert listed.json() == []


def test_item_01_case_roles_still_read_the_case(scene: SecurityScene) -> None:
    for visitor in ("support_case_worker", "support_organisation_admin"):
        page = fully_signed_in(scene, visitor).get(f"/vi/cases/{scene.case.pk}/")
        assert page.status_code == 200, visitor
    page = half_signed_in(scene, "support_case_worker").get(f"/vi/cases/{scene.case.pk}/")
    assert page.status_code == 302
