"""The routes comparison: the API and the page give the same data for a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from fairpassage import law


@pytest.mark.django_db
@pytest.mark.parametrize("on", ["2019-06-01", "2024-06-01", "2027-05-01", "2028-12-31"])
def test_api_returns_the_engine_data(client: Client, on: str) -> None:
    response = client.get(f"/api/pathways?on={on}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.json() == law.pathways_on(dt.date.fromisoformat(on), "en")
    assert set(response.json()["routes"]) == {"titp", "ssw", "esd"}


@pytest.mark.django_db
def test_api_rejects_a_bad_date(client: Client) -> None:
    response = client.get("/api/pathways?on=31-12-2027")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "on"


@pytest.mark.django_db
def test_page_side_by_side_with_a_chosen_field(client: Client) -> None:
    html = client.get("/en/pathways/?on=2027-05-01&field=nursing_care").content.decode()
    for route in ("route-titp", "route-ssw", "route-esd"):
        assert f'id="{route}"' in html
    assert "Nursing care is open on this route." in html
    assert "The steps, in order" in html and 'class="steps"' in html
    assert "/fee-check/" in html and "/earnings/" in html


@pytest.mark.django_db
def test_esd_is_not_in_force_before_april_2027(client: Client) -> None:
    before = law.pathways_on(dt.date(2027, 3, 31), "en")["routes"]["esd"]
    after = law.pathways_on(dt.date(2027, 4, 1), "en")["routes"]["esd"]
    assert before["facts"]["status"] != "in_force"
    assert after["facts"]["status"] == "in_force"
    page = client.get("/en/pathways/?on=2027-03-31").content.decode()
    assert "In force" not in page.split('id="route-esd"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_page_bad_date_is_a_clear_error(client: Client) -> None:
    response = client.get("/en/pathways/?on=tomorrow")
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.content.decode()
