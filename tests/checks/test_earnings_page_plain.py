"""The earnings page as a worker reads it: the prefecture is asked, never assumed; the debt is
weighed against the contract; the chart has labelled axes; no parameter ids, JSON or file paths
(issue 15, item 7)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from fairpassage.law import plan_earnings
from fairpassage.reference.services import reference_data_load
from tests.checks.test_earnings import EXAMPLE, PAGE, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference() -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)


def test_the_prefecture_starts_empty_and_a_skipped_one_is_an_error(client: Client) -> None:
    html = client.get("/vi/earnings/").content.decode()
    select = html[html.index('name="prefecture"') :]
    first = re.search(r"<option[^>]*>", select)
    assert first is not None and 'value=""' in first.group(0)
    response = client.post("/en/earnings/", {**PAGE, "prefecture": ""})
    assert response.status_code == 422
    assert "prefecture" in response.context["form"].errors
    assert 'id="id_prefecture_error"' in response.content.decode()


def test_the_api_refuses_a_plan_without_prefecture(client: Client) -> None:
    body = {k: v for k, v in EXAMPLE.items() if k != "prefecture"}
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "prefecture"
    assert post(client, {**EXAMPLE, "prefecture": ""}).status_code == 422


def test_the_api_weighs_the_debt_against_the_contract(client: Client) -> None:
    plan = post(client, {**EXAMPLE, "contract_months": 6}).json()
    assert plan["debt"]["contract_months"] == 6
    assert plan["debt"]["outlasts_contract"] is True


def test_a_debt_outlasting_the_contract_is_flagged_on_the_page(client: Client) -> None:
    needed = plan_earnings(dict(EXAMPLE), "en")["debt"]["months_to_repay"]
    assert needed and needed > 4
    html = client.post("/vi/earnings/", {**PAGE, "contract_months": str(needed - 4)}).content
    text = html.decode()
    verdict = text.index("contract-verdict")
    assert "status-violation" in text[verdict - 60 : verdict]
    assert f"{needed - 4} tháng" in text[verdict : verdict + 400]
    assert text.index("contract-verdict") < text.index("<svg")
    assert 'class="contract-end"' in text


def test_the_chart_has_months_and_amounts_on_its_axes(client: Client) -> None:
    text = client.post("/vi/earnings/", PAGE).content.decode()
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert len(re.findall(r'class="tick x-tick"[^>]*>\d+<', svg)) >= 2
    assert len(re.findall(r'class="tick y-tick"[^>]*>[\d.,]+<', svg)) == 3
    assert "triệu đồng" in text or "million dong" in text
    assert not re.search(r'(x|y)\d?="\d+,\d', svg), "SVG numbers are written with a dot"


@pytest.mark.parametrize("lang", ["vi", "ja"])
def test_no_parameter_ids_json_or_file_paths_on_the_page(client: Client, lang: str) -> None:
    # a date after rates changed with no known new value: the plan falls back and says so
    text = client.post(f"/{lang}/earnings/", {**PAGE, "on": "2026-06-01"}).content.decode()
    body = text[text.index("<main") : text.index("</main>")]
    assert "data/jp-prefectures-min-wage" not in body
    assert not re.search(r"\bjp\.[a-z_]+\.[a-z_]+", body), "no parameter id"
    assert "{&quot;" not in body and '{"' not in body, "no JSON"
