"""The tracker over the API: public reads, token-authenticated posting by member staff."""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core import services as core_services
from fairpassage.core.models import AuditEvent, Organisation, Role, User
from fairpassage.tracker.models import Consultation, Recommendation, StatusUpdate
from tests.tracker.conftest import YESTERDAY

pytestmark = pytest.mark.django_db


def _token(user: User) -> dict[str, str]:
    _t, plaintext = core_services.api_token_create(actor=None, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


def _body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "status": "in_progress",
        "date": YESTERDAY.isoformat(),
        "text": "Hotlines printed on the contract cover.",
        "evidence": ["https://example.org/contract-cover"],
    }
    body.update(overrides)
    return body


def test_consultations_list_and_detail(client: Client, seeded: Consultation) -> None:
    listed = client.get("/api/consultations").json()
    assert [c["slug"] for c in listed] == [seeded.slug]
    assert listed[0]["recommendations_count"] == 4
    assert listed[0]["participants_more_than"] is True
    detail = client.get(f"/api/consultations/{seeded.pk}").json()
    assert detail["title"]["en"] == "Consultation on Labour Migration from Viet Nam to Japan"
    assert detail["date"] == "2019-07-24"
    assert [r["current_status"] for r in detail["recommendations"]] == ["not_started"] * 4
    assert all(r["pending_proceedings"] for r in detail["recommendations"])
    missing = client.get("/api/consultations/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_recommendations_filters(
    client: Client, seeded: Consultation, users: dict[str, User]
) -> None:
    rec = seeded.recommendations.get(number="3")
    rec.addressees.create(stakeholder="government_jp")
    assert (
        client.post(
            f"/api/recommendations/{rec.pk}/updates",
            _body(status="done"),
            content_type="application/json",
            headers=_token(users["case_worker"]),
        ).status_code
        == 201
    )

    def numbers(query: str) -> list[str]:
        return [r["number"] for r in client.get(f"/api/recommendations?{query}").json()]

    assert numbers("") == ["1", "2", "3", "4"]
    assert numbers("theme=international_cooperation") == ["3"]
    assert numbers("stakeholder=government_jp") == ["3"]
    assert numbers("status=done") == ["3"]
    assert numbers("status=not_started") == ["1", "2", "4"]
    assert numbers("theme=returnee_support&status=done") == []
    bad = client.get("/api/recommendations?stakeholder=aliens")
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "stakeholder"


# Who may post through the API: the same rule as the page.
POST_MATRIX = {
    "anonymous": 401,
    "analyst": 403,
    "case_worker": 201,
    "reviewer": 201,
    "admin": 201,
    "staff": 403,
    "other_org": 201,
}


@pytest.mark.parametrize(("visitor", "expected"), POST_MATRIX.items())
def test_post_permission_matrix(
    client: Client,
    recommendation: Recommendation,
    users: dict[str, User],
    visitor: str,
    expected: int,
) -> None:
    headers = _token(users[visitor]) if visitor != "anonymous" else {}
    response = client.post(
        f"/api/recommendations/{recommendation.pk}/updates",
        _body(),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == expected, response.content
    events = AuditEvent.objects.filter(action="tracker.status_update.create")
    if expected == 201:
        body = response.json()
        update = StatusUpdate.objects.get()
        assert body["id"] == update.pk
        assert body["organisation"] == users[visitor].memberships.get().organisation.slug
        assert events.get().object_id == str(update.pk)
    else:
        assert set(response.json()) == {"error"}
        assert not StatusUpdate.objects.exists()
        assert not events.exists()


def test_posting_for_another_organisation_is_refused(
    client: Client, recommendation: Recommendation, users: dict[str, User], home_org: Organisation
) -> None:
    response = client.post(
        f"/api/recommendations/{recommendation.pk}/updates",
        _body(organisation=home_org.slug),
        content_type="application/json",
        headers=_token(users["other_org"]),
    )
    assert response.status_code == 403
    assert not StatusUpdate.objects.exists()


def test_several_memberships_must_name_the_organisation(
    client: Client, recommendation: Recommendation, users: dict[str, User], home_org: Organisation
) -> None:
    user = users["other_org"]
    core_services.membership_set(actor=None, user=user, organisation=home_org, role=Role.REVIEWER)
    headers = _token(user)
    url = f"/api/recommendations/{recommendation.pk}/updates"
    unnamed = client.post(url, _body(), content_type="application/json", headers=headers)
    assert unnamed.status_code == 422
    assert unnamed.json()["error"]["field"] == "organisation"
    named = client.post(
        url, _body(organisation=home_org.slug), content_type="application/json", headers=headers
    )
    assert named.status_code == 201
    assert named.json()["organisation_name"] == home_org.name


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"status": "finished"}, "status"), ({"evidence": ["ftp://x.example/a"]}, "evidence[0]")],
)
def test_post_validation_names_the_field(
    client: Client,
    recommendation: Recommendation,
    users: dict[str, User],
    overrides: dict[str, object],
    field: str,
) -> None:
    response = client.post(
        f"/api/recommendations/{recommendation.pk}/updates",
        _body(**overrides),
        content_type="application/json",
        headers=_token(users["case_worker"]),
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_post_to_a_missing_recommendation_is_404(client: Client, users: dict[str, User]) -> None:
    response = client.post(
        "/api/recommendations/999999/updates",
        _body(),
        content_type="application/json",
        headers=_token(users["case_worker"]),
    )
    assert response.status_code == 404
