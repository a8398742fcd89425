"""The earnings page needs no exchange rate for a debt in dong (issue 15, items 2 and 7): it
takes the reference rate of the month the plan starts from, shows it with its month and source,
and a rate the worker types wins. The API still asks for the rate (its contract is unchanged)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client

from fairpassage.law.fx_reference import reference_rate
from fairpassage.reference.services import reference_data_load
from tests.checks.test_earnings import PAGE


@pytest.fixture
def prefectures() -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "month"), [("vi", "11/2025"), ("ja", "2025年11月")])
def test_a_debt_in_dong_without_a_rate_takes_the_reference_rate_of_the_month(
    client: Client, prefectures: None, language: str, month: str
) -> None:
    response = client.post(f"/{language}/earnings/", {**PAGE, "fx_jpy": ""})
    assert response.status_code == 200, response.context["form"].errors
    (used,) = response.context["rates"]["used"]
    expected = reference_rate("JPY", dt.date(2025, 11, 1))
    assert expected is not None
    assert (used["currency"], used["month"]) == ("JPY", expected.month)
    plan = response.context["plan"]
    assert plan["debt"]["present"] and plan["debt"]["months_to_repay"]
    html = response.content.decode()
    assert 'id="rates-used"' in html and month in html
    assert "IMF" in html or "International Monetary Fund" in html or "国際通貨基金" in html


@pytest.mark.django_db
def test_a_typed_rate_wins_over_the_reference_rate(client: Client, prefectures: None) -> None:
    typed = client.post("/vi/earnings/", PAGE)  # fx_jpy 170
    assert typed.status_code == 200
    assert typed.context["rates"]["used"] == []
    table = client.post("/vi/earnings/", {**PAGE, "fx_jpy": ""})
    (used,) = table.context["rates"]["used"]
    assert json.loads(typed.context["plan_json"])["fx"] == {"JPY": 170}
    assert json.loads(table.context["plan_json"])["fx"] == {"JPY": used["vnd_per_unit"]}
    assert 'id="rates-used"' not in typed.content.decode()
