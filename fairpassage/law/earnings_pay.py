"""Japanese monthly pay: overtime, social insurance, income tax, resident tax, net pay.

Money is :class:`~decimal.Decimal`; every reported line is whole yen:

* wages and overtime pay: half up to the yen (``ROUND_HALF_UP``);
* employee social-insurance shares (health, long-term care, pension, employment): 50 sen or less
  rounded down, more than 50 sen up (``ROUND_HALF_DOWN``), the rule for shares deducted from pay;
* income tax: the computer formula's result rounded half up to 10 yen; the employment income
  deduction rounded up to the yen;
* resident tax: taxable income rounded down to 1,000 yen, the income levy down to 100 yen; the
  annual tax is split into 12 instalments rounded down to 100 yen, the remainder in June.

Every rate is read from the dated parameters (``params/jp/*.yaml``) on the month's date through a
:class:`RateBook`, which records every fallback as an approximation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from fairpassage.law.earnings_input import EarningsInput
from fairpassage.law.params import ParameterStore, Resolved

HEALTH = "jp.social_insurance.health_rate"
NURSING = "jp.social_insurance.nursing_care_rate"
PENSION = "jp.social_insurance.pension_rate"
EMPLOYMENT = "jp.employment_insurance.employee_rate"
OVERTIME = "jp.lsa.overtime_premium"
INCOME_TAX = "jp.income_tax.monthly_withholding"
RESIDENT_TAX = "jp.resident_tax.approximation"
PAY_PARAMS = (HEALTH, NURSING, PENSION, EMPLOYMENT, OVERTIME, INCOME_TAX, RESIDENT_TAX)

ONE = Decimal(1)


def yen(amount: Decimal) -> int:
    """Half up to a whole yen."""
    return int(amount.quantize(ONE, rounding=ROUND_HALF_UP))


def yen_share(amount: Decimal) -> int:
    """An employee's insurance share: 50 sen or less down, more than 50 sen up."""
    return int(amount.quantize(ONE, rounding=ROUND_HALF_DOWN))


def _floor_to(amount: Decimal, step: int) -> int:
    return int((amount / step).quantize(ONE, rounding=ROUND_FLOOR)) * step


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class Fallback:
    param_id: str
    on: dt.date
    since: dt.date | None  # start of the period whose value is unknown
    used_since: dt.date | None  # the entry whose value was used instead (None: nothing used)
    value: Any


@dataclass
class RateBook:
    """Parameter values on a date; unknown periods fall back to the last known value, recorded."""

    store: ParameterStore
    fallbacks: dict[tuple[str, dt.date | None], Fallback] = field(default_factory=dict)
    used: dict[str, Resolved] = field(default_factory=dict)

    def get(self, param_id: str, on: dt.date) -> Any:
        param = self.store.get(param_id)
        resolved = param.value_on(on)
        self.used.setdefault(param_id, resolved)
        if resolved.known:
            return resolved.value
        # an unknown period uses the last known value (and says so); before the first entry
        # nothing is borrowed from a later year: the line is left out and the plan says so
        earlier = [e for e in param.entries if e.since <= on and not e.unknown]
        entry = earlier[-1] if earlier else None
        key = (param_id, resolved.since)
        if key not in self.fallbacks:
            self.fallbacks[key] = Fallback(
                param_id,
                on,
                resolved.since,
                entry.since if entry else None,
                entry.value if entry else None,
            )
        return entry.value if entry else None


@dataclass(frozen=True)
class MonthPay:
    month: dt.date
    age: int
    basic: int
    overtime: int
    gross: int
    health: int
    nursing_care: int
    pension: int
    employment: int
    social_insurance: int
    income_tax: int
    resident_tax: int
    deductions: Mapping[str, int]
    deductions_total: int
    net: int
    remit_jpy: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month.strftime("%Y-%m"),
            "age": self.age,
            "basic_wage": self.basic,
            "overtime_pay": self.overtime,
            "gross": self.gross,
            "health_insurance": self.health,
            "nursing_care_insurance": self.nursing_care,
            "pension_insurance": self.pension,
            "employment_insurance": self.employment,
            "social_insurance_total": self.social_insurance,
            "income_tax": self.income_tax,
            "resident_tax": self.resident_tax,
            "deductions": dict(self.deductions),
            "deductions_total": self.deductions_total,
            "net": self.net,
            "remit_jpy": self.remit_jpy,
        }


def overtime_pay(hourly: Decimal, hours: Decimal, premium: Mapping[str, Any]) -> Decimal:
    """Hourly wage x (1 + premium) per overtime hour; the higher tier beyond its threshold."""
    rate = dec(premium["rate"])
    high = premium.get("over_60_rate")
    if high is None:
        return hourly * (ONE + rate) * hours
    limit = dec(premium["over_60_hours"])
    low_hours = min(hours, limit)
    return hourly * (ONE + rate) * low_hours + hourly * (ONE + dec(high)) * (hours - low_hours)


def _piecewise(amount: Decimal, table: Mapping[str, Any]) -> Decimal:
    value: Decimal | None = None
    for upper, rate, const in table["brackets"]:
        if amount < dec(upper):
            value = amount * dec(rate) + dec(const)
            break
    if value is None:
        value = dec(table["maximum"])
    return min(max(value, dec(table["minimum"])), dec(table["maximum"]))


