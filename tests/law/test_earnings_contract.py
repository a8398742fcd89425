"""The debt against the contract's length, and a prefecture that is never assumed (issue 15,
item 7)."""

from __future__ import annotations

from typing import Any

import pytest

from fairpassage.law import InputError, plan_earnings
from tests.law.test_earnings import data


def _debt_taking(months: int, **changes: Any) -> dict[str, Any]:
    """Input whose interest-free yen debt is repaid in exactly ``months`` months."""
    probe = plan_earnings(
        data(
            debt={"principal": {"amount": 10**9, "currency": "JPY"}, "annual_interest_rate": 0},
            **changes,
        ),
        "en",
    )
    paid = sum(row["payment"] for row in probe["debt"]["schedule"][: months - 1])
    return data(
        debt={"principal": {"amount": paid + 1, "currency": "JPY"}, "annual_interest_rate": 0},
        **changes,
    )


def test_a_40_month_debt_on_a_36_month_contract_is_flagged() -> None:
    report = plan_earnings({**_debt_taking(40), "contract_months": 36}, "vi")
    debt = report["debt"]
    assert debt["months_to_repay"] == 40
    assert debt["contract_months"] == 36 and debt["contract_months_from"] == "input"
    assert debt["outlasts_contract"] is True
    left = next(r["closing"] for r in debt["schedule"] if r["month"] == 36)
    assert left > 0
    assert "36 tháng" in debt["contract_message"] and "40 tháng" in debt["contract_message"]
    assert f"{left:,}".replace(",", ".") in debt["contract_message"]


def test_a_debt_repaid_within_the_contract_is_said_so() -> None:
    report = plan_earnings({**_debt_taking(30), "contract_months": 36}, "en")
    assert report["debt"]["outlasts_contract"] is False
    assert "before your 36-month contract ends" in report["debt"]["contract_message"]


def test_the_programme_gives_the_usual_length() -> None:
    report = plan_earnings({**_debt_taking(40), "programme": "titp"}, "en")
    assert report["debt"]["contract_months"] == 36
    assert report["debt"]["contract_months_from"] == "programme"
    assert report["debt"]["outlasts_contract"] is True
    assert report["input"]["contract_months"] == 36


def test_a_debt_never_repaid_outlasts_any_contract() -> None:
    report = plan_earnings(data(remit_share_of_net=0.05, contract_months=36), "en")
    assert report["debt"]["never_repaid"] is True
    assert report["debt"]["outlasts_contract"] is True
    assert "still owe" in report["debt"]["contract_message"]


def test_without_a_contract_length_no_verdict_is_guessed() -> None:
    report = plan_earnings(data(), "en")
    assert report["debt"]["contract_months"] is None
    assert report["debt"]["outlasts_contract"] is None
    assert "length of your contract" in report["debt"]["contract_message"]


def test_the_schedule_covers_a_contract_longer_than_the_horizon() -> None:
    report = plan_earnings(
        data(remit_share_of_net=0.05, horizon_months=12, contract_months=24), "en"
    )
    assert len(report["debt"]["schedule"]) == 24


@pytest.mark.parametrize("value", [0, 601, "x"])
def test_a_bad_contract_length_names_the_field(value: Any) -> None:
    with pytest.raises(InputError) as error:
        plan_earnings(data(contract_months=value), "en")
    assert error.value.field == "contract_months"


@pytest.mark.parametrize("prefecture", [None, ""])
def test_a_missing_prefecture_is_refused_never_assumed(prefecture: str | None) -> None:
    with pytest.raises(InputError) as error:
        plan_earnings(data(prefecture=prefecture), "en")
    assert error.value.field == "prefecture"
