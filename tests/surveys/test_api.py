"""The survey API: token required, scoped to analysts and administrators, aggregates only."""

from __future__ import annotations

from django.test import Client

from fairpassage.core import services as core_services
from fairpassage.core.models import User
from fairpassage.surveys.models import Survey
from tests.surveys.test_pages import _processed


def _token(user: User) -> dict[str, str]:
    _token, plaintext = core_services.api_token_create(actor=None, user=user, name="t")
    return {"Authorization": f"Bearer {plaintext}"}


def test_result_over_the_api(client: Client, analyst: User, survey: Survey) -> None:
    assert client.get("/api/surveys").status_code == 401
    headers = _token(analyst)
    assert client.get(f"/api/surveys/{survey.pk}/result", headers=headers).status_code == 404
    _processed(analyst, survey)
    listing = client.get("/api/surveys", headers=headers).json()
    assert [s["id"] for s in listing] == [survey.pk]
    result = client.get(f"/api/surveys/{survey.pk}/result", headers=headers).json()
    assert result["report"]["overall"]["n"] == 2
    assert "excluded_rows" in result["report"]
    assert "Nghệ An" not in str(result)


def test_case_workers_and_outsiders_are_refused(
    client: Client, case_worker: User, survey: Survey
) -> None:
    response = client.get("/api/surveys", headers=_token(case_worker))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
