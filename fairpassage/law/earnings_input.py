"""The earnings-plan input: a frozen dataclass and a strict parser from a JSON dict.

Problems raise :class:`~fairpassage.law.engagement.InputError` naming the field with a dotted
path (``deductions.housing``, ``debt.principal.currency``), exactly like the fee check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fairpassage.law.earnings_minwage import MinimumWageTable, Prefecture
from fairpassage.law.engagement import (
    PROGRAMMES,
    InputError,
    Money,
    _amount,
    _bool,
    _choice,
    _date,
    _decimal,
    _fx,
    _money,
    _object,
    _required,
)

DEDUCTION_KINDS = ("housing", "utilities", "meals", "other")
INDUSTRIES = ("general", "agriculture", "construction")
MAX_HOURS = Decimal(400)
MAX_HORIZON = 600
DEFAULT_HORIZON = 120


@dataclass(frozen=True)
class Debt:
    principal: Money
    annual_interest_rate: Decimal


@dataclass(frozen=True)
class EarningsInput:
    on: dt.date
    prefecture: Prefecture
    monthly_basic_wage: Decimal
    hourly_wage: Decimal
    wage_given_as: str  # monthly | hourly
    scheduled_hours: Decimal
    overtime_hours: Decimal
    age: int
    months_in_japan: int
    deductions: Mapping[str, Decimal]
    debt: Debt | None
    remit_share: Decimal
    fx: Mapping[str, Decimal] = field(default_factory=dict)
    programme: str | None = None
    industry: str = "general"
    housing_actual_cost: Decimal | None = None
    deductions_agreement: bool | None = None
    dependants: int = 0
    horizon_months: int = DEFAULT_HORIZON
    #: Length of the work contract in months, as typed (``None``: the programme's usual length).
    contract_months: int | None = None


def _integer(value: Any, path: str, low: int, high: int) -> int:
    number = _decimal(value, path)
    if number != number.to_integral_value():
        raise InputError(path, "type_integer")
    if number < low:
        raise InputError(path, "min_value", min=low)
    if number > high:
        raise InputError(path, "max_value", max=high)
    return int(number)


def _hours(value: Any, path: str, *, positive: bool) -> Decimal:
    number = _decimal(value, path)
    if positive and number <= 0:
        raise InputError(path, "positive")
    if number < 0:
        raise InputError(path, "min_value", min=0)
    if number > MAX_HOURS:
        raise InputError(path, "max_value", max=MAX_HOURS)
    return number


def _share(value: Any, path: str) -> Decimal:
    number = _decimal(value, path)
    if number < 0:
        raise InputError(path, "min_value", min=0)
    if number > 1:
        raise InputError(path, "max_value", max=1)
    return number


def _deductions(value: Any) -> dict[str, Decimal]:
    if value is None:
        return {}
    obj = _object(value, "deductions")
    out: dict[str, Decimal] = {}
    for key, raw in obj.items():
        path = f"deductions.{key}"
        _choice(key, path, DEDUCTION_KINDS)
        if raw is None:
            continue
        out[key] = _amount(raw, path)
    return out


def _debt(value: Any) -> Debt | None:
    if value is None:
        return None
    obj = _object(value, "debt")
    principal = _money(_required(obj, "principal", "debt.principal"), "debt.principal")
    rate_raw = obj.get("annual_interest_rate")
    rate = Decimal(0) if rate_raw is None else _decimal(rate_raw, "debt.annual_interest_rate")
    if rate < 0:
        raise InputError("debt.annual_interest_rate", "min_value", min=0)
    if rate > 5:
        raise InputError("debt.annual_interest_rate", "max_value", max=5)
    return Debt(principal, rate)


def parse_earnings(data: Any, table: MinimumWageTable) -> EarningsInput:
    """Build an :class:`EarningsInput` from decoded JSON, or raise :class:`InputError`."""
    obj = _object(data, "")
    on = _date(_required(obj, "on", "on"), "on")
    pref_raw = _required(obj, "prefecture", "prefecture")
    if isinstance(pref_raw, bool) or not isinstance(pref_raw, str | int):
        raise InputError("prefecture", "type_string")
    prefecture = table.prefecture(str(pref_raw))
    if prefecture is None:
        raise InputError("prefecture", "prefecture_unknown", value=str(pref_raw)[:40])
    hours = _hours(
        _required(obj, "scheduled_hours_per_month", "scheduled_hours_per_month"),
        "scheduled_hours_per_month",
        positive=True,
    )
    monthly_raw, hourly_raw = obj.get("monthly_basic_wage"), obj.get("hourly_wage")
    if monthly_raw is not None and hourly_raw is not None:
        raise InputError("hourly_wage", "one_of", other="monthly_basic_wage")
    if monthly_raw is None and hourly_raw is None:
        raise InputError("monthly_basic_wage", "required")
    if monthly_raw is not None:
        monthly = _amount(monthly_raw, "monthly_basic_wage")
        if monthly <= 0:
            raise InputError("monthly_basic_wage", "positive")
        hourly, given = monthly / hours, "monthly"
    else:
        hourly = _amount(hourly_raw, "hourly_wage")
        if hourly <= 0:
            raise InputError("hourly_wage", "positive")
        monthly, given = hourly * hours, "hourly"
    overtime_raw = obj.get("overtime_hours_per_month")
    overtime = (
        Decimal(0)
        if overtime_raw is None
        else _hours(overtime_raw, "overtime_hours_per_month", positive=False)
    )
    age = _integer(_required(obj, "age", "age"), "age", 15, 100)
    months_raw = obj.get("months_in_japan")
    months = 0 if months_raw is None else _integer(months_raw, "months_in_japan", 0, 600)
    deductions = _deductions(obj.get("deductions"))
    debt = _debt(obj.get("debt"))
    share_raw = obj.get("remit_share_of_net")
    if share_raw is None and debt is not None:
        raise InputError("remit_share_of_net", "required")
    share = Decimal(0) if share_raw is None else _share(share_raw, "remit_share_of_net")
    fx = _fx(obj.get("fx"))
    if debt is not None:
        currency = debt.principal.currency
        if currency != "JPY":
            for code in ("JPY", currency):
                if code != "VND" and code not in fx:
                    raise InputError(f"fx.{code}", "fx_missing", currency=code)
    programme = None
    if obj.get("programme") not in (None, ""):
        programme = _choice(obj["programme"], "programme", PROGRAMMES)
    industry = "general"
    if obj.get("industry") not in (None, ""):
        industry = _choice(obj["industry"], "industry", INDUSTRIES)
    actual = None
    if obj.get("housing_actual_cost") is not None:
        actual = _amount(obj["housing_actual_cost"], "housing_actual_cost")
    agreement = None
    if obj.get("deductions_agreement") is not None:
        agreement = _bool(obj["deductions_agreement"], "deductions_agreement")
    dependants_raw = obj.get("dependants")
    dependants = 0 if dependants_raw is None else _integer(dependants_raw, "dependants", 0, 20)
    horizon_raw = obj.get("horizon_months")
    horizon = (
        DEFAULT_HORIZON
        if horizon_raw is None
        else _integer(horizon_raw, "horizon_months", 1, MAX_HORIZON)
    )
    contract_raw = obj.get("contract_months")
    contract = (
        None if contract_raw is None else _integer(contract_raw, "contract_months", 1, MAX_HORIZON)
    )
    return EarningsInput(
        on=on,
        prefecture=prefecture,
        monthly_basic_wage=monthly,
        hourly_wage=hourly,
        wage_given_as=given,
        scheduled_hours=hours,
        overtime_hours=overtime,
        age=age,
        months_in_japan=months,
        deductions=deductions,
        debt=debt,
        remit_share=share,
        fx=fx,
        programme=programme,
        industry=industry,
        housing_actual_cost=actual,
        deductions_agreement=agreement,
        dependants=dependants,
        horizon_months=horizon,
        contract_months=contract,
    )
