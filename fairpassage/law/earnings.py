"""The earnings and debt planner: ``plan_earnings(data, lang) -> dict`` (pure Python).

What a job in Japan pays after deductions, whether the wage is lawful on the plan date, and the
month-by-month balance of the debt taken for the fees. Rates come from ``params/jp/*.yaml``; the
regional minimum wage from the one shipped table (:mod:`~fairpassage.law.earnings_minwage`); pay
lines from :mod:`~fairpassage.law.earnings_pay`. See docs/earnings.md for method and sources.

The debt is kept in its own currency, in whole units (dong, yen): each month interest
(annual rate / 12 on the opening balance) is added, rounded half up, and the month's remittance,
converted with ``fx`` (dong per unit, as in the fee check) and rounded half up, is paid.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from fairpassage.law.api import _finding_dict
from fairpassage.law.audit import STATUSES, Finding
from fairpassage.law.earnings_input import EarningsInput, parse_earnings
from fairpassage.law.earnings_minwage import MinWageLookup, minimum_wage_table
from fairpassage.law.earnings_pay import (
    PAY_PARAMS,
    MonthPay,
    RateBook,
    dec,
    overtime_pay,
    pay_months,
    yen,
)
from fairpassage.law.engagement import InputError
from fairpassage.law.messages import LANGS, _format_int, date_text, finding_text
from fairpassage.law.params import ParameterStore, Resolved, default_store

HOUSING_CAP = "jp.titp.housing_max_share_of_basic_wage"
ACTUAL_COST = "jp.titp.regular_charges_actual_cost"
AGREEMENT = "jp.lsa.wage_deduction_agreement"
ROUNDING_NOTE = (
    "Yen lines are whole yen: wages half up; employee insurance shares 50 sen or less down; "
    "income tax half up to 10 yen; resident tax instalments down to 100 yen (remainder in June). "
    "Debt amounts are whole units of the debt currency, half up."
)


def yen_text(amount: int | Decimal, lang: str) -> str:
    """Format yen the way each language writes it (decimals kept only when not whole)."""
    value = Decimal(amount)
    whole = value == value.to_integral_value()
    n = int(value.to_integral_value(rounding=ROUND_HALF_UP))
    if not whole:
        cents = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}".split(".")[1]
        sep = "," if lang == "vi" else "."
        base = _format_int(int(value), "." if lang == "vi" else ",")
        text = f"{base}{sep}{cents}"
    else:
        text = _format_int(n, "." if lang == "vi" else ",")
    if lang == "vi":
        return f"{text} yên"
    if lang == "ja":
        return f"{text}円"
    return f"JPY {text}"


def _prefecture_name(lookup: MinWageLookup, lang: str) -> str:
    pref = lookup.prefecture
    return pref.name_ja if lang == "ja" else pref.name_romaji.title()


def _status_finding(
    rule: str, status: str, key: str, used: list[Resolved], day: dt.date, **params: Any
) -> Finding:
    return Finding(
        rule=rule,
        status=status,
        message_key=f"{rule}.{key}",
        used=used,
        dates=(day,),
        message_params=params,
    )


def minimum_wage_finding(
    inp: EarningsInput, lookup: MinWageLookup, source: str, premium: Any, lang: str
) -> Finding:
    resolved = lookup.resolved(source)
    wage = yen_text(inp.hourly_wage.quantize(Decimal("0.01")).normalize(), lang)
    common = {"wage": wage, "prefecture": _prefecture_name(lookup, lang)}
    minimum = lookup.hourly_jpy
    if minimum is None:
        f = _status_finding(
            "JP-MINIMUM-WAGE",
            "needs_review",
            "needs_review",
            [resolved],
            inp.on,
            date=date_text(inp.on, lang),
            **common,
        )
        f.extra = {"minimum_wage_jpy": None, "hourly_wage_jpy": str(inp.hourly_wage)}
        return f
    assert lookup.row is not None
    gap = dec(minimum) - inp.hourly_wage
    shortfall = 0
    if gap > 0:
        base = gap * inp.scheduled_hours
        extra_ot = overtime_pay(gap, inp.overtime_hours, premium) if premium else Decimal(0)
        shortfall = yen(base + extra_ot)
    texts = {
        **common,
        "minimum": yen_text(minimum, lang),
        "date": date_text(lookup.row.effective, lang),
        "shortfall": yen_text(shortfall, lang),
    }
    if gap > 0:
        status, key = "violation", "violation" if lookup.state == "known" else "violation_at_least"
    elif lookup.state == "known":
        status, key = "compliant", "compliant"
    else:
        status, key = "needs_review", "needs_review"
        texts["date"] = date_text(inp.on, lang)
    f = _status_finding("JP-MINIMUM-WAGE", status, key, [resolved], inp.on, **texts)
    f.extra = {
        "minimum_wage_jpy": minimum,
        "hourly_wage_jpy": str(inp.hourly_wage),
        "monthly_shortfall_jpy": shortfall,
        "shortfall_is_minimum": lookup.state != "known",
    }
    return f


def housing_finding(inp: EarningsInput, store: ParameterStore, lang: str) -> Finding:
    charged = yen(inp.deductions.get("housing", Decimal(0)))
    cap = store.value_on(HOUSING_CAP, inp.on)
    actual_rule = store.value_on(ACTUAL_COST, inp.on)
    used = [cap, actual_rule]
    if charged == 0 or inp.programme not in (None, "titp"):
        return _status_finding("JP-TITP-HOUSING", "not_applicable", "not_applicable", [], inp.on)
    texts: dict[str, Any] = {"charged": yen_text(charged, lang), "date": date_text(inp.on, lang)}
    extra: dict[str, Any] = {"housing_jpy": charged, "limit_jpy": None, "excess_jpy": 0}
    if inp.housing_actual_cost is not None and charged > yen(inp.housing_actual_cost):
        actual = yen(inp.housing_actual_cost)
        f = _status_finding(
            "JP-TITP-HOUSING",
            "violation",
            "violation_actual_cost",
            [actual_rule],
            inp.on,
            actual=yen_text(actual, lang),
            **texts,
        )
        f.extra = {**extra, "actual_cost_jpy": actual, "excess_jpy": charged - actual}
        return f
    if not cap.known or cap.value is None:
        f = _status_finding(
            "JP-TITP-HOUSING", "needs_review", "needs_review", used, inp.on, **texts
        )
        f.extra = extra
        return f
    limit = yen(inp.monthly_basic_wage * dec(cap.value))
    texts["limit"] = yen_text(limit, lang)
    texts["excess"] = yen_text(max(charged - limit, 0), lang)
    extra.update(limit_jpy=limit, excess_jpy=max(charged - limit, 0))
    if charged > limit:
        status = "violation" if inp.programme == "titp" else "advisory"
    else:
        status = "compliant"
    f = _status_finding("JP-TITP-HOUSING", status, status, used, inp.on, **texts)
    f.extra = extra
    return f


def agreement_finding(inp: EarningsInput, store: ParameterStore, lang: str) -> Finding:
    total = sum(yen(v) for v in inp.deductions.values())
    rule = store.value_on(AGREEMENT, inp.on)
    if total == 0:
        return _status_finding(
            "JP-DEDUCTIONS-AGREEMENT", "not_applicable", "not_applicable", [], inp.on
        )
    if inp.deductions_agreement is True:
        status = "compliant"
    elif inp.deductions_agreement is False:
        status = "violation"
    else:
        status = "advisory"
    f = _status_finding(
        "JP-DEDUCTIONS-AGREEMENT", status, status, [rule], inp.on, total=yen_text(total, lang)
    )
    f.extra = {"deductions_jpy": total, "written_agreement": inp.deductions_agreement}
    return f


def _to_debt_currency(jpy: int, currency: str, fx: Any) -> Decimal:
    if currency == "JPY":
        return Decimal(jpy)
    per_yen: Decimal = fx["JPY"]
    vnd = Decimal(jpy) * per_yen
    if currency == "VND":
        return vnd
    per_unit: Decimal = fx[currency]
    return vnd / per_unit


def debt_schedule(inp: EarningsInput, months: Sequence[MonthPay], lang: str) -> dict[str, Any]:
    debt = inp.debt
    if debt is None:
        return {"present": False}
    currency = debt.principal.currency
    balance = debt.principal.amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    start = balance
    monthly_rate = debt.annual_interest_rate / 12
    rows: list[dict[str, Any]] = []
    repaid_in: int | None = None
    total_interest = Decimal(0)
    total_paid = Decimal(0)
    for k, pay in enumerate(months, start=1):
        interest = (balance * monthly_rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        owed = balance + interest
        payment = _to_debt_currency(pay.remit_jpy, currency, inp.fx)
        payment = min(payment.quantize(Decimal(1), rounding=ROUND_HALF_UP), owed)
        closing = owed - payment
        rows.append(
            {
                "month": k,
                "date": pay.month.strftime("%Y-%m"),
                "opening": int(balance),
                "interest": int(interest),
                "payment": int(payment),
                "closing": int(closing),
            }
        )
        total_interest += interest
        total_paid += payment
        balance = closing
        if closing == 0:
            repaid_in = k
            break
    horizon = len(months)
    grows = repaid_in is None and balance >= start
    if repaid_in is not None:
        message = finding_text(
            "earnings.debt_repaid", lang, {"months": repaid_in}, unverified=False
        )
    elif grows:
        message = finding_text(
            "earnings.debt_never_repaid", lang, {"months": horizon}, unverified=False
        )
    else:
        message = finding_text(
            "earnings.debt_not_repaid", lang, {"months": horizon}, unverified=False
        )
    return {
        "present": True,
        "currency": currency,
        "principal": int(start),
        "annual_interest_rate": str(debt.annual_interest_rate),
        "repaid": repaid_in is not None,
        "months_to_repay": repaid_in,
        "never_repaid": grows,
        "horizon_months": horizon,
        "balance_at_end": int(balance),
        "total_interest": int(total_interest),
        "total_paid": int(total_paid),
        "message": message,
        "schedule": rows,
    }


def _approximations(inp: EarningsInput, book: RateBook, lang: str) -> list[dict[str, Any]]:
    codes = ["income_tax", "resident_tax", "standard_remuneration", "health_reference_rate"]
    codes += ["special_minimum_wage", "constant_pay", "age"]
    if inp.debt is not None and inp.debt.annual_interest_rate > 0:
        codes.append("interest")
    out = [
        {"code": c, "message": finding_text(f"earnings.approx.{c}", lang, {}, unverified=False)}
        for c in codes
    ]
    for fb in book.fallbacks.values():
        if fb.used_since is None:
            key, params = "param_missing", {"param": fb.param_id, "date": date_text(fb.on, lang)}
        else:
            key = "param_assumed"
            params = {
                "param": fb.param_id,
                "date": date_text(fb.since or fb.on, lang),
                "value": json.dumps(fb.value, default=str, ensure_ascii=False),
                "since": date_text(fb.used_since, lang),
            }
        out.append(
            {
                "code": key,
                "parameter": fb.param_id,
                "from": (fb.since or fb.on).isoformat(),
                "message": finding_text(f"earnings.approx.{key}", lang, params, unverified=False),
            }
        )
    return out


def _schedule_length(inp: EarningsInput) -> int:
    return inp.horizon_months if inp.debt is not None else 12


def plan_earnings(
    data: dict[str, Any],
    lang: str = "vi",
    *,
    store: ParameterStore | None = None,
    min_wage_dir: Path | None = None,
) -> dict[str, Any]:
    """The earnings and debt plan as JSON; raise :class:`InputError` naming the field if invalid.

    ``min_wage_dir`` overrides the folder of the shipped minimum-wage table (tests, updates).
    """
    if lang not in LANGS:
        raise InputError("lang", "lang")
    store = store or default_store()
    table = minimum_wage_table(min_wage_dir)
    inp = parse_earnings(data, table)
    book = RateBook(store)
    months = pay_months(inp, _schedule_length(inp), book)
    first = months[0]
    lookup = table.on(inp.prefecture, inp.on)
    premium = book.get("jp.lsa.overtime_premium", inp.on)
    findings = [
        minimum_wage_finding(inp, lookup, table.source, premium, lang),
        housing_finding(inp, store, lang),
        agreement_finding(inp, store, lang),
    ]
    missing = sorted({fb.param_id for fb in book.fallbacks.values() if fb.used_since is None})
    if missing:
        findings.append(
            _status_finding(
                "JP-PAY-RATES",
                "needs_review",
                "needs_review",
                [],
                inp.on,
                params=", ".join(missing),
                date=date_text(inp.on, lang),
            )
        )
    rendered = [_finding_dict(f, lang) for f in findings]
    counts = {s: sum(1 for f in findings if f.status == s) for s in STATUSES}
    debt = debt_schedule(inp, months, lang)
    paid_months = debt["schedule"] if debt.get("present") else []
    month_rows = [m.as_dict() for m in months[: max(len(paid_months), 12)]]
    return {
        "rules_version": store.version,
        "law_date": inp.on.isoformat(),
        "lang": lang,
        "input": {
            "prefecture": {
                "code": inp.prefecture.code,
                "name_ja": inp.prefecture.name_ja,
                "name_romaji": inp.prefecture.name_romaji,
            },
            "wage_given_as": inp.wage_given_as,
            "monthly_basic_wage_jpy": str(inp.monthly_basic_wage),
            "hourly_wage_jpy": str(inp.hourly_wage.quantize(Decimal("0.01"))),
            "scheduled_hours_per_month": str(inp.scheduled_hours),
            "overtime_hours_per_month": str(inp.overtime_hours),
            "age": inp.age,
            "months_in_japan": inp.months_in_japan,
            "programme": inp.programme,
            "industry": inp.industry,
            "remit_share_of_net": str(inp.remit_share),
        },
        "minimum_wage": {
            "state": lookup.state,
            "hourly_jpy": lookup.hourly_jpy,
            "effective_date": lookup.row.effective.isoformat() if lookup.row else None,
            "fiscal_year": lookup.row.fiscal_year if lookup.row else None,
            "table_outdated_from": lookup.stale_from.isoformat() if lookup.stale_from else None,
            "source": table.source,
        },
        "pay": first.as_dict(),
        "months": month_rows,
        "debt": debt,
        "findings": rendered,
        "summary": {
            "status": next((s for s in STATUSES if counts[s]), "not_applicable"),
            "counts": counts,
            "gross_jpy": first.gross,
            "net_jpy": first.net,
            "remit_jpy": first.remit_jpy,
        },
        "parameters": [book.used[p].as_dict() for p in PAY_PARAMS if p in book.used],
        "approximations": _approximations(inp, book, lang),
        "approximate_lines": ["income_tax", "resident_tax", "health_insurance"],
        "rounding": ROUNDING_NOTE,
    }
