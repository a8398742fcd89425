"""Platform staff manage consultations in the admin; every save is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core.models import AuditEvent, User
from fairpassage.tracker.models import Consultation
from tests.factories import login_verified

pytestmark = pytest.mark.django_db


def test_staff_add_a_consultation_with_a_recommendation(
    client: Client, users: dict[str, User]
) -> None:
    login_verified(client, users["staff"])
    assert client.get("/en/admin/tracker/consultation/add/").status_code == 200
    data = {
        "slug": "2024-tokyo",
        "title_en": "Tokyo follow-up meeting",
        "date": "2024-03-01",
        "organisers": "A network",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "recommendations-TOTAL_FORMS": "1",
        "recommendations-INITIAL_FORMS": "0",
        "recommendations-0-number": "1",
        "recommendations-0-theme": "recruitment_fees",
        "recommendations-0-text_en": "Employers pay the fees.",
        "recommendations-0-position": "0",
    }
    response = client.post("/en/admin/tracker/consultation/add/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    consultation = Consultation.objects.get(slug="2024-tokyo")
    assert consultation.recommendations.get().theme == "recruitment_fees"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"tracker.consultation.create", "tracker.recommendation.create"} <= actions


@pytest.mark.parametrize("visitor", ["analyst", "case_worker", "admin", "other_org"])
def test_members_cannot_open_the_tracker_admin(
    client: Client, users: dict[str, User], visitor: str
) -> None:
    login_verified(client, users[visitor])
    assert client.get("/en/admin/tracker/consultation/").status_code == 302
