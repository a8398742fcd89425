"""One engagement -> items and findings.

Money: every amount is converted to Vietnamese dong with :class:`~decimal.Decimal` and rounded
half up to a whole dong (``ROUND_HALF_UP``) only where an amount is reported; ceilings are computed
unrounded and rounded half up when reported.

Dates: Vietnamese rules are evaluated on the contract date (``signed_on``) and, where a transition
provision reaches the departure date, on the dates it names (see :func:`vn_dates`); Japanese rules
on the departure date when given, else the contract date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fairpassage.law.engagement import Engagement, Money, Payment
from fairpassage.law.params import ParameterStore, Resolved, default_store
from fairpassage.law.taxonomy import ILO_CLASS, classify

STATUSES = ("violation", "needs_review", "advisory", "compliant", "not_applicable")
TRANSITIONS = (
    "vn.transition.law69",
    "vn.transition.circular02_2024",
    "vn.transition.circular09_2026",
)


def round_vnd(amount: Decimal) -> int:
    """Round half up to a whole dong."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Item:
    payment: Payment
    category: str | None
    category_source: str  # given | inferred | unknown
    amount_vnd: int

    @property
    def index(self) -> int:
        return self.payment.index

    @property
    def ilo_class(self) -> str | None:
        return ILO_CLASS[self.category] if self.category else None

    def as_dict(self) -> dict[str, Any]:
        p = self.payment
        return {
            "index": p.index,
            "label": p.label,
            "category": self.category or "unknown",
            "category_source": self.category_source,
            "ilo_class": self.ilo_class,
            "amount": str(p.amount.amount),
            "currency": p.amount.currency,
            "amount_vnd": self.amount_vnd,
            "paid_on": p.paid_on.isoformat() if p.paid_on else None,
            "payee": p.payee,
        }


@dataclass
class Finding:
    rule: str
    status: str
    message_key: str
    excess_vnd: int = 0
    limit_vnd: int | None = None
    paid_vnd: int = 0
    payments: tuple[int, ...] = ()
    used: list[Resolved] = field(default_factory=list)
    dates: tuple[dt.date, ...] = ()
    message_params: dict[str, Any] = field(default_factory=dict)
    whole_payments_unlawful: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    #: payments of this finding whose category was read from the label, not chosen
    inferred_payments: tuple[int, ...] = ()

    @property
    def basis(self) -> list[dict[str, Any]]:
        seen: set[tuple[str, str]] = set()
        out: list[dict[str, Any]] = []
        for r in self.used:
            if r.reference is None:
                continue
            key = (r.reference.instrument, r.reference.provision)
            if key in seen:
                continue
            seen.add(key)
            out.append({**r.reference.as_dict(), "verification": r.verification})
        return out

    @property
    def verified(self) -> bool:
        """Every basis read in its own text, and no payment's category guessed from a label."""
        if self.inferred_payments:
            return False
        return all(b["verification"] == "verified" for b in self.basis)


@dataclass(frozen=True)
class Context:
    engagement: Engagement
    items: tuple[Item, ...]
    store: ParameterStore
    wage_vnd: Decimal
    vn_dates: tuple[dt.date, ...]
    transitions_used: tuple[Resolved, ...]
    jp_date: dt.date
    reads: list[Resolved] = field(default_factory=list)

    def value(self, param_id: str, on: dt.date) -> Resolved:
        """The parameter on a date; every lookup a rule makes is recorded in ``reads``, and
        :func:`settle_open` turns the rule's answer into ``needs_review`` when one is open."""
        resolved = self.store.value_on(param_id, on)
        self.reads.append(resolved)
        return resolved

    def items_in(self, categories: Iterable[str]) -> list[Item]:
        wanted = set(categories)
        return [i for i in self.items if i.category in wanted]


def to_vnd(money: Money, fx: dict[str, Decimal] | Any) -> Decimal:
    if money.currency == "VND":
        return money.amount
    rate: Decimal = fx[money.currency]
    return money.amount * rate


def classify_payment(payment: Payment, fx: Any) -> Item:
    amount_vnd = round_vnd(to_vnd(payment.amount, fx))
    if payment.category is not None:
        return Item(payment, payment.category, "given", amount_vnd)
    result = classify(payment.label)
    if result.category is None:
        return Item(payment, None, "unknown", amount_vnd)
    return Item(payment, result.category, "inferred", amount_vnd)


