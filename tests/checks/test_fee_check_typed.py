"""The fee-check page as a worker types it: amounts in her own way, no exchange rate, errors at the
top of the form linking to each field, and her words kept in the fields (issue 15, items 1-3)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from fairpassage.reference.services import reference_data_load
from tests.checks.test_earnings import PAGE
from tests.checks.test_views import FORM

TYPED = {**FORM, "fx_jpy": "", "wage_amount": "180.000"}
TYPED.pop("departs_on")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "ja"])
@pytest.mark.parametrize(
    ("service_fee", "deposit"), [("120.000.000", "30tr"), ("120tr", "30 triệu")]
)
def test_amounts_typed_as_people_write_them_give_a_result_without_a_rate(
    client: Client, language: str, service_fee: str, deposit: str
) -> None:
    form = {**TYPED, "payments-0-amount": service_fee, "payments-1-amount": deposit}
    response = client.post(f"/{language}/fee-check/", form)
    assert response.status_code == 200, response.context["error_summary"]
    report = response.context["report"]
    assert report["summary"]["total_paid_vnd"] == 150_000_000
    # The yen wage took the reference rate of the contract's month (June 2025), shown and dated.
    used = response.context["rates"]["used"]
    assert [(r["currency"], r["month"]) for r in used] == [("JPY", "2025-06")]
    assert report["monthly_basic_wage_vnd"] == round(180_000 * used[0]["vnd_per_unit"])
    html = response.content.decode()
    assert 'id="rates-used"' in html
    assert ("06/2025" if language == "vi" else "2025年6月") in html
    # What she typed stays in the field exactly as typed.
    assert f'value="{service_fee}"' in html


@pytest.mark.django_db
def test_a_typed_rate_wins_over_the_table(client: Client) -> None:
    response = client.post("/vi/fee-check/", {**TYPED, "fx_jpy": "170"})
    assert response.status_code == 200
    assert response.context["rates"]["used"] == []
    assert response.context["report"]["monthly_basic_wage_vnd"] == 180_000 * 170


@pytest.mark.django_db
def test_a_month_after_the_table_uses_its_last_month_and_says_so(client: Client) -> None:
    response = client.post("/en/fee-check/", {**TYPED, "signed_on": "2026-11-02"})
    assert response.status_code == 200
    (used,) = response.context["rates"]["used"]
    assert used["wanted"] == "2026-11" and used["after_table"] and used["month"] < "2026-11"
    assert "no rate yet for 11/2026" in response.content.decode()


@pytest.mark.django_db
def test_a_verdict_that_turns_within_five_percent_of_the_rate_is_flagged(client: Client) -> None:
    # 3 months of wage at ~173 dong/yen is ~93.5 M: 92 M paid is within the cap, but not at -5 %.
    form = {**TYPED, "payments-0-amount": "92.000.000", "payments-1-amount": ""}
    form["payments-1-label"] = ""
    response = client.post("/en/fee-check/", form)
    assert response.status_code == 200
    sensitive = response.context["rates"]["sensitive"]
    assert any(s["status"] != s["lower"] for s in sensitive)
    assert "The result depends on the exchange rate." in response.content.decode()


@pytest.mark.django_db
def test_an_ambiguous_amount_is_asked_about_in_a_summary_at_the_top(client: Client) -> None:
    form = {**TYPED, "payments-0-amount": "120,5", "contract_months": ""}
    response = client.post("/vi/fee-check/", form)
    assert response.status_code == 422
    html = response.content.decode()
    summary = html.index('id="error-summary"')
    assert summary < html.index("<h1") and summary < html.index('id="fee-check-form"')
    assert "autofocus" in html[summary - 200 : summary + 300]
    assert 'href="#id_payments-0-amount"' in html and 'href="#id_contract_months"' in html
    assert 'value="120,5"' in html and 'value="30000000"' in html
    # Each message is tied to its field: the ids named by aria-describedby exist.
    field = re.search(r'<input[^>]*name="payments-0-amount"[^>]*>', html)
    assert field is not None
    described = re.search(r'aria-describedby="([^"]+)"', field.group(0))
    assert described is not None
    for ident in described.group(1).split():
        assert f'id="{ident}"' in html
    assert "“120,5”" in html


@pytest.mark.django_db
def test_a_currency_written_in_the_amount_is_used_or_a_contradiction_asked(client: Client) -> None:
    used = client.post(
        "/en/fee-check/", {**TYPED, "fx_jpy": "170", "payments-1-amount": "¥100,000"}
    )
    assert used.status_code == 200
    assert used.context["engagement_json"].count('"currency": "JPY"') == 2
    refused = client.post(
        "/en/fee-check/", {**TYPED, "wage_amount": "180.000 đ", "wage_currency": "USD"}
    )
    assert refused.status_code == 422
    assert "chosen is $ (USD)" in refused.content.decode()


@pytest.mark.django_db
def test_the_earnings_page_reads_amounts_as_people_write_them(client: Client) -> None:
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    plain = client.post("/vi/earnings/", PAGE)
    typed = client.post(
        "/vi/earnings/",
        {**PAGE, "wage_amount": "19万円", "housing": "25.000", "debt_amount": "150 triệu"},
    )
    assert plain.status_code == typed.status_code == 200
    assert typed.context["plan"] == plain.context["plan"]
    assert 'value="150 triệu"' in typed.content.decode()
    refused = client.post("/en/earnings/", {**PAGE, "housing": "25.000 đ"})
    assert refused.status_code == 422
    assert "housing" in refused.context["form"].errors
