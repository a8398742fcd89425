"""A fee-check report as the worker reads it: one line per payment, with every reason under it.

The law engine reports one finding per rule. A 30,000,000 ₫ deposit broken by a Vietnamese
rule, a Japanese rule and the ILO standard is three findings; on the page it is one payment,
listed once, with three reasons under it. This module turns the engine's report into that:

- ``lines``: one per payment, its worst status, its reasons (engine messages without the
  shared "what to do" text, which is shown once), the legal basis in words
  (:mod:`fairpassage.checks.instruments`), the amount to reclaim and the amount the law allows.
- ``reclaim_vnd``: the total to ask back, each payment counted once, from
  :func:`fairpassage.checks.refunds.refunds`, the one computation the letter uses too (so the
  page's lines and the letter's rows always carry the same amounts). The engine's own
  ``summary.excess_vnd`` can count a payment twice when two ceilings, or a ceiling and a
  prohibition, cover it; the page shows it to advisers only, when it differs.
- ``chart``: bars named by payment, paid against allowed; ``needs_review`` and advisory
  findings get a marked note, never an "allowed" bar (they set no limit).
- ``advisers``: rule ids, citations as recorded, parameters, the rules version: folded away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from fairpassage.checks.instruments import basis_words
from fairpassage.checks.refunds import binding, refunds
from fairpassage.checks.templatetags.checks_tags import status_icon, verification_label
from fairpassage.law.messages import texts

SHOWN = ("violation", "needs_review", "advisory", "compliant")
# The worst first: a line's status is the first of these among its reasons.
ORDER = ("violation", "needs_review", "advisory", "compliant", "not_applicable")
LABEL_CHARS = 28  # a payment's name on its bar, shortened to fit a 360 px screen


@dataclass(frozen=True)
class Reason:
    rule: str
    status: str
    text: str
    basis: tuple[str, ...]
    binding: bool  # a rule of law; the ILO standard advises and sets no limit
    shared_with: tuple[int, ...] = ()  # other payments (numbers from 1) under the same rule


@dataclass(frozen=True)
class Line:
    index: int
    label: str
    category: str | None
    category_source: str
    amount: str
    currency: str
    amount_vnd: int
    paid_on: str | None
    status: str
    reasons: tuple[Reason, ...]
    reclaim_vnd: int
    allowed_vnd: int | None  # None: no legal limit applies to this payment

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def icon(self) -> str:
        return status_icon(self.status)

    @property
    def needs_review(self) -> bool:
        return any(r.status == "needs_review" for r in self.reasons)

    @property
    def advisory(self) -> bool:
        return any(r.status == "advisory" for r in self.reasons)


@dataclass(frozen=True)
class Bar:
    number: int
    label: str
    full_label: str
    status: str
    icon: str
    paid_vnd: int
    allowed_vnd: int | None
    paid_width: float
    allowed_width: float
    over: bool
    note: str  # "needs_review", "advisory" or "none" when no allowed bar is drawn
    y: int


@dataclass(frozen=True)
class Presented:
    status: str
    lines: tuple[Line, ...]
    others: tuple[Reason, ...]  # findings about no payment (conduct), worth the worker's eye
    total_paid_vnd: int
    reclaim_vnd: int
    engine_excess_vnd: int
    helps: tuple[str, ...]
    guessed: bool
    bars: tuple[Bar, ...] = field(default=())
    chart_height: int = 0

    @property
    def engine_differs(self) -> bool:
        return self.engine_excess_vnd != self.reclaim_vnd


def _clean(message: str, lang: str) -> tuple[str, list[str]]:
    """The finding's message without the shared texts (help, the guess note); which helps it
    carried."""
    t = texts()
    found: list[str] = []
    for help_text in (t.help.get(lang, ""), t.help_jp.get(lang, "")):
        if help_text and help_text in message:
            found.append(help_text)
            message = message.replace(help_text, "")
    guess = t.findings["inferred_suffix"].get(lang, "").strip()
    if guess:
        message = message.replace(guess, "")
    return " ".join(message.split()), found


def _reason(finding: dict[str, Any], lang: str, number: int | None) -> tuple[Reason, list[str]]:
    text, helps = _clean(str(finding.get("message") or ""), lang)
    words = (basis_words(b, verification_label) for b in finding.get("basis") or [])
    basis = tuple(dict.fromkeys(w for w in words if w))
    payments = [int(i) for i in finding.get("payments") or []]
    return (
        Reason(
            rule=str(finding.get("rule") or ""),
            status=str(finding.get("status") or ""),
            text=text,
            basis=basis,
            binding=binding(finding),
            shared_with=tuple(i + 1 for i in payments if number is None or i + 1 != number),
        ),
        helps,
    )


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


ROW = 78  # chart units per payment: its name, the paid bar, the allowed bar or a note
WIDTH = 320


def _bars(lines: tuple[Line, ...]) -> tuple[Bar, ...]:
    scale = max([max(ln.amount_vnd, ln.allowed_vnd or 0) for ln in lines] or [1]) or 1
    bars = []
    for n, ln in enumerate(lines):
        name = ln.label or _("Payment %(n)s") % {"n": ln.number}
        note = "none"
        if ln.allowed_vnd is None:
            note = "needs_review" if ln.needs_review else ("advisory" if ln.advisory else "none")
        bars.append(
            Bar(
                number=ln.number,
                label=_label(f"{ln.number}. {name}"),
                full_label=name,
                status=ln.status,
                icon=ln.icon,
                paid_vnd=ln.amount_vnd,
                allowed_vnd=ln.allowed_vnd,
                paid_width=round(WIDTH * ln.amount_vnd / scale, 2),
                allowed_width=round(WIDTH * (ln.allowed_vnd or 0) / scale, 2),
                over=ln.reclaim_vnd > 0,
                note=note,
                y=ROW * n,
            )
        )
    return tuple(bars)


def present(report: dict[str, Any]) -> Presented:
    """The worker's view of the engine's ``report`` (texts in the report's own language)."""
    lang = str(report.get("lang") or "vi")
    findings: list[dict[str, Any]] = list(report.get("findings") or [])
    items: list[dict[str, Any]] = list(report.get("items") or [])
    asked = refunds(report)
    money = {p.index: p for p in asked.payments}
    helps: list[str] = []
    lines = []
    for item in items:
        index = int(item["index"])
        reasons = []
        for f in findings:
            if f.get("status") in SHOWN and index in (f.get("payments") or []):
                reason, found = _reason(f, lang, index + 1)
                reasons.append(reason)
                helps.extend(found)
        reasons.sort(key=lambda r: ORDER.index(r.status))
        lines.append(
            Line(
                index=index,
                label=str(item.get("label") or ""),
                category=item.get("category"),
                category_source=str(item.get("category_source") or ""),
                amount=str(item.get("amount") or ""),
                currency=str(item.get("currency") or "VND"),
                amount_vnd=money[index].paid_vnd,
                paid_on=item.get("paid_on"),
                status=reasons[0].status if reasons else "none",
                reasons=tuple(reasons),
                reclaim_vnd=money[index].refund_vnd,
                allowed_vnd=money[index].allowed_vnd,
            )
        )
    others = []
    for f in findings:
        if f.get("status") in ("violation", "needs_review", "advisory") and not f.get("payments"):
            reason, found = _reason(f, lang, None)
            others.append(reason)
            helps.extend(found)
    statuses = [ln.status for ln in lines] + [r.status for r in others]
    status = next((s for s in ORDER if s in statuses), "not_applicable")
    summary = report.get("summary") or {}
    line_tuple = tuple(lines)
    bars = _bars(line_tuple)
    return Presented(
        status=status,
        lines=line_tuple,
        others=tuple(others),
        total_paid_vnd=sum(p.paid_vnd for p in money.values()),
        reclaim_vnd=asked.total_vnd,
        engine_excess_vnd=int(summary.get("excess_vnd") or 0),
        helps=tuple(dict.fromkeys(helps)),
        guessed=any(i.get("category_source") == "inferred" for i in items),
        bars=bars,
        chart_height=ROW * len(bars),
    )
