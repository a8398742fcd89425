"""POST /api/fee-checks: the issue's example, the same JSON as the command line, 422s."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from fairpassage.checks.models import FeeCheck
from fairpassage.cli import main
from fairpassage.core.models import AuditEvent


def post(client: Client, body: Any, lang: str = "en") -> Any:
    return client.post(
        "/api/fee-checks",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Accept-Language": lang},
    )


@pytest.mark.django_db
def test_issue_example(client: Client, example: dict[str, Any]) -> None:
    response = post(client, example)
    assert response.status_code == 200
    report = response.json()
    cap = next(f for f in report["findings"] if f["rule"] == "VN-SERVICE-FEE-CAP")
    assert (cap["status"], cap["limit_vnd"], cap["excess_vnd"]) == (
        "violation",
        91_800_000,
        28_200_000,
    )
    assert cap["basis"][0]["instrument"] == "Law 69/2020/QH14"
    deposit = next(i for i in report["items"] if i["label"] == "tien coc")
    assert (deposit["category"], deposit["category_source"]) == ("deposit", "inferred")
    assert any(
        f["rule"] == "VN-WORKER-DEPOSIT-JAPAN" and f["status"] == "violation"
        for f in report["findings"]
    )
    assert report["summary"]["total_paid_vnd"] == 150_000_000
    # Nothing is stored by the public check.
    assert not FeeCheck.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_api_returns_what_the_command_line_prints(
    client: Client, example: dict[str, Any], tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "engagement.json"
    path.write_text(json.dumps(example), "utf-8")
    assert main(["check-fees", str(path), "--lang", "ja"]) == 0
    assert post(client, example, "ja").json() == json.loads(capsys.readouterr().out)


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "word"), [("vi", "tỷ giá"), ("ja", "為替"), ("en", "exchange")])
def test_missing_rate_is_a_422_naming_the_currency(
    client: Client, example: dict[str, Any], lang: str, word: str
) -> None:
    del example["fx"]
    response = post(client, example, lang)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "fx.JPY"
    assert word in error["message"].lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda e: e.update(contract_months=0), "contract_months"),
        (lambda e: e["payments"][1].update(amount=-1), "payments[1].amount"),
        (lambda e: e["payments"][0].update(category="gift"), "payments[0].category"),
        (lambda e: e.update(signed_on="01/06/2025"), "signed_on"),
        (lambda e: e.pop("programme"), "programme"),
        (lambda e: e["payments"][1].pop("label"), "payments[1].label"),
    ],
)
def test_invalid_input_names_the_field(
    client: Client, example: dict[str, Any], change: Any, field: str
) -> None:
    change(example)
    response = post(client, example)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


@pytest.mark.django_db
def test_body_that_is_not_json_is_a_4xx(client: Client) -> None:
    response = client.post("/api/fee-checks", data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "error" in response.json()
