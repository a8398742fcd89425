"""Public grievance pages without JavaScript, the urgent path, rate limiting, statistics, API."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from fairpassage.cases import codes, returns
from fairpassage.cases import demo as cases_demo
from fairpassage.cases.models import Case
from fairpassage.cli import main as cli_main
from fairpassage.core import demo as core_demo
from tests.cases.conftest import World, file_grievance
from tests.factories import login_verified

pytestmark = pytest.mark.django_db

FORM = {
    "where_now": "JP",
    "categories": ["wages", "hours"],
    "stage": "in_japan",
    "statement": "Không được trả lương làm thêm",
}


def _key(client: Client, prefix: str = "vi") -> str:
    html = client.get(f"/{prefix}/grievance/").content.decode()
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize(
    ("prefix", "text"), [("vi", "Báo cáo"), ("ja", "報告"), ("en", "Report a problem")]
)
def test_form_in_three_languages_shows_emergency_numbers(
    client: Client, prefix: str, text: str
) -> None:
    html = client.get(f"/{prefix}/grievance/").content.decode()
    assert f'<html lang="{prefix}">' in html
    for number in ("110", "119", "113", "115"):
        assert f'href="tel:{number}"' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_retried_post_returns_the_same_case_and_code(client: Client, world: World) -> None:
    data = {**FORM, "idempotency_key": _key(client)}
    first = client.post("/vi/grievance/", data)
    second = client.post("/vi/grievance/", data)
    assert first.status_code == second.status_code == 200
    code = re.search(r'id="tracking-code"><code>([^<]+)<', first.content.decode())
    assert code is not None
    assert code.group(1) in second.content.decode()
    assert Case.objects.count() == 1
    assert Case.objects.get().organisation == world.jp


def test_urgent_case_shows_emergency_contacts_and_tops_the_queue(
    client: Client, world: World
) -> None:
    file_grievance(where_now="JP")
    response = client.post(
        "/vi/grievance/", {**FORM, "urgent": "on", "idempotency_key": _key(client)}
    )
    assert 'class="emergency"' in response.content.decode()
    urgent = Case.objects.get(urgent=True)
    login_verified(client, world.user("jp", "case_worker"))
    html = client.get("/vi/cases/").content.decode()
    calm = Case.objects.get(urgent=False)
    assert html.index(urgent.reference) < html.index(calm.reference)


def test_invalid_form_keeps_the_input_and_names_the_field(client: Client, world: World) -> None:
    response = client.post(
        "/vi/grievance/", {**FORM, "categories": [], "idempotency_key": _key(client)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Không được trả lương làm thêm" in html
    assert 'role="alert"' in html


def test_rate_limit_answers_429_translated(client: Client, world: World, settings: Any) -> None:
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 2, "track": 2, "message": 2}
    statuses = [
        client.post("/en/grievance/", {**FORM, "idempotency_key": _key(client, "en")}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    limited = client.post("/vi/grievance/", {**FORM, "idempotency_key": _key(client)})
    assert limited.status_code == 429 and 'role="alert"' in limited.content.decode()
    api = client.post(
        "/api/grievances", {**FORM, "idempotency_key": "k" * 20}, content_type="application/json"
    )
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"


def test_track_page_shows_status_and_takes_messages(client: Client, world: World) -> None:
    case, code = file_grievance()
    assert codes.display(code) not in client.get("/vi/grievance/track/").content.decode()
    page = client.post("/vi/grievance/track/", {"code": code.lower(), "body": "Tôi cần giúp đỡ"})
    assert page.status_code == 200 and "Tôi cần giúp đỡ" in page.content.decode()
    assert case.messages.count() == 1
    missing = client.post("/vi/grievance/track/", {"code": "0" * 20})
    assert missing.status_code == 404


def test_statistics_suppress_cells_under_five(client: Client, world: World) -> None:
    for _ in range(5):
        file_grievance(categories=["wages"])
    file_grievance(categories=["visa"])
    html = client.get("/en/grievance/statistics/").content.decode()
    assert "<svg" in html
    assert ">5<" in html  # five wage grievances shown
    assert "fewer than 5" in html  # the single visa grievance is suppressed
    assert 'Visa status</td><td class="num">fewer than 5' in html
    assert ">1<" not in html


def test_api_grievance_is_idempotent_by_header_and_tracks(client: Client, world: World) -> None:
    headers = {"Idempotency-Key": "api-key-0123456789abcdef"}
    first = client.post("/api/grievances", FORM, content_type="application/json", headers=headers)
    again = client.post("/api/grievances", FORM, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    changed = client.post(
        "/api/grievances",
        {**FORM, "statement": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 409
    code = first.json()["tracking_code"]
    assert (
        client.post(
            "/api/grievances/track/messages",
            {"code": code, "body": "hello"},
            content_type="application/json",
        ).status_code
        == 201
    )
    status = client.post(
        "/api/grievances/track", {"code": code}, content_type="application/json"
    ).json()
    assert status["status"] == "intake" and status["messages"][0]["body"] == "hello"
    bad = client.post("/api/grievances", {**FORM, "stage": "moon"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "stage"


def test_reminders_command_lists_claims_due(world: World, capsys: Any) -> None:
    case, _code = file_grievance()
    returns.claim_add(
        actor=world.user("vn", "case_worker"),
        case=case,
        kind="unpaid_wages",
        due_on=dt.date(2026, 5, 1),
    )
    assert cli_main(["cases", "reminders", "--days", "30", "--today", "2026-04-20"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["kind"] for c in out["claims"]] == ["unpaid_wages"] and out["claims"][0][
        "days_left"
    ] == 11
    assert cli_main(["cases", "reminders", "--today", "20-04-2026"]) == 2


def test_demo_cases_are_created_once(tmp_path: Any, settings: Any) -> None:
    core_demo.demo_create(actor=None, passwords_file=tmp_path / "demo.json")
    cases_demo.demo_create()
    cases_demo.demo_create()
    assert Case.objects.count() == len(cases_demo.DEMO_GRIEVANCES)
    assert Case.objects.filter(organisation__slug="demo-osaka-union", urgent=True).exists()
