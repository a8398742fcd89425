"""Earnings planner: minimum wage on dates, hand-computed pay and debt, findings, input errors."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fairpassage.law import InputError, plan_earnings
from fairpassage.law.earnings_minwage import DATA_DIR, TABLE_FILE, minimum_wage_table
from fairpassage.law.earnings_pay import income_tax_withholding, yen, yen_share

D = dt.date
BASE: dict[str, Any] = {
    "on": "2025-11-01",
    "prefecture": "13",
    "monthly_basic_wage": 190000,
    "scheduled_hours_per_month": 160,
    "overtime_hours_per_month": 20,
    "age": 24,
    "months_in_japan": 6,
    "deductions": {"housing": 25000, "utilities": 6000, "meals": 0},
    "debt": {"principal": {"amount": 150000000, "currency": "VND"}, "annual_interest_rate": 0.12},
    "remit_share_of_net": 0.6,
    "fx": {"JPY": 170.0},
}


def data(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def finding(report: dict[str, Any], rule: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in report["findings"] if f["rule"] == rule)
    return found


# --- minimum wage lookup -------------------------------------------------------------------


def test_minimum_wage_planned_dates_are_shown_as_such() -> None:
    table = minimum_wage_table()
    for code in ("45", "46"):
        found = table.prefecture(code)
        assert found is not None
        lookup = table.on(found, D(2026, 12, 7))
        assert lookup.row is not None and lookup.row.date_status == "planned"
        resolved = lookup.resolved(table.source)
        assert resolved.note and "planned" in resolved.note
        assert resolved.verification == "secondary"
    tokyo = table.prefecture("13")
    assert tokyo is not None and table.on(tokyo, D(2026, 12, 7)).row.date_status == "announced"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("pref", "day", "hourly", "state"),
    [
        ("13", D(2025, 10, 2), 1163, "known"),  # Tokyo: the day before its FY2025 change
        ("13", D(2025, 10, 3), 1226, "known"),  # ... and the day of it
        ("05", D(2026, 3, 30), 951, "known"),  # Akita: FY2025 rate starts only 2026-03-31
        ("05", D(2026, 3, 31), 1031, "known"),
        ("13", D(2023, 9, 30), None, "before_table"),
        ("13", D(2023, 10, 1), 1113, "known"),
        ("13", D(2026, 9, 30), 1226, "known"),
        ("13", D(2026, 10, 1), 1280, "known"),  # FY2026 (secondary source)
        ("05", D(2026, 10, 13), 1031, "known"),  # Akita: FY2026 starts 2026-10-14
        ("05", D(2026, 10, 14), 1090, "known"),
        ("45", D(2026, 12, 7), 1085, "known"),  # Miyazaki: date planned, shown in the note
        ("13", D(2027, 9, 30), 1280, "known"),
        ("13", D(2027, 10, 1), 1280, "stale"),  # the FY2027 revision may be in force
    ],
)
def test_minimum_wage_by_effective_date(
    pref: str, day: dt.date, hourly: int | None, state: str
) -> None:
    table = minimum_wage_table()
    found = table.prefecture(pref)
    assert found is not None
    lookup = table.on(found, day)
    assert (lookup.hourly_jpy, lookup.state) == (hourly, state)


@pytest.mark.parametrize("name", ["13", "Tokyo", "tokyo-to", "東京都", "東京", " TOKYO "])
def test_prefecture_by_code_or_name(name: str) -> None:
    pref = minimum_wage_table().prefecture(name)
    assert pref is not None and pref.code == "13"


def test_table_path_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for item in DATA_DIR.iterdir():
        shutil.copy(item, tmp_path / item.name)
    table_path = tmp_path / TABLE_FILE
    text = table_path.read_text("utf-8").replace(
        "13,東京都,tokyo,2025,1226,", "13,東京都,tokyo,2025,1300,"
    )
    table_path.write_text(text, "utf-8")
    report = plan_earnings(data(), "en", min_wage_dir=tmp_path)
    assert report["minimum_wage"]["hourly_jpy"] == 1300
    monkeypatch.setenv("FAIRPASSAGE_MIN_WAGE_DIR", str(tmp_path))
    assert plan_earnings(data(), "en")["minimum_wage"]["hourly_jpy"] == 1300
    monkeypatch.delenv("FAIRPASSAGE_MIN_WAGE_DIR")
    assert plan_earnings(data(), "en")["minimum_wage"]["hourly_jpy"] == 1226


# --- the planner on hand-computed cases ----------------------------------------------------


def test_issue_example_hand_computed() -> None:
    report = plan_earnings(data(), "en")
    pay = report["pay"]
    # overtime: 190000/160 = 1187.5 an hour x 1.25 x 20 h = 29687.5 -> 29688
    assert pay["overtime_pay"] == 29688
    assert pay["gross"] == 219688
    # health 10.00%/2: 10984.4 -> 10984; pension 9.15%: 20101.45 -> 20101; employment 0.55%
    assert pay["health_insurance"] == 10984
    assert pay["pension_insurance"] == 20101
    assert pay["employment_insurance"] == 1208
    assert pay["nursing_care_insurance"] == 0
    # income tax: A = 187395; deduction 0.3A + 6667 = 62885.5 -> 62886; B = 84509;
    # 84509 x 5.105% = 4314.18 -> 4310
    assert pay["income_tax"] == 4310
    assert pay["resident_tax"] == 0
    assert pay["net"] == 219688 - 32293 - 4310 - 31000 == 152085
    assert pay["remit_jpy"] == 91251
    first = report["debt"]["schedule"][0]
    assert first == {
        "month": 1,
        "date": "2025-11",
        "opening": 150000000,
        "interest": 1500000,
        "payment": 91251 * 170,
        "closing": 150000000 + 1500000 - 15512670,
    }
    assert report["debt"]["repaid"] is True
    assert report["debt"]["months_to_repay"] == 11
    assert report["debt"]["schedule"][-1]["closing"] == 0
    json.dumps(report, ensure_ascii=False)


def test_wage_below_minimum_is_a_violation_with_the_shortfall() -> None:
    f = finding(plan_earnings(data(), "en"), "JP-MINIMUM-WAGE")
    assert f["status"] == "violation"
    # (1226 - 1187.5) x (160 + 1.25 x 20) = 38.5 x 185 = 7122.5 -> 7123
    assert f["monthly_shortfall_jpy"] == 7123
    assert f["minimum_wage_jpy"] == 1226
    assert "7,123" in f["message"]
    assert f["parameters"][0]["id"] == "jp.minimum_wage.regional.13"


def test_wage_at_the_old_rate_the_day_before_the_change() -> None:
    # 1163 x 160 = 186080: lawful on 2025-10-02, below the minimum on 2025-10-03
    before = plan_earnings(data(on="2025-10-02", monthly_basic_wage=186080), "en")
    after = plan_earnings(data(on="2025-10-03", monthly_basic_wage=186080), "en")
    assert finding(before, "JP-MINIMUM-WAGE")["status"] == "compliant"
    assert finding(after, "JP-MINIMUM-WAGE")["status"] == "violation"


def test_hourly_wage_instead_of_monthly() -> None:
    report = plan_earnings(
        data(monthly_basic_wage=None, hourly_wage=1226, overtime_hours_per_month=0), "en"
    )
    assert report["pay"]["basic_wage"] == 1226 * 160
    assert finding(report, "JP-MINIMUM-WAGE")["status"] == "compliant"


def test_stale_table_gives_needs_review_or_an_at_least_violation() -> None:
    above = plan_earnings(data(on="2027-11-01", monthly_basic_wage=230000), "en")
    assert finding(above, "JP-MINIMUM-WAGE")["status"] == "needs_review"
    below = plan_earnings(data(on="2027-11-01"), "en")
    f = finding(below, "JP-MINIMUM-WAGE")
    assert f["status"] == "violation" and f["shortfall_is_minimum"] is True
    early = plan_earnings(data(on="2023-05-01"), "en")
    assert finding(early, "JP-MINIMUM-WAGE")["status"] == "needs_review"


def test_a_plan_dated_today_gets_a_verdict_from_the_fy2026_table() -> None:
    above = plan_earnings(data(on="2026-12-07", monthly_basic_wage=230000), "en")
    f = finding(above, "JP-MINIMUM-WAGE")
    assert f["status"] == "compliant" and f["minimum_wage_jpy"] == 1280
    assert not f["verified"]  # FY2026 is from a secondary source
    below = plan_earnings(data(on="2026-12-07"), "en")
    assert finding(below, "JP-MINIMUM-WAGE")["status"] == "violation"
    assert finding(below, "JP-MINIMUM-WAGE")["shortfall_is_minimum"] is False


def test_a_rate_before_its_first_entry_is_not_borrowed_from_a_later_year() -> None:
    report = plan_earnings(data(on="2023-05-01"), "en")
    f = finding(report, "JP-PAY-RATES")
    assert f["status"] == "needs_review"
    missing = {a["parameter"] for a in report["approximations"] if a["code"] == "param_missing"}
    # the employment-insurance table starts 2024-04-01: no FY2024 rate is used for 2023
    assert "jp.employment_insurance.employee_rate" in missing
    assert "jp.employment_insurance.employee_rate" in f["message"]
    assert report["pay"]["employment_insurance"] == 0
    today = plan_earnings(data(on="2026-12-07"), "en")
    assert all(f["rule"] != "JP-PAY-RATES" for f in today["findings"])


def test_debt_never_repaid_is_said_plainly() -> None:
    # remit 5% of 152085 = 7604.25 -> 7604 yen = 1292680 dong < 1500000 interest
    report = plan_earnings(data(remit_share_of_net=0.05, horizon_months=36), "vi")
    debt = report["debt"]
    assert debt["repaid"] is False and debt["never_repaid"] is True
    assert debt["horizon_months"] == 36 and len(debt["schedule"]) == 36
    assert debt["schedule"][0]["payment"] == 7604 * 170
    assert debt["balance_at_end"] > 150000000
    assert "không bao giờ" in debt["message"]


def test_interest_hand_computed_in_yen() -> None:
    report = plan_earnings(
        data(
            debt={"principal": {"amount": 100000, "currency": "JPY"}, "annual_interest_rate": 0.12}
        ),
        "en",
    )
    rows = report["debt"]["schedule"]
    assert rows[0] == {
        "month": 1,
        "date": "2025-11",
        "opening": 100000,
        "interest": 1000,
        "payment": 91251,
        "closing": 9749,
    }
    # 9749 x 1% = 97.49 -> 97; the last payment is what is owed
    assert rows[1] == {
        "month": 2,
        "date": "2025-12",
        "opening": 9749,
        "interest": 97,
        "payment": 9846,
        "closing": 0,
    }
    assert report["debt"]["total_interest"] == 1097


def test_worker_aged_40_pays_nursing_care_insurance() -> None:
    pay = plan_earnings(data(age=40), "en")["pay"]
    # 219688 x 1.59% / 2 = 1746.52 -> 1747 (more than 50 sen rounds up)
    assert pay["nursing_care_insurance"] == 1747
    # A = 219688 - 34040 = 185648; deduction 62361.4 -> 62362; B = 83286 -> 4251.75 -> 4250
    assert pay["income_tax"] == 4250
    assert plan_earnings(data(age=65), "en")["pay"]["nursing_care_insurance"] == 0


def test_age_39_turns_40_after_twelve_months() -> None:
    months = plan_earnings(data(age=39, horizon_months=24, remit_share_of_net=0.01), "en")["months"]
    assert months[11]["nursing_care_insurance"] == 0
    assert months[12]["age"] == 40 and months[12]["nursing_care_insurance"] > 0


def test_resident_tax_starts_in_june_of_the_year_after_arrival() -> None:
    months = plan_earnings(data(), "en")["months"]
    assert [m["month"] for m in months[6:8]] == ["2026-05", "2026-06"]
    assert months[6]["resident_tax"] == 0
    # 2025 income: 8 months x 219688; deduction 650000; SI 8 x 32293; taxable 419000;
    # 41900 - 2500 + 5000 = 44400 a year: 3700 a month
    assert months[7]["resident_tax"] == 3700


def test_housing_above_15_percent_for_a_trainee() -> None:
    report = plan_earnings(data(programme="titp", deductions={"housing": 30000}), "en")
    f = finding(report, "JP-TITP-HOUSING")
    assert f["status"] == "violation"
    assert (f["limit_jpy"], f["excess_jpy"]) == (28500, 1500)
    unknown = plan_earnings(data(programme="ssw", deductions={"housing": 30000}), "en")
    assert finding(unknown, "JP-TITP-HOUSING")["status"] == "not_applicable"
    no_programme = plan_earnings(data(deductions={"housing": 30000}), "en")
    assert finding(no_programme, "JP-TITP-HOUSING")["status"] == "advisory"


def test_housing_above_actual_cost_and_after_the_2026_annex() -> None:
    over_cost = plan_earnings(data(programme="titp", housing_actual_cost=20000), "en")
    f = finding(over_cost, "JP-TITP-HOUSING")
    assert f["status"] == "violation" and f["excess_jpy"] == 5000
    later = plan_earnings(data(programme="titp", on="2026-07-01"), "en")
    assert finding(later, "JP-TITP-HOUSING")["status"] == "needs_review"


@pytest.mark.parametrize(
    ("agreement", "status"), [(True, "compliant"), (False, "violation"), (None, "advisory")]
)
def test_deductions_need_a_written_agreement(agreement: bool | None, status: str) -> None:
    report = plan_earnings(data(deductions_agreement=agreement), "en")
    assert finding(report, "JP-DEDUCTIONS-AGREEMENT")["status"] == status
    none = plan_earnings(data(deductions=None), "en")
    assert finding(none, "JP-DEDUCTIONS-AGREEMENT")["status"] == "not_applicable"


def test_approximations_are_listed_in_the_output() -> None:
    report = plan_earnings(data(), "ja")
    codes = {a["code"] for a in report["approximations"]}
    assert {"income_tax", "resident_tax", "standard_remuneration"} <= codes
    # months after March 2026 use the FY2025 rates, and say so
    assumed = {a["parameter"] for a in report["approximations"] if a["code"] == "param_assumed"}
    assert "jp.social_insurance.health_rate" in assumed
    assert all(a["message"] for a in report["approximations"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"on": None}, "on"),
        ({"on": "2025-13-01"}, "on"),
        ({"prefecture": "atlantis"}, "prefecture"),
        ({"prefecture": 48}, "prefecture"),
        ({"hourly_wage": 1200}, "hourly_wage"),
        ({"monthly_basic_wage": None}, "monthly_basic_wage"),
        ({"monthly_basic_wage": -1}, "monthly_basic_wage"),
        ({"scheduled_hours_per_month": 0}, "scheduled_hours_per_month"),
        ({"overtime_hours_per_month": "many"}, "overtime_hours_per_month"),
        ({"age": 24.5}, "age"),
        ({"deductions": {"rent": 1}}, "deductions.rent"),
        ({"deductions": {"housing": -5}}, "deductions.housing"),
        ({"debt": {"principal": {"amount": 1, "currency": "dong"}}}, "debt.principal.currency"),
        ({"debt": {"annual_interest_rate": 0.1}}, "debt.principal"),
        ({"fx": None}, "fx.JPY"),
        ({"remit_share_of_net": 1.5}, "remit_share_of_net"),
        ({"remit_share_of_net": None}, "remit_share_of_net"),
        ({"programme": "student"}, "programme"),
        ({"horizon_months": 0}, "horizon_months"),
    ],
)
def test_input_errors_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        plan_earnings(data(**changes), "vi")
    assert caught.value.field == field
    assert caught.value.message("vi")
    assert caught.value.message("ja") != caught.value.message("en")


def test_bad_language() -> None:
    with pytest.raises(InputError) as caught:
        plan_earnings(data(), "fr")
    assert caught.value.field == "lang"


def test_rounding_rules() -> None:
    assert yen_share(Decimal("10.50")) == 10  # 50 sen or less: down
    assert yen_share(Decimal("10.51")) == 11
    assert yen(Decimal("10.50")) == 11
    formula = {
        "employment_deduction": {"minimum": 0, "maximum": 10**9, "brackets": [[10**9, 0, 0]]},
        "basic_deduction": 0,
        "dependant_deduction": 0,
        "tax_brackets": [[None, 0.1, 0]],
        "round_to": 10,
    }
    assert income_tax_withholding(Decimal(1050), 0, formula) == 110  # 105 -> 110
    assert income_tax_withholding(Decimal(1040), 0, formula) == 100
