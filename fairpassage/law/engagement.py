"""The fee-check input: frozen dataclasses and a strict parser from a JSON dict.

Every problem in the input raises :class:`InputError` naming the field with a dotted path
(``payments[2].currency``), a message key and its parameters; :meth:`InputError.message` renders
it in Vietnamese, Japanese or English.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from fairpassage.law.messages import input_error_text
from fairpassage.law.taxonomy import CATEGORIES

PROGRAMMES = ("titp", "ssw", "esd")
STAGES: dict[str, tuple[str, ...]] = {
    "titp": ("titp1", "titp2", "titp3"),
    "ssw": ("ssw1", "ssw2"),
    "esd": ("esd",),
}
PRIORS = ("none", "titp2_completed", "titp3_completed")
PAYEES = (
    "sending_organisation",
    "broker",
    "training_centre",
    "japanese_side",
    "government",
    "other",
    "unknown",
    # Added in December 2026 (issue 14): who in Japan was paid decides which law applies.
    "jp_supervising_organisation",
    "jp_placement_agency",
    "jp_support_organisation",
)
#: Payees in Japan: a fee paid to them is not a Vietnamese service fee.
JAPANESE_PAYEES = (
    "japanese_side",
    "jp_supervising_organisation",
    "jp_placement_agency",
    "jp_support_organisation",
)
SENDERS = ("service_enterprise", "public_unit")
CONDUCT_FIELDS = ("passport_held", "penalty_contract", "forced_savings")
MAX_AMOUNT = Decimal(10) ** 13
MAX_RATE = Decimal(10) ** 6
MAX_PAYMENTS = 200
MAX_LABEL = 200
MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InputError(ValueError):
    """Invalid fee-check input.

    ``field`` is a dotted path (``payments[2].currency``), ``message_key`` names the message and
    ``params`` fills it in.
    """

    def __init__(self, field: str, message_key: str, **params: Any) -> None:
        self.field = field
        self.message_key = message_key
        self.params: dict[str, Any] = params
        super().__init__(f"{field}: {self.message('en')}")

    def message(self, lang: str = "vi") -> str:
        return input_error_text(self.message_key, lang, self.params)

    def as_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "field": self.field,
            "code": self.message_key,
            "params": {k: str(v) for k, v in self.params.items()},
            "message": self.message(lang),
        }


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Payment:
    index: int
    label: str
    category: str | None
    amount: Money
    paid_on: dt.date | None
    payee: str


@dataclass(frozen=True)
class Conduct:
    passport_held: bool | None = None
    penalty_contract: bool | None = None
    forced_savings: bool | None = None


@dataclass(frozen=True)
class Engagement:
    programme: str
    stage: str
    prior: str
    same_sending_and_supervising: bool | None
    contract_months: int
    monthly_basic_wage: Money
    signed_on: dt.date
    departs_on: dt.date | None
    payments: tuple[Payment, ...]
    conduct: Conduct = field(default_factory=Conduct)
    fx: Mapping[str, Decimal] = field(default_factory=dict)
    sender: str = "service_enterprise"
    extension_months: int | None = None
    japanese_side_paid_service_fee: Money | None = None


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InputError(path or "(input)", "type_object")
    return value


def _required(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj or obj[key] is None:
        raise InputError(path, "required")
    return obj[key]


def _choice(value: Any, path: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise InputError(path, "choice", allowed=", ".join(choices))
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(path, "type_bool")
    return value


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool):
        raise InputError(path, "type_number")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(path, "type_number")
        number = Decimal(repr(value))
    elif isinstance(value, str) and len(value) <= 40:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InputError(path, "type_number") from None
        if not number.is_finite():
            raise InputError(path, "type_number")
    else:
        raise InputError(path, "type_number")
    return number


def _amount(value: Any, path: str) -> Decimal:
    number = _decimal(value, path)
    if number < 0:
        raise InputError(path, "min_value", min=0)
    if number > MAX_AMOUNT:
        raise InputError(path, "max_value", max=MAX_AMOUNT)
    return number


def _date(value: Any, path: str) -> dt.date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise InputError(path, "date_format")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(path, "date_format") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise InputError(path, "date_range", min=MIN_DATE.isoformat(), max=MAX_DATE.isoformat())
    return day


def _currency(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise InputError(path, "currency_code")
    return value


def _money(value: Any, path: str) -> Money:
    obj = _object(value, path)
    amount = _amount(_required(obj, "amount", f"{path}.amount"), f"{path}.amount")
    currency = _currency(_required(obj, "currency", f"{path}.currency"), f"{path}.currency")
    return Money(amount, currency)


def _contract_months(value: Any, path: str) -> int:
    number = _decimal(value, path)
    if number != number.to_integral_value():
        raise InputError(path, "type_integer")
    if number < 1:
        raise InputError(path, "min_value", min=1)
    if number > 120:
        raise InputError(path, "max_value", max=120)
    return int(number)


def _payment(value: Any, index: int) -> Payment:
    path = f"payments[{index}]"
    obj = _object(value, path)
    label_raw = obj.get("label")
    if label_raw is not None and not isinstance(label_raw, str):
        raise InputError(f"{path}.label", "type_string")
    label = (label_raw or "").strip()
    if len(label) > MAX_LABEL:
        raise InputError(f"{path}.label", "max_length", max=MAX_LABEL)
    category_raw = obj.get("category")
    category = None
    if category_raw is not None and category_raw != "":
        category = _choice(category_raw, f"{path}.category", CATEGORIES)
    if not label and category is None:
        raise InputError(f"{path}.label", "label_or_category")
    amount = _amount(_required(obj, "amount", f"{path}.amount"), f"{path}.amount")
    currency = _currency(_required(obj, "currency", f"{path}.currency"), f"{path}.currency")
    paid_on = None
    if obj.get("paid_on") not in (None, ""):
        paid_on = _date(obj["paid_on"], f"{path}.paid_on")
    payee = "unknown"
    if obj.get("payee") not in (None, ""):
        payee = _choice(obj["payee"], f"{path}.payee", PAYEES)
    return Payment(index, label, category, Money(amount, currency), paid_on, payee)


def _conduct(value: Any) -> Conduct:
    if value is None:
        return Conduct()
    obj = _object(value, "conduct")
    flags: dict[str, bool | None] = {}
    for key in CONDUCT_FIELDS:
        raw = obj.get(key)
        flags[key] = None if raw is None else _bool(raw, f"conduct.{key}")
    return Conduct(**flags)


def _fx(value: Any) -> dict[str, Decimal]:
    if value is None:
        return {}
    obj = _object(value, "fx")
    rates: dict[str, Decimal] = {}
    for code, raw in obj.items():
        path = f"fx.{code}"
        _currency(code, path)
        rate = _decimal(raw, path)
        if rate <= 0:
            raise InputError(path, "positive")
        if rate > MAX_RATE:
            raise InputError(path, "max_value", max=MAX_RATE)
        rates[code] = rate
    return rates


def parse_engagement(data: Any) -> Engagement:
    """Build an :class:`Engagement` from decoded JSON, or raise :class:`InputError`."""
    obj = _object(data, "")
    programme = _choice(_required(obj, "programme", "programme"), "programme", PROGRAMMES)
    stage_raw = obj.get("stage")
    stage = STAGES[programme][0] if stage_raw in (None, "") else stage_raw
    stage = _choice(stage, "stage", STAGES[programme])
    prior_raw = obj.get("prior")
    prior = "none" if prior_raw in (None, "") else _choice(prior_raw, "prior", PRIORS)
    same_raw = obj.get("same_sending_and_supervising")
    same = None if same_raw is None else _bool(same_raw, "same_sending_and_supervising")
    months = _contract_months(
        _required(obj, "contract_months", "contract_months"), "contract_months"
    )
    wage = _money(_required(obj, "monthly_basic_wage", "monthly_basic_wage"), "monthly_basic_wage")
    if wage.amount <= 0:
        raise InputError("monthly_basic_wage.amount", "positive")
    signed_on = _date(_required(obj, "signed_on", "signed_on"), "signed_on")
    departs_on = None
    if obj.get("departs_on") not in (None, ""):
        departs_on = _date(obj["departs_on"], "departs_on")
        if departs_on < signed_on:
            raise InputError("departs_on", "departs_before_signed")
    raw_payments = obj.get("payments", [])
    if raw_payments is None:
        raw_payments = []
    if not isinstance(raw_payments, list):
        raise InputError("payments", "type_list")
    if len(raw_payments) > MAX_PAYMENTS:
        raise InputError("payments", "max_items", max=MAX_PAYMENTS)
    payments = tuple(_payment(p, i) for i, p in enumerate(raw_payments))
    conduct = _conduct(obj.get("conduct"))
    fx = _fx(obj.get("fx"))
    sender = "service_enterprise"
    if obj.get("sender") not in (None, ""):
        sender = _choice(obj["sender"], "sender", SENDERS)
    extension = None
    if obj.get("extension_months") is not None:
        extension = _contract_months(obj["extension_months"], "extension_months")
    jp_paid = None
    if obj.get("japanese_side_paid_service_fee") is not None:
        jp_paid = _money(obj["japanese_side_paid_service_fee"], "japanese_side_paid_service_fee")
        if jp_paid.currency != "VND" and jp_paid.currency not in fx:
            raise InputError(f"fx.{jp_paid.currency}", "fx_missing", currency=jp_paid.currency)
    if wage.currency != "VND" and wage.currency not in fx:
        raise InputError(f"fx.{wage.currency}", "fx_missing", currency=wage.currency)
    for p in payments:
        if p.amount.currency != "VND" and p.amount.currency not in fx:
            raise InputError(
                f"payments[{p.index}].currency", "fx_missing", currency=p.amount.currency
            )
    return Engagement(
        programme=programme,
        stage=stage,
        prior=prior,
        same_sending_and_supervising=same,
        contract_months=months,
        monthly_basic_wage=wage,
        signed_on=signed_on,
        departs_on=departs_on,
        payments=payments,
        conduct=conduct,
        fx=fx,
        sender=sender,
        extension_months=extension,
        japanese_side_paid_service_fee=jp_paid,
    )
