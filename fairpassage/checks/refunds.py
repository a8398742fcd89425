"""What to ask back of each payment, and the total: the one computation behind the fee-check
result page (:mod:`fairpassage.checks.presenters`) and the letter
(:mod:`fairpassage.checks.letter`).

Pure: it reads the engine's report (a plain dict) and needs no Django. The rules:

- a payment that a binding violation makes wholly unlawful (a deposit for Japan, a fee the
  worker may not be charged at all) is asked back in full, once, however many rules it breaks;
- a ceiling's excess (what was paid above the legal maximum for a kind of cost) is shared
  among the payments it covers in proportion to their amounts, after taking out the payments
  already asked back in full; the excess is what is left of them above the ceiling, never more
  than the engine's own figure for that ceiling;
- when several ceilings cover one payment, the largest share counts, never their sum;
- every amount is in whole dong, no row is more than was paid, and shares are rounded by the
  largest remainder so that the rows of a ceiling add up to its excess exactly; the total is
  the sum of the rows.

The ILO standard advises and sets no limit: it never makes anything to ask back. The engine's
``summary.excess_vnd`` adds every ceiling's excess, so where two ceilings cover one payment it
can count that payment twice; it is shown only in the advisers' details.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Refund:
    """One payment: what to ask back of it and what the law allows of it."""

    index: int
    paid_vnd: int
    refund_vnd: int
    #: None: no binding rule that decided (violation or compliant) sets a limit for it
    allowed_vnd: int | None
    #: asked back in full because a rule makes it wholly unlawful
    whole: bool
    #: the binding violations it is asked back under, each once, in the engine's order
    findings: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Refunds:
    """Every payment of the report, in the report's order, and the total to ask back."""

    payments: tuple[Refund, ...]
    total_vnd: int

    @property
    def asked(self) -> tuple[Refund, ...]:
        """The payments with something to ask back (the letter's rows)."""
        return tuple(p for p in self.payments if p.refund_vnd > 0)


def binding(finding: dict[str, Any]) -> bool:
    """A rule of law; the ILO standard advises and sets no limit."""
    return not str(finding.get("rule") or "").startswith("ILO-")


def whole(finding: dict[str, Any]) -> bool:
    """Whether a binding violation makes every payment it covers unlawful in full."""
    if finding.get("status") != "violation" or not binding(finding):
        return False
    if "whole_payments_unlawful" in finding:
        return bool(finding["whole_payments_unlawful"])
    # a result kept before the engine said so: a ban has a limit of nothing
    return finding.get("limit_vnd") == 0


def shares(total: int, amounts: dict[int, int]) -> dict[int, int]:
    """``total`` split in proportion to ``amounts`` in whole dong, by the largest remainder:
    the shares add up to ``total`` exactly (ties go to the earlier payment)."""
    base = sum(amounts.values())
    if base <= 0 or total <= 0:
        return dict.fromkeys(amounts, 0)
    out: dict[int, int] = {}
    remainders: dict[int, int] = {}
    for i, amount in amounts.items():
        out[i], remainders[i] = divmod(total * amount, base)
    rest = total - sum(out.values())
    for i in sorted(remainders, key=lambda k: (-remainders[k], k))[:rest]:
        out[i] += 1
    return out


def refunds(report: dict[str, Any]) -> Refunds:
    """What to ask back of each payment of the engine's ``report``, and the total."""
    findings: list[dict[str, Any]] = list(report.get("findings") or [])
    amounts = {int(i["index"]): int(i["amount_vnd"]) for i in report.get("items") or []}
    unlawful: set[int] = set()
    behind: dict[int, set[int]] = {i: set() for i in amounts}  # positions in ``findings``
    for n, f in enumerate(findings):
        if whole(f):
            for i in f.get("payments") or []:
                if i in amounts and amounts[i] > 0:
                    unlawful.add(i)
                    behind[i].add(n)
    refund = {i: (amounts[i] if i in unlawful else 0) for i in amounts}
    allowed: dict[int, int] = dict.fromkeys(unlawful, 0)
    for n, f in enumerate(findings):
        if f.get("status") not in ("violation", "compliant") or not binding(f) or whole(f):
            continue
        covered = {i: amounts[i] for i in f.get("payments") or [] if i in amounts}
        limit = f.get("limit_vnd")
        if not covered or limit is None:
            continue
        rest = {i: a for i, a in covered.items() if i not in unlawful}
        excess = 0
        if f.get("status") == "violation":
            excess = min(int(f.get("excess_vnd") or 0), max(0, sum(rest.values()) - int(limit)))
        for i, share in shares(excess, rest).items():
            if share > 0:
                refund[i] = max(refund[i], share)
                behind[i].add(n)
        for i, share in shares(int(limit), rest).items():
            allowed[i] = min(allowed.get(i, covered[i]), share, covered[i])
    for i, taken in refund.items():
        if i in allowed:
            allowed[i] = min(allowed[i], amounts[i] - taken)
    payments = tuple(
        Refund(
            index=i,
            paid_vnd=amounts[i],
            refund_vnd=refund[i],
            allowed_vnd=allowed.get(i),
            whole=i in unlawful,
            findings=tuple(findings[n] for n in sorted(behind[i])) if refund[i] > 0 else (),
        )
        for i in amounts
    )
    return Refunds(payments=payments, total_vnd=sum(p.refund_vnd for p in payments))
