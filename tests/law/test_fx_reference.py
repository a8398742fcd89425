"""The reference exchange-rate table: the month's rate, never a silent substitute, typed rates
win, and a verdict that turns within 5 % of the rate is found."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import Any

from fairpassage import law
from fairpassage.law.fx_reference import RATES_FILE, fill_reference_rates, reference_rate

CHECK: dict[str, Any] = {
    "programme": "titp",
    "stage": "titp1",
    "prior": "none",
    "contract_months": 36,
    "monthly_basic_wage": {"amount": 180000, "currency": "JPY"},
    "signed_on": "2025-06-01",
    "payments": [{"label": "phi dich vu", "amount": 92000000, "currency": "VND"}],
}


def _row(month: str) -> dict[str, str]:
    with RATES_FILE.open(encoding="utf-8", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r["month"] == month)


def test_the_rate_of_the_month_comes_from_the_shipped_table() -> None:
    rate = reference_rate("JPY", dt.date(2025, 6, 17))
    assert rate is not None
    assert rate.vnd_per_unit == Decimal(_row("2025-06")["vnd_per_jpy"])
    assert (rate.month, rate.substituted, rate.after_table) == ("2025-06", False, False)
    usd = reference_rate("USD", dt.date(2019, 1, 2))
    assert usd is not None and usd.vnd_per_unit == Decimal(_row("2019-01")["vnd_per_usd"])


def test_a_month_the_table_lacks_is_substituted_openly() -> None:
    gap = reference_rate("JPY", dt.date(2025, 8, 10))  # the source has no 2025-08
    assert gap is not None and gap.month == "2025-07" and gap.substituted
    assert not gap.after_table
    late = reference_rate("USD", dt.date(2026, 12, 1))
    assert late is not None and late.month == "2025-10" and late.after_table
    assert late.as_dict()["wanted"] == "2026-12"
    assert reference_rate("JPY", dt.date(2018, 12, 31)) is None
    assert reference_rate("EUR", dt.date(2025, 6, 1)) is None


def test_fill_keeps_a_typed_rate_and_fills_only_what_is_missing() -> None:
    typed = {**CHECK, "fx": {"JPY": 170}}
    assert fill_reference_rates(typed) == (typed, [])
    with_dollars = {
        **CHECK,
        "fx": {"JPY": 170},
        "payments": [*CHECK["payments"], {"label": "ve", "amount": 500, "currency": "USD"}],
    }
    filled, used = fill_reference_rates(with_dollars)
    assert filled["fx"]["JPY"] == 170 and [r.currency for r in used] == ["USD"]
    assert "fx" not in with_dollars or with_dollars["fx"] == {"JPY": 170}  # input untouched


def test_a_japan_check_without_a_rate_runs_on_the_table() -> None:
    filled, used = fill_reference_rates(CHECK)
    report = law.check_fees(filled, "vi")
    assert report["monthly_basic_wage_vnd"] == round(180000 * used[0].vnd_per_unit)


def test_a_verdict_within_five_percent_of_the_rate_is_reported() -> None:
    filled, _used = fill_reference_rates(CHECK)
    report = law.check_fees(filled, "en")
    changes = law.sensitive_findings(filled, report, lambda data: law.check_fees(data, "en"))
    cap = next(c for c in changes if c["rule"] == "VN-SERVICE-FEE-CAP")
    assert (cap["status"], cap["lower"], cap["higher"]) == ("compliant", "violation", "compliant")
    far = {**filled, "payments": [{"label": "phi dich vu", "amount": 50000000, "currency": "VND"}]}
    far_report = law.check_fees(far, "en")
    assert law.sensitive_findings(far, far_report, lambda d: law.check_fees(d, "en")) == []
