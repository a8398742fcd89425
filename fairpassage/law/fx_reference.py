"""Reference exchange rates (dong per yen, dong per US dollar), monthly, from a dated, cited table.

The worker need not know a rate: when an amount is in yen or dollars and no rate was given, the
rate of the contract's month is taken from ``data/fx-reference-rates/`` (IMF end-of-month rates,
see its SOURCE.txt). A month the table lacks is never filled silently: the nearest earlier month
is used and the result says which month it is (``month`` differs from ``wanted``). A rate the
person typed always wins. The law engine's JSON contract is unchanged: this module only fills
``fx`` before the engine runs, and says which rates it used.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "RATES_FILE",
    "SOURCE",
    "ReferenceRate",
    "fill_earnings_reference_rates",
    "fill_reference_rates",
    "reference_rate",
    "sensitive_findings",
]

RATES_FILE = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "fx-reference-rates"
    / "vnd_reference_rates_monthly.csv"
)
SOURCE = "International Monetary Fund, Exchange Rates (end of month)"
COLUMNS = {"USD": "vnd_per_usd", "JPY": "vnd_per_jpy"}
BAND = Decimal("0.05")


@dataclass(frozen=True)
class ReferenceRate:
    currency: str
    vnd_per_unit: Decimal
    month: str  # "2025-06": the month whose rate is used
    wanted: str  # the month asked for; differs from ``month`` when the table lacks it
    source: str = SOURCE

    @property
    def substituted(self) -> bool:
        return self.month != self.wanted

    @property
    def after_table(self) -> bool:
        """The month asked for is after the table's last month."""
        return self.wanted > self.month and self.month == last_month(self.currency)

    def as_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "vnd_per_unit": float(self.vnd_per_unit),
            "month": self.month,
            "wanted": self.wanted,
            "substituted": self.substituted,
            "after_table": self.after_table,
            "source": self.source,
        }


@lru_cache(maxsize=4)
def _table(path: Path = RATES_FILE) -> dict[str, dict[str, Decimal]]:
    """Currency -> month -> dong per unit; empty cells (months the source lacks) left out."""
    rates: dict[str, dict[str, Decimal]] = {code: {} for code in COLUMNS}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for code, column in COLUMNS.items():
                if row[column].strip():
                    rates[code][row["month"]] = Decimal(row[column])
    return rates


def last_month(currency: str) -> str | None:
    months = _table().get(currency) or {}
    return max(months) if months else None


def reference_rate(currency: str, on: dt.date) -> ReferenceRate | None:
    """The table's rate for ``on``'s month, or the nearest earlier month it has; None when the
    currency is not in the table or ``on`` is before its first month."""
    months = _table().get(currency)
    if not months:
        return None
    wanted = f"{on.year:04d}-{on.month:02d}"
    earlier = [m for m in months if m <= wanted]
    if not earlier:
        return None
    month = max(earlier)
    return ReferenceRate(currency=currency, vnd_per_unit=months[month], month=month, wanted=wanted)


def _currencies(data: Mapping[str, Any]) -> list[str]:
    """Currencies other than dong used by the amounts in ``data`` (engine JSON), in order."""
    seen: list[str] = []
    moneys = [data.get("monthly_basic_wage"), data.get("japanese_side_paid_service_fee")]
    moneys += list(data.get("payments") or [])
    for money in moneys:
        code = money.get("currency") if isinstance(money, Mapping) else None
        if isinstance(code, str) and code != "VND" and code not in seen:
            seen.append(code)
    return seen


def _contract_day(data: Mapping[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(data.get("signed_on")))
    except ValueError:
        return None


def fill_reference_rates(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[ReferenceRate]]:
    """``data`` with a table rate for every currency that needs one and has none, and the rates
    so used. Rates already in ``fx`` are kept. Invalid input is left for the engine to report."""
    filled = dict(data)
    given = data.get("fx")
    fx: dict[str, Any] = dict(given) if isinstance(given, Mapping) else {}
    day = _contract_day(data)
    used: list[ReferenceRate] = []
    if day is None or (given is not None and not isinstance(given, Mapping)):
        return filled, used
    for code in _currencies(data):
        if code in fx:
            continue
        rate = reference_rate(code, day)
        if rate is not None:
            fx[code] = float(rate.vnd_per_unit)
            used.append(rate)
    if used:
        filled["fx"] = fx
    return filled, used


def fill_earnings_reference_rates(
    data: Mapping[str, Any],
) -> tuple[dict[str, Any], list[ReferenceRate]]:
    """An earnings plan's input with a table rate for each currency its debt needs and has no
    rate for (yen, and the debt's own currency unless dong), taken for the month of ``on``, the
    day the plan starts. Typed rates are kept; invalid input is left for the engine to report."""
    filled = dict(data)
    debt = data.get("debt")
    principal = debt.get("principal") if isinstance(debt, Mapping) else None
    currency = principal.get("currency") if isinstance(principal, Mapping) else None
    given = data.get("fx")
    if currency in (None, "JPY") or (given is not None and not isinstance(given, Mapping)):
        return filled, []
    try:
        day = dt.date.fromisoformat(str(data.get("on")))
    except ValueError:
        return filled, []
    fx: dict[str, Any] = dict(given) if isinstance(given, Mapping) else {}
    used: list[ReferenceRate] = []
    for code in dict.fromkeys(("JPY", str(currency))):
        if code == "VND" or code in fx:
            continue
        rate = reference_rate(code, day)
        if rate is not None:
            fx[code] = float(rate.vnd_per_unit)
            used.append(rate)
    if used:
        filled["fx"] = fx
    return filled, used


def _statuses(report: Mapping[str, Any]) -> dict[tuple[str, tuple[int, ...]], str]:
    return {
        (str(f.get("rule")), tuple(f.get("payments") or ())): str(f.get("status"))
        for f in report.get("findings", [])
    }


def sensitive_findings(
    data: Mapping[str, Any],
    report: Mapping[str, Any],
    run: Callable[[dict[str, Any]], Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Findings whose status changes when every rate in ``data["fx"]`` moves by 5 % down or up.

    ``run`` is the engine on the same language and law (two more runs, only when ``fx`` has
    rates). Each item: rule, payments, status, and the status at the lower and the higher rate."""
    fx = data.get("fx")
    if not isinstance(fx, Mapping) or not fx:
        return []
    base = _statuses(report)
    moved: dict[str, dict[tuple[str, tuple[int, ...]], str]] = {}
    for name, factor in (("lower", 1 - BAND), ("higher", 1 + BAND)):
        shifted = dict(data)
        shifted["fx"] = {code: float(Decimal(str(rate)) * factor) for code, rate in fx.items()}
        moved[name] = _statuses(run(shifted))
    changes = []
    for key, status in base.items():
        lower, higher = moved["lower"].get(key, status), moved["higher"].get(key, status)
        if lower != status or higher != status:
            changes.append(
                {
                    "rule": key[0],
                    "payments": list(key[1]),
                    "status": status,
                    "lower": lower,
                    "higher": higher,
                }
            )
    return changes
