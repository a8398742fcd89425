"""The API root: health, token authentication, one error shape, the committed schema."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fairpassage.core import services
from fairpassage.core.models import ApiToken, Organisation, User


@pytest.mark.django_db
def test_health_reports_database_and_version(client: Client) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database", "version")} == {
        "status": "ok",
        "database": "ok",
        "version": "0.1.0",
    }
    assert body["queue"]["failed_last_hour"] == 0


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_me_needs_a_token(client: Client) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "not_authenticated"
    assert body["error"]["message"]


@pytest.mark.django_db
def test_me_with_token(
    client: Client, api_token: str, member: User, organisation: Organisation
) -> None:
    response = client.get("/api/me", headers=_bearer(api_token))
    assert response.status_code == 200
    assert response.json() == {
        "username": member.username,
        "platform_staff": False,
        "memberships": [
            {
                "organisation": organisation.slug,
                "organisation_name": organisation.name,
                "role": "case_worker",
            }
        ],
    }
    assert not ApiToken.objects.filter(key_hash__contains=api_token).exists()


@pytest.mark.django_db
def test_revoked_or_wrong_token_is_refused(client: Client, api_token: str) -> None:
    assert client.get("/api/me", headers=_bearer(api_token + "x")).status_code == 401
    services.api_token_revoke(actor=None, token=ApiToken.objects.get())
    assert client.get("/api/me", headers=_bearer(api_token)).status_code == 401


@pytest.mark.django_db
def test_inactive_user_token_is_refused(client: Client, api_token: str, member: User) -> None:
    member.is_active = False
    member.save()
    assert client.get("/api/me", headers=_bearer(api_token)).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "word"), [("vi", "API"), ("ja", "API"), ("en", "no API")])
def test_unknown_api_path_is_a_translated_json_404(
    client: Client, language: str, word: str
) -> None:
    response = client.get("/api/no-such-thing", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    posted = Client(enforce_csrf_checks=True).post(
        "/api/no-such-thing", data="{}", content_type="application/json"
    )
    assert posted.status_code == 404 and posted.json()["error"]["code"] == "not_found"
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert word in error["message"]


@pytest.mark.django_db
def test_error_messages_follow_the_requested_language(client: Client) -> None:
    english = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    vietnamese = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="vi").json()["error"]["message"]
    japanese = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="ja").json()["error"]["message"]
    assert len({english, vietnamese, japanese}) == 3


def test_openapi_is_served_and_lists_the_operations(client: Client) -> None:
    schema = json.loads(client.get("/api/openapi.json").content)
    assert schema["info"]["title"] == "Fair Passage API"
    assert {"/api/health", "/api/me"} <= set(schema["paths"])
    security = schema["components"]["securitySchemes"]
    assert security["TokenAuth"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_text_with_a_nul_character_is_refused_naming_the_field(client: Client) -> None:
    grievance = {
        "where_now": "JP",
        "categories": ["wages"],
        "stage": "in_japan",
        "statement": "unpaid\u0000",
        "idempotency_key": "nul-character-test-0001",
    }
    response = client.post("/api/grievances", json.dumps(grievance), "application/json")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "statement"
    grievance["statement"] = "unpaid"
    grievance["categories"] = ["wages", "x\u0000"]
    response = client.post("/api/grievances", json.dumps(grievance), "application/json")
    assert response.json()["error"]["field"] == "categories[1]"
    response = client.get("/api/agencies", {"q": "Sao\u0000Mai"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "q"
    for path in ("/api/agencies/sao%00mai", "/api/agencies/sao%0Amai", "/api/articles/a%0A"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    response = client.post("/api/agencies/sao%0Amai/reports", "{}", "application/json")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