def vn_dates(
    engagement: Engagement, store: ParameterStore
) -> tuple[tuple[dt.date, ...], tuple[Resolved, ...]]:
    """Dates on which Vietnamese rules are read, following the transition provisions.

    Start from the contract date. When the worker departs after a transition date:
    ``later_law`` (the contract had to be amended) replaces earlier dates by the date the new
    rules reach departures; ``more_favourable`` adds the departure date, and the worker gets the
    better of the two readings.
    """
    dates = [engagement.signed_on]
    used: list[Resolved] = []
    departs = engagement.departs_on
    if departs is not None:
        for tid in TRANSITIONS:
            r = store.value_on(tid, departs)
            if not r.known or not isinstance(r.value, dict):
                continue
            signed_before: dt.date = r.value["signed_before"]
            departs_from: dt.date = r.value["departs_from"]
            if not (engagement.signed_on < signed_before and departs >= departs_from):
                continue
            used.append(r)
            if r.value["effect"] == "later_law":
                dates = [d for d in dates if d >= signed_before] + [departs_from]
            else:
                dates.append(departs)
    return tuple(sorted(set(dates))), tuple(used)


def build_context(engagement: Engagement, store: ParameterStore | None = None) -> Context:
    store = store or default_store()
    items = tuple(classify_payment(p, engagement.fx) for p in engagement.payments)
    dates, used = vn_dates(engagement, store)
    return Context(
        engagement=engagement,
        items=items,
        store=store,
        wage_vnd=to_vnd(engagement.monthly_basic_wage, engagement.fx),
        vn_dates=dates,
        transitions_used=used,
        jp_date=engagement.departs_on or engagement.signed_on,
    )


Rule = Callable[[Context], list[Finding]]
OPEN_KEY = "open_parameter.needs_review"


def open_reads(reads: Iterable[Resolved]) -> list[Resolved]:
    """The lookups whose value is not known (``unknown``, or no entry yet), one per parameter."""
    seen: set[str] = set()
    out: list[Resolved] = []
    for r in reads:
        if r.state != "known" and r.param_id not in seen:
            seen.add(r.param_id)
            out.append(r)
    return out


def settle_open(findings: list[Finding], reads: Iterable[Resolved]) -> list[Finding]:
    """An unread period is not "no rule" (the general rule of issue 14, item 1).

    If a rule read any parameter that is unknown or not encoded on the date it asked for, each
    of its findings names those parameters (``missing_parameters``), and an answer other than
    ``needs_review`` becomes ``needs_review``: the law that applied is not known to the tool, so
    neither "compliant", "violation" nor "not applicable" can be said.
    """
    missing = open_reads(reads)
    if not missing:
        return findings
    listed = [
        {
            "id": r.param_id,
            "date": r.on.isoformat(),
            "state": r.state,
            "since": r.since.isoformat() if r.since else None,
        }
        for r in missing
    ]
    for f in findings:
        f.extra["missing_parameters"] = listed
        f.used.extend(r for r in missing if r not in f.used)
        if f.status != "needs_review":
            f.status = "needs_review"
            f.message_key = OPEN_KEY
            f.message_params = {**f.message_params, "date": missing[0].since or missing[0].on}
            f.excess_vnd = 0
            f.whole_payments_unlawful = False
    return findings


@dataclass(frozen=True)
class AuditResult:
    context: Context
    findings: tuple[Finding, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return self.context.items

    def excess_vnd(self) -> int:
        """Money paid against the law, each payment counted once.

        Payments a violation makes wholly unlawful count in full; a ceiling's excess counts up
        to the amount of its payments not already counted in full.
        """
        by_index = {i.index: i.amount_vnd for i in self.items}
        whole: set[int] = set()
        for f in self.findings:
            if f.status == "violation" and f.whole_payments_unlawful:
                whole.update(f.payments)
        total = sum(by_index[i] for i in whole)
        for f in self.findings:
            if f.status == "violation" and not f.whole_payments_unlawful and f.excess_vnd > 0:
                rest = sum(by_index[i] for i in f.payments if i not in whole)
                total += min(f.excess_vnd, rest)
        return total
