"""Fees of Japanese organisations: who was paid decides which country's law applies.

A fee paid to an organisation in Japan (a supervising organisation, a placement agency, a
registered support organisation, or "the Japanese side") or a fee that is by its kind one of
theirs (a supervision fee, a support organisation's fee, a job-change fee) is not a Vietnamese
service fee: the Vietnamese ceilings do not read it (``rules_vn.vietnamese_side``). Two rules
read it instead, never counting it under another country's law:

* ``JP-SUPERVISION-SUPPORT-FEES``: where a Japanese rule is encoded - TITP supervision fees
  (監理費) and SSW support costs must not be charged to the worker, directly or indirectly;
* ``JP-JAPANESE-PAYEE-FEES``: every other such fee needs review, with the reason.
"""

from __future__ import annotations

from typing import Any

from fairpassage.law.audit import Context, Finding, Item
from fairpassage.law.engagement import JAPANESE_PAYEES
from fairpassage.law.rulekit import categories_of, indices, total
from fairpassage.law.taxonomy import JAPANESE_FEE_CATEGORIES

COVERED = "JP-SUPERVISION-SUPPORT-FEES"
OPEN = "JP-JAPANESE-PAYEE-FEES"
#: Fee categories a Vietnamese rule reads unless the payee is in Japan.
VIETNAMESE_FEE_CATEGORIES = ("service_fee", "brokerage", "selection_fee")
#: programme -> (fee category, payee, the Japanese prohibition that covers them)
PROHIBITIONS: dict[str, tuple[str, str, str]] = {
    "titp": ("supervision_fee", "jp_supervising_organisation", "jp.titp.supervision_fee_ban"),
    "ssw": ("support_fee", "jp_support_organisation", "jp.ssw.support_cost_ban"),
}


def is_japanese_fee(item: Item) -> bool:
    """A fee of a Japanese organisation, by its kind or by who was paid."""
    return item.category in JAPANESE_FEE_CATEGORIES or (
        item.category in VIETNAMESE_FEE_CATEGORIES and item.payment.payee in JAPANESE_PAYEES
    )


def covered_by(programme: str, item: Item) -> str | None:
    """The parameter of the Japanese prohibition that covers a Japanese fee, if one is encoded."""
    rule = PROHIBITIONS.get(programme)
    if rule is None:
        return None
    category, payee, param_id = rule
    return param_id if item.category == category or item.payment.payee == payee else None


def _split(ctx: Context) -> tuple[list[Item], list[Item], str | None]:
    programme = ctx.engagement.programme
    fees = [i for i in ctx.items if is_japanese_fee(i)]
    covered = [i for i in fees if covered_by(programme, i)]
    rest = [i for i in fees if not covered_by(programme, i)]
    rule = PROHIBITIONS.get(programme)
    return covered, rest, rule[2] if rule else None


def supervision_support_fees(ctx: Context) -> list[Finding]:
    covered, _rest, param_id = _split(ctx)
    base: dict[str, Any] = {
        "rule": COVERED,
        "dates": (ctx.jp_date,),
        "paid_vnd": total(covered),
        "payments": indices(covered),
    }
    if not covered or param_id is None:
        return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
    r = ctx.value(param_id, ctx.jp_date)
    what = {"what": categories_of(covered)}
    if not (r.known and r.value is True):
        key = "unknown.needs_review" if r.state == "unknown" else "not_encoded.needs_review"
        return [
            Finding(
                status="needs_review",
                message_key=key,
                used=[r],
                message_params={**what, "date": r.since or r.on},
                **base,
            )
        ]
    paid = total(covered)
    if paid > 0:  # a payment of 0 is never a violation
        return [
            Finding(
                status="violation",
                message_key=f"{COVERED}.violation",
                limit_vnd=0,
                excess_vnd=paid,
                whole_payments_unlawful=True,
                used=[r],
                message_params=what,
                **base,
            )
        ]
    return [
        Finding(
            status="compliant",
            message_key="none_listed.compliant",
            limit_vnd=0,
            used=[r],
            message_params=what,
            **base,
        )
    ]


def japanese_payee_fees(ctx: Context) -> list[Finding]:
    _covered, rest, _param_id = _split(ctx)
    base: dict[str, Any] = {
        "rule": OPEN,
        "dates": (ctx.jp_date,),
        "paid_vnd": total(rest),
        "payments": indices(rest),
    }
    if not rest:
        return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
    return [
        Finding(
            status="needs_review",
            message_key=f"{OPEN}.needs_review",
            message_params={"what": categories_of(rest)},
            **base,
        )
    ]
