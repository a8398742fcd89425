"""Vietnamese rules (Law 69/2020 and its decrees, circulars and decisions), read by date.

A rule never carries a legal number itself: it asks the parameter store for the value in force on
each Vietnamese evaluation date. A parameter that is ``unknown`` (or not yet encoded) on a date
makes the rule answer ``needs_review`` unless a known value already shows a violation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fairpassage.law.audit import Context, Finding, Item, round_vnd, to_vnd
from fairpassage.law.engagement import JAPANESE_PAYEES
from fairpassage.law.params import Resolved
from fairpassage.law.rulekit import categories_of, indices, total

JP_FEE_TITP3_SAME = "vn.service_fee.jp.titp3_same_organisations"
JP_FEE_SSW_AFTER_TITP = "vn.service_fee.jp.ssw_after_titp"
JP_FEE_OTHER = "vn.service_fee.jp.other"


PUBLIC_UNIT = "vn.service_fee.public_unit_months"
EXTENSION = "vn.service_fee.extension_months_per_12_months"
FOREIGN_PAID = "vn.service_fee.foreign_paid_offset"
SSW_DISPATCH = "vn.jp_side.ssw_dispatch_fee_min_months"


def jp_fee_param(ctx: Context, same: bool | None = None) -> str:
    e = ctx.engagement
    same = e.same_sending_and_supervising if same is None else same
    if e.stage == "titp3" and same:
        return JP_FEE_TITP3_SAME
    if e.programme == "ssw" and e.prior in ("titp2_completed", "titp3_completed"):
        return JP_FEE_SSW_AFTER_TITP
    return JP_FEE_OTHER


def _months_cap(per_12: Decimal, max_months: Decimal, long_months: int, months: int) -> Decimal:
    """Reading for any contract length: pro rata per month below the long-contract length."""
    if months >= long_months:
        return max_months
    return min(max_months, per_12 * Decimal(months) / Decimal(12))


@dataclass(frozen=True)
class _Cap:
    months: Decimal | None  # a known upper bound on the ceiling, in months of wage
    exact: bool  # the upper bound is the ceiling itself (every parameter read is known)
    date: dt.date

    def upper(self, wage: Decimal) -> Decimal | None:
        return None if self.months is None else wage * self.months


def vietnamese_side(items: list[Item]) -> list[Item]:
    """Payments a Vietnamese fee rule reads: not those paid to an organisation in Japan (a fee
    paid there is judged by the Japanese rule, see ``rules_payee``)."""
    return [i for i in items if i.payment.payee not in JAPANESE_PAYEES]


# --------------------------------------------------------------------------- VN-SERVICE-FEE-CAP


def _service_fee_cap_on(ctx: Context, day: dt.date, used: list[Resolved], same: bool) -> _Cap:
    """The ceiling in months of wage on one date (one reading of "same organisations")."""
    e = ctx.engagement
    if e.sender == "public_unit":
        r = ctx.value(PUBLIC_UNIT, day)
        used.append(r)
        if not r.known or r.value is None:
            return _Cap(None, False, day)
        return _Cap(Decimal(str(r.value)), True, day)
    months = e.contract_months
    rate = ctx.value("vn.service_fee.months_per_12_months", day)
    maxm = ctx.value("vn.service_fee.max_months", day)
    longm = ctx.value("vn.service_fee.long_contract_months", day)
    used.extend([rate, maxm, longm])
    if not (rate.known and maxm.known and longm.known):
        return _Cap(None, False, day)
    general = _months_cap(
        Decimal(str(rate.value)), Decimal(str(maxm.value)), int(longm.value), months
    )
    extension = Decimal(0)
    if e.extension_months:
        ext = ctx.value(EXTENSION, day)
        used.append(ext)
        if not ext.known:
            return _Cap(general, False, day)
        extension = Decimal(str(ext.value)) * Decimal(e.extension_months) / Decimal(12)
    jp = ctx.value(jp_fee_param(ctx, same), day)
    used.append(jp)
    if not jp.known:
        return _Cap(general + extension, False, day)
    if jp.value is None:
        return _Cap(general + extension, True, day)
    jp_rate = Decimal(str(jp.value["months_per_12_months"]))
    jp_months = _months_cap(jp_rate, Decimal(str(jp.value["max_months"])), int(longm.value), months)
    if e.extension_months:
        jp_months += jp_rate * Decimal(e.extension_months) / Decimal(12)
    return _Cap(min(general + extension, jp_months), True, day)


def _dispatch_months(ctx: Context, used: list[Resolved]) -> Decimal | bool | None:
    """SSW: the dispatch fee the Japanese party must pay (Circular 02/2024 Annex II), in months.

    ``None`` when it does not apply, ``False`` when the parameter is open on a date.
    """
    e = ctx.engagement
    if e.programme != "ssw" or e.japanese_side_paid_service_fee is not None:
        return None
    if e.sender == "public_unit":
        return None
    values = [ctx.value(SSW_DISPATCH, d) for d in ctx.vn_dates]
    used.extend(values)
    if any(not r.known for r in values):
        return False
    known = [Decimal(str(r.value)) for r in values if r.value is not None]
    return max(known) if known else None


def _service_fee_finding(ctx: Context, same: bool) -> Finding:
    rule = "VN-SERVICE-FEE-CAP"
    e = ctx.engagement
    items = vietnamese_side(ctx.items_in(["service_fee"]))
    paid = total(items)
    used: list[Resolved] = list(ctx.transitions_used)
    base: dict[str, Any] = {
        "rule": rule,
        "paid_vnd": paid,
        "payments": indices(items),
        "used": used,
        "dates": ctx.vn_dates,
    }
    if not items:
        return Finding(
            status="not_applicable",
            message_key="none_listed.not_applicable",
            message_params={"what": ("service_fee",)},
            **base,
        )
    caps = [_service_fee_cap_on(ctx, d, used, same) for d in ctx.vn_dates]
    dispatch = _dispatch_months(ctx, used)
    offset = 0
    if e.japanese_side_paid_service_fee is not None:
        r = ctx.value(FOREIGN_PAID, e.signed_on)
        used.append(r)
        if r.known and r.value:
            offset = round_vnd(to_vnd(e.japanese_side_paid_service_fee, e.fx))
            base["extra"] = {"japanese_side_paid_vnd": offset}
    known = [c for c in caps if c.months is not None]
    if not known:
        return Finding(
            status="needs_review",
            message_key="not_encoded.needs_review",
            message_params={"what": ("service_fee",), "date": caps[0].date},
            **base,
        )
    lowest = min(known, key=lambda c: c.months or Decimal(0))
    assert lowest.months is not None
    limit = max(0, round_vnd(ctx.wage_vnd * lowest.months) - offset)
    all_exact = len(known) == len(caps) and all(c.exact for c in caps) and dispatch is not False
    if not all_exact:
        open_date = next((c.date for c in caps if not c.exact), caps[0].date)
        if paid > limit:
            return Finding(
                status="needs_review",
                message_key=f"{rule}.needs_review_over_general",
                limit_vnd=limit,
                message_params={"date": open_date, "over_vnd": paid - limit},
                extra={**base.pop("extra", {}), "reported_excess_vnd": paid - limit},
                **base,
            )
        if len(known) < len(caps):
            return Finding(
                status="needs_review",
                message_key="not_encoded.needs_review",
                limit_vnd=limit,
                message_params={"what": ("service_fee",), "date": open_date},
                **base,
            )
        since = next((r.since for r in used if r.state == "unknown" and r.since), open_date)
        return Finding(
            status="needs_review",
            message_key=f"{rule}.needs_review",
            limit_vnd=limit,
            message_params={"date": since},
            **base,
        )
    if paid > limit:
        return Finding(
            status="violation",
            message_key=f"{rule}.violation",
            excess_vnd=paid - limit,
            limit_vnd=limit,
            extra={**base.pop("extra", {}), "excess_is_minimum": False},
            **base,
        )
    if isinstance(dispatch, Decimal):
        share = round_vnd(ctx.wage_vnd * max(Decimal(0), lowest.months - dispatch))
        if paid > share:
            return Finding(
                status="needs_review",
                message_key=f"{rule}.needs_review_ssw_dispatch",
                limit_vnd=limit,
                message_params={"months": dispatch.normalize(), "share": share},
                extra={**base.pop("extra", {}), "worker_share_if_dispatch_paid_vnd": share},
                **base,
            )
    return Finding(status="compliant", message_key=f"{rule}.compliant", limit_vnd=limit, **base)


def service_fee_cap(ctx: Context) -> list[Finding]:
    """Law 69 Art. 23(4); when a TITP stage-3 trainee does not say whether the organisations
    stayed the same, both readings are made and only an answer they share is given."""
    e = ctx.engagement
    if e.stage != "titp3" or e.same_sending_and_supervising is not None:
        return [_service_fee_finding(ctx, bool(e.same_sending_and_supervising))]
    same = _service_fee_finding(ctx, True)
    other = _service_fee_finding(ctx, False)
    if same.status == other.status and same.status in ("not_applicable", "needs_review"):
        return [other]
    if "needs_review" in (same.status, other.status):  # one reading is itself open
        return [same if same.status == "needs_review" else other]
    if same.status == other.status == "violation":
        return [other]  # over even the larger ceiling: the smaller excess is certain
    if same.status == other.status == "compliant":
        return [same]
    return [
        Finding(
            rule=other.rule,
            status="needs_review",
            message_key="VN-SERVICE-FEE-CAP.needs_review_same_unknown",
            limit_vnd=same.limit_vnd,
            paid_vnd=other.paid_vnd,
            payments=other.payments,
            used=other.used + [r for r in same.used if r not in other.used],
            dates=other.dates,
            message_params={"limit_same": same.limit_vnd or 0, "limit_other": other.limit_vnd or 0},
            extra={"limits_by_reading_vnd": {"same": same.limit_vnd, "changed": other.limit_vnd}},
        )
    ]


# ------------------------------------------------- prohibited or capped categories (VN, dated)


def _capped_categories(
    ctx: Context,
    rule: str,
    categories: tuple[str, ...],
    param_id: str,
    *,
    whole: bool,
    violation_key: str = "prohibited.violation",
    compliant_key: str | None = None,
    vietnamese_fee: bool = False,
) -> list[Finding]:
    items = ctx.items_in(categories)
    if vietnamese_fee:
        items = vietnamese_side(items)
    paid = total(items)
    used: list[Resolved] = list(ctx.transitions_used)
    base: dict[str, Any] = {
        "rule": rule,
        "paid_vnd": paid,
        "payments": indices(items),
        "used": used,
        "dates": ctx.vn_dates,
        "whole_payments_unlawful": whole,
    }
    what = categories_of(items) or categories
    if not items:
        return [
            Finding(
                status="not_applicable",
                message_key="none_listed.not_applicable",
                message_params={"what": categories},
                **base,
            )
        ]
    values = [ctx.value(param_id, d) for d in ctx.vn_dates]
    used.extend(values)
    known = [r for r in values if r.known and r.value is not None]
    limit = min((int(r.value) for r in known), default=None)
    open_values = [r for r in values if not r.known]
    if open_values:
        r = open_values[0]
        key = "unknown.needs_review" if r.state == "unknown" else "not_encoded.needs_review"
        return [
            Finding(
                status="needs_review",
                message_key=key,
                limit_vnd=limit,
                message_params={"what": what, "date": r.since or r.on},
                **base,
            )
        ]
    if limit is not None and paid > limit:
        return [
            Finding(
                status="violation",
                message_key=violation_key,
                limit_vnd=limit,
                excess_vnd=paid - limit,
                message_params={"what": what},
                **base,
            )
        ]
    return [
        Finding(
            status="compliant",
            message_key=compliant_key or "none_listed.compliant",
            limit_vnd=limit,
            message_params={"what": what},
            **base,
        )
    ]


def brokerage_from_worker(ctx: Context) -> list[Finding]:
    return _capped_categories(
        ctx,
        "VN-BROKERAGE-FROM-WORKER",
        ("brokerage",),
        "vn.brokerage.max_from_worker_vnd",
        whole=True,
        vietnamese_fee=True,
    )


def worker_deposit_japan(ctx: Context) -> list[Finding]:
    return _capped_categories(
        ctx, "VN-WORKER-DEPOSIT-JAPAN", ("deposit",), "vn.deposit.japan_max_vnd", whole=True
    )


def selection_fee(ctx: Context) -> list[Finding]:
    return _capped_categories(
        ctx,
        "VN-SELECTION-FEE",
        ("selection_fee",),
        "vn.selection_fee.max_from_worker_vnd",
        whole=True,
        vietnamese_fee=True,
    )


def fund_contribution(ctx: Context) -> list[Finding]:
    return _capped_categories(
        ctx,
        "VN-FUND-CONTRIBUTION",
        ("fund_contribution",),
        "vn.fund.worker_contribution_vnd",
        whole=False,
        violation_key="VN-FUND-CONTRIBUTION.violation",
        compliant_key="VN-FUND-CONTRIBUTION.compliant",
    )


#: A category that may hold an item the Japanese side pays without saying which one: travel
#: whose trip is not said, an air ticket whose direction is not said.
MAY_HOLD: dict[str, tuple[str, ...]] = {
    "travel": ("flight_to_japan", "flight_home", "air_ticket", "domestic_travel"),
    "air_ticket": ("flight_to_japan", "flight_home"),
}


def jp_side_review(listed: set[str]) -> set[str]:
    """Categories not on the Japanese side's list that may hold an item on it."""
    return {c for c, inner in MAY_HOLD.items() if c not in listed and listed & set(inner)}


