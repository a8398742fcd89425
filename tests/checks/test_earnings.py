"""The earnings planner over the API, the command line and the page."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from fairpassage.cli import main
from fairpassage.reference.services import reference_data_load
from tests.law.test_earnings import BASE

EXAMPLE = BASE  # the example, as the engine's own tests use it
PAGE = {
    "on": "2025-11-01",
    "prefecture": "13",
    "wage_amount": "190000",
    "wage_kind": "monthly",
    "scheduled_hours": "160",
    "overtime_hours": "20",
    "age": "24",
    "months_in_japan": "6",
    "housing": "25000",
    "utilities": "6000",
    "debt_amount": "150000000",
    "debt_currency": "VND",
    "interest_rate": "12",
    "remit_share": "60",
    "fx_jpy": "170",
}


def post(client: Client, body: Any, lang: str = "en") -> Any:
    return client.post(
        "/api/earnings",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Accept-Language": lang},
    )


@pytest.mark.django_db
def test_api_plan_matches_the_command_line(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    response = post(client, EXAMPLE)
    assert response.status_code == 200
    plan = response.json()
    # Tokyo's minimum from 2025-10-03 is 1,226 yen; 190,000 / 160 h = 1,187.5 yen: underpaid.
    minimum = next(f for f in plan["findings"] if f["rule"] == "JP-MINIMUM-WAGE")
    assert minimum["status"] == "violation"
    assert plan["pay"]["net"] < plan["pay"]["gross"]
    assert plan["debt"]["repaid"] is True and plan["debt"]["months_to_repay"] > 1
    assert plan["approximations"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(EXAMPLE), "utf-8")
    assert main(["earnings", str(path), "--lang", "en"]) == 0
    assert json.loads(capsys.readouterr().out) == plan


@pytest.mark.django_db
def test_api_names_the_field(client: Client) -> None:
    body = copy.deepcopy(EXAMPLE)
    del body["fx"]
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["field"].startswith(("fx", "debt"))
    body = copy.deepcopy(EXAMPLE)
    body["age"] = 5
    assert post(client, body).json()["error"]["field"] == "age"


def test_cli_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({**EXAMPLE, "prefecture": "atlantis"}), "utf-8")
    assert main(["--lang", "en", "earnings", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "prefecture" in err


@pytest.mark.django_db
def test_page_plans_and_draws_the_debt(client: Client) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    response = client.post("/vi/earnings/", PAGE)
    assert response.status_code == 200, response.context["form"].errors
    html = response.content.decode()
    assert "<polyline" in html
    assert "¥" in html
    assert "JP-MINIMUM-WAGE" in html


@pytest.mark.django_db
def test_page_error_next_to_the_field(client: Client) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    # A debt in dollars needs the dollar's rate too: typed as nonsense, it is refused by name.
    response = client.post("/en/earnings/", {**PAGE, "debt_currency": "USD", "fx_jpy": "-1"})
    assert response.status_code == 422
    assert response.context["form"].errors["fx_jpy"]


@pytest.mark.django_db
def test_fee_check_total_carries_over(client: Client) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    html = client.get("/vi/earnings/?debt_amount=150000000&on=2025-06-01").content.decode()
    assert 'value="150000000"' in html and 'value="2025-06-01"' in html