def income_tax_withholding(
    after_insurance: Decimal, dependants: int, formula: Mapping[str, Any]
) -> int:
    """Monthly withholding (column Kou) by the computer formula; 0 when nothing is taxable."""
    deduction = _piecewise(after_insurance, formula["employment_deduction"])
    deduction = deduction.quantize(ONE, rounding=ROUND_CEILING)
    taxable = (
        after_insurance
        - deduction
        - dec(formula["basic_deduction"])
        - dec(formula["dependant_deduction"]) * dependants
    )
    if taxable <= 0:
        return 0
    tax = Decimal(0)
    for upper, rate, const in formula["tax_brackets"]:
        if upper is None or taxable <= dec(upper):
            tax = taxable * dec(rate) + dec(const)
            break
    step = int(formula.get("round_to", 1))
    return int((tax / step).quantize(ONE, rounding=ROUND_HALF_UP)) * step


def resident_tax_annual(income: Decimal, insurance: Decimal, formula: Mapping[str, Any]) -> int:
    """Standard-rate resident tax on one calendar year's employment income (approximation)."""
    if income <= 0:
        return 0
    net_income = income - _piecewise(income, formula["employment_deduction"])
    if net_income <= dec(formula["non_taxable_income"]):
        return 0
    taxable = _floor_to(net_income - insurance - dec(formula["basic_deduction"]), 1000)
    levy = Decimal(0)
    if taxable > 0:
        levy = dec(taxable) * dec(formula["income_rate"]) - dec(formula["adjustment_credit"])
    return max(_floor_to(levy, 100), 0) + int(formula["per_capita"])


def months_worked_in(year: int, arrival: dt.date) -> int:
    """Months in Japan during a calendar year, counting the arrival month in full."""
    if arrival.year > year:
        return 0
    if arrival.year == year:
        return 12 - arrival.month + 1
    return 12


def resident_tax_for(
    month: dt.date, arrival: dt.date, gross: int, insurance: int, book: RateBook
) -> int:
    """The month's resident-tax instalment (June to May, on the year before the June)."""
    tax_year = month.year if month.month >= 6 else month.year - 1
    income_year = tax_year - 1
    worked = months_worked_in(income_year, arrival)
    if worked == 0:
        return 0
    formula = book.get(RESIDENT_TAX, dt.date(tax_year, 6, 1))
    if formula is None:
        return 0
    annual = resident_tax_annual(dec(gross * worked), dec(insurance * worked), formula)
    instalment = _floor_to(dec(annual) / 12, 100)
    if month.month == 6:
        return annual - 11 * instalment
    return instalment


def _share_of(amount: int, rate: Mapping[str, Any] | None) -> int:
    if rate is None:
        return 0
    return yen_share(dec(amount) * dec(rate["total"]) * dec(rate["employee_share"]))


def month_pay(inp: EarningsInput, month: dt.date, age: int, book: RateBook) -> MonthPay:
    basic = yen(inp.monthly_basic_wage)
    premium = book.get(OVERTIME, month)
    ot = yen(overtime_pay(inp.hourly_wage, inp.overtime_hours, premium)) if premium else 0
    gross = basic + ot
    health = _share_of(gross, book.get(HEALTH, month))
    nursing_rate = book.get(NURSING, month)
    nursing = 0
    if nursing_rate and nursing_rate["min_age"] <= age <= nursing_rate["max_age"]:
        nursing = _share_of(gross, nursing_rate)
    pension = _share_of(gross, book.get(PENSION, month))
    employment_rates = book.get(EMPLOYMENT, month) or {}
    employment_rate = employment_rates.get(inp.industry)
    employment = 0 if employment_rate is None else yen_share(dec(gross) * dec(employment_rate))
    if employment_rate is None:
        book.fallbacks.setdefault(
            (f"{EMPLOYMENT}.{inp.industry}", None),
            Fallback(f"{EMPLOYMENT}.{inp.industry}", month, None, None, None),
        )
    insurance = health + nursing + pension + employment
    formula = book.get(INCOME_TAX, month)
    income_tax = (
        income_tax_withholding(dec(gross - insurance), inp.dependants, formula) if formula else 0
    )
    arrival = add_months(inp.on, -inp.months_in_japan)
    resident = resident_tax_for(month, arrival, gross, insurance, book)
    deductions = {k: yen(v) for k, v in inp.deductions.items()}
    deductions_total = sum(deductions.values())
    net = gross - insurance - income_tax - resident - deductions_total
    remit = yen(dec(max(net, 0)) * inp.remit_share)
    return MonthPay(
        month=month,
        age=age,
        basic=basic,
        overtime=ot,
        gross=gross,
        health=health,
        nursing_care=nursing,
        pension=pension,
        employment=employment,
        social_insurance=insurance,
        income_tax=income_tax,
        resident_tax=resident,
        deductions=deductions,
        deductions_total=deductions_total,
        net=net,
        remit_jpy=remit,
    )


def pay_months(inp: EarningsInput, months: int, book: RateBook) -> Sequence[MonthPay]:
    """Pay for ``months`` consecutive months from the plan date; age +1 every 12 months."""
    return [month_pay(inp, add_months(inp.on, k), inp.age + k // 12, book) for k in range(months)]