def jp_side_candidates(param_entries: Any) -> set[str]:
    """Every category any programme's list ever names, and those that may hold one of them."""
    found: set[str] = set()
    for entry in param_entries:
        if not entry.unknown and isinstance(entry.value, dict):
            for cats in entry.value.values():
                found.update(cats)
    return found | jp_side_review(found)


def jp_side_costs(ctx: Context) -> list[Finding]:
    """Items (not whole categories) the Japanese side must pay (Circular 02/2024 Annex II).

    A payment of an item on the list is a violation; one that may or may not be on it (travel
    whose trip is not said, an air ticket whose direction is not said) needs review; anything
    else (domestic travel, the SSW flight home, test fees) is not on the list."""
    rule = "VN-JP-SIDE-COSTS"
    pid = "vn.jp_side_costs.categories"
    programme = ctx.engagement.programme
    candidates = jp_side_candidates(ctx.store.get(pid).entries)
    used: list[Resolved] = list(ctx.transitions_used)
    base: dict[str, Any] = {"rule": rule, "used": used, "dates": ctx.vn_dates}
    maybe = ctx.items_in(sorted(candidates))
    if not maybe:
        return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
    values = [ctx.value(pid, d) for d in ctx.vn_dates]
    used.extend(values)
    open_values = [r for r in values if not r.known]
    if open_values:
        r = open_values[0]
        key = "unknown.needs_review" if r.state == "unknown" else "not_encoded.needs_review"
        return [
            Finding(
                status="needs_review",
                message_key=key,
                paid_vnd=total(maybe),
                payments=indices(maybe),
                message_params={"what": categories_of(maybe), "date": r.since or r.on},
                **base,
            )
        ]
    forbidden: set[str] = set()
    for r in values:
        if isinstance(r.value, dict):
            forbidden.update(r.value.get(programme, []))
    bad = [i for i in ctx.items_in(sorted(forbidden)) if i.amount_vnd > 0]
    prog = {"programme": programme}
    if bad:
        return [
            Finding(
                status="violation",
                message_key=f"{rule}.violation",
                limit_vnd=0,
                excess_vnd=total(bad),
                paid_vnd=total(bad),
                payments=indices(bad),
                whole_payments_unlawful=True,
                message_params={"what": categories_of(bad), **prog},
                **base,
            )
        ]
    unsaid = ctx.items_in(sorted(jp_side_review(forbidden)))
    if unsaid:
        return [
            Finding(
                status="needs_review",
                message_key=f"{rule}.needs_review",
                paid_vnd=total(unsaid),
                payments=indices(unsaid),
                message_params={"what": categories_of(unsaid), **prog},
                **base,
            )
        ]
    return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
