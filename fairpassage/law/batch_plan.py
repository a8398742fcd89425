"""The law's constants for groups of engagements (pure Python, computed once per group).

Every parameter changes value only on its entry dates, and the transition provisions compare
dates only with their own fixed dates. Between two consecutive such dates (a *window*) every
lookup gives the same answer, so the law applied to an engagement depends on its dates only
through the windows of the contract and departure dates. An engagement's *group* is (contract
window, departure window, programme, stage, prior, same organisations); this module answers, for
one group, every parameter-dependent choice the rules make, so the batch audit evaluates the rules
on all rows of a group with the same constants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from fairpassage.law.audit import TRANSITIONS, Context, build_context
from fairpassage.law.engagement import Engagement, Money
from fairpassage.law.params import ParameterStore, Resolved
from fairpassage.law.rules_jp import ESD_EXCLUDED
from fairpassage.law.rules_payee import PROHIBITIONS as JAPANESE_FEE_PROHIBITIONS
from fairpassage.law.rules_vn import SSW_DISPATCH, _months_cap, jp_fee_param, jp_side_review
from fairpassage.law.rules_vn import jp_side_candidates as _jp_candidates
from fairpassage.law.taxonomy import CATEGORIES, ILO_CLASS

CAT = {c: i for i, c in enumerate(CATEGORIES)}
UNKNOWN_CAT = len(CATEGORIES)


def mask(categories: Any) -> int:
    out = 0
    for c in categories:
        if c in CAT:
            out |= 1 << CAT[c]
    return out


RECRUITMENT_MASK = mask(c for c, k in ILO_CLASS.items() if k in ("recruitment_fee", "related_cost"))
BORNE_MASK = mask(
    c for c, k in ILO_CLASS.items() if k in ("recruitment_fee", "related_cost", "illegitimate")
)
ESD_MASK = mask(c for c in CATEGORIES if c not in ESD_EXCLUDED)


def breakpoints(store: ParameterStore) -> tuple[dt.date, ...]:
    """Every date on which a lookup or a transition condition can change its answer."""
    days: set[dt.date] = set()
    for param in store:
        for entry in param.entries:
            days.add(entry.since)
            if param.id in TRANSITIONS and isinstance(entry.value, dict):
                days.update(v for v in entry.value.values() if isinstance(v, dt.date))
    return tuple(sorted(days))


def representative(points: tuple[dt.date, ...], window: int) -> dt.date:
    """A date of the window (window ``w`` holds the dates with exactly ``w`` breakpoints <= it)."""
    return points[window - 1] if window > 0 else dt.date(1, 1, 1)


def _needs_review_key(r: Resolved) -> str:
    return "unknown.needs_review" if r.state == "unknown" else "not_encoded.needs_review"


@dataclass(frozen=True)
class Capped:
    limit: int | None  # the lowest known ceiling over the Vietnamese dates
    open_key: str | None  # message key when a date has no known value


def _capped(ctx: Context, param_id: str) -> Capped:
    values = [ctx.value(param_id, d) for d in ctx.vn_dates]
    known = [r for r in values if r.known and r.value is not None]
    limit = min((int(r.value) for r in known), default=None)
    open_values = [r for r in values if not r.known]
    return Capped(limit, _needs_review_key(open_values[0]) if open_values else None)


CAPPED_RULES = (
    ("VN-BROKERAGE-FROM-WORKER", "brokerage", "vn.brokerage.max_from_worker_vnd", True),
    ("VN-WORKER-DEPOSIT-JAPAN", "deposit", "vn.deposit.japan_max_vnd", True),
    ("VN-SELECTION-FEE", "selection_fee", "vn.selection_fee.max_from_worker_vnd", True),
    ("VN-FUND-CONTRIBUTION", "fund_contribution", "vn.fund.worker_contribution_vnd", False),
)


@dataclass(frozen=True)
class Prohibition:
    applies: bool  # the programme has this prohibition
    banned: bool  # the prohibition is known and in force on the Japanese date
    review_key: str  # message key when it is not


def _prohibition(ctx: Context, param_id: str | None) -> Prohibition:
    if param_id is None:
        return Prohibition(False, False, "")
    r = ctx.value(param_id, ctx.jp_date)
    return Prohibition(True, r.known and r.value is True, _needs_review_key(r))


PROHIBITION_PARAMS: dict[str, dict[str, str]] = {
    "JP-TITP-DEPOSIT-PENALTY": {
        "titp": "jp.titp.deposit_penalty_ban",
        "esd": "esd.deposit_penalty_ban",
    },
    "JP-SSW-DEPOSIT-PENALTY": {"ssw": "jp.ssw.deposit_penalty_ban"},
    "JP-TITP-FORCED-SAVINGS": {
        "titp": "jp.titp.forced_savings_ban",
        "esd": "esd.forced_savings_ban",
    },
    "JP-DOCUMENT-RETENTION": {
        "titp": "jp.titp.document_retention_ban",
        "esd": "esd.document_retention_ban",
    },
}


@dataclass(frozen=True)
class Esd:
    kind: str  # off | not_started | unknown | unverified | capped
    months: Decimal | None


def _esd(ctx: Context) -> Esd:
    if ctx.engagement.programme != "esd":
        return Esd("off", None)
    r = ctx.value("esd.sending_fee.cap_months", ctx.jp_date)
    if r.state == "not_in_force":
        return Esd("not_started", None)
    if not r.known or r.value is None:
        return Esd("unknown", None)
    months = Decimal(str(r.value))
    return Esd("capped" if r.verification == "verified" else "unverified", months)


# A service-fee cap on one Vietnamese date, before the contract length is known:
# None (a general parameter is not known) or (rate, max months, long months, jp reading).
CapSpec = tuple[Decimal, Decimal, int, str, Decimal | None, Decimal | None] | None


def _cap_spec(ctx: Context, day: dt.date) -> CapSpec:
    rate = ctx.value("vn.service_fee.months_per_12_months", day)
    maxm = ctx.value("vn.service_fee.max_months", day)
    longm = ctx.value("vn.service_fee.long_contract_months", day)
    if not (rate.known and maxm.known and longm.known):
        return None
    general = (Decimal(str(rate.value)), Decimal(str(maxm.value)), int(longm.value))
    jp = ctx.value(jp_fee_param(ctx), day)
    if not jp.known:
        return (*general, "open", None, None)
    if jp.value is None:
        return (*general, "general", None, None)
    jp_rate = Decimal(str(jp.value["months_per_12_months"]))
    jp_max = Decimal(str(jp.value["max_months"]))
    return (*general, "japan", jp_rate, jp_max)


# SSW: the least dispatch fee the Japanese party pays, in months (None: not SSW; False: open).
Dispatch = Decimal | bool | None
SfSpec = tuple[tuple[CapSpec, ...], Dispatch]


def _dispatch(ctx: Context) -> Dispatch:
    """Mirror of ``rules_vn._dispatch_months`` for an engagement with none of the new inputs."""
    if ctx.engagement.programme != "ssw":
        return None
    values = [ctx.value(SSW_DISPATCH, d) for d in ctx.vn_dates]
    if any(not r.known for r in values):
        return False
    known = [Decimal(str(r.value)) for r in values if r.value is not None]
    return max(known) if known else None


def _open_key(values: list[Resolved]) -> str | None:
    """The needs-review message key of the first lookup that is not known, if any."""
    return next((_needs_review_key(r) for r in values if not r.known), None)


@dataclass(frozen=True)
class Group:
    service_fee: SfSpec
    capped: tuple[Capped, ...]
    jp_forbidden: int  # category mask the Japanese side must pay (violation when the worker paid)
    jp_open_key: str | None  # a Vietnamese date where the Japan annex is not known: its key
    jp_review: int  # category mask that may hold an item on the list (needs review)
    prohibitions: tuple[Prohibition, ...]
    ilo_employer_pays: bool
    ilo_illegitimate: int  # category mask
    esd: Esd
    ilo_open: tuple[bool, bool]  # the ILO parameters are not known on the contract date
    japanese_fees: Prohibition  # the Japanese rule on fees of Japanese organisations


def group_constants(
    store: ParameterStore,
    points: tuple[dt.date, ...],
    key: tuple[int, int, str, str, str, bool],
) -> Group:
    """The law's constants for one group (windows, programme, stage, prior, same organisations)."""
    signed_w, departs_w, programme, stage, prior, same = key
    engagement = Engagement(
        programme=programme,
        stage=stage,
        prior=prior,
        same_sending_and_supervising=same,
        contract_months=1,
        monthly_basic_wage=Money(Decimal(1), "VND"),
        signed_on=representative(points, signed_w),
        departs_on=representative(points, departs_w) if departs_w >= 0 else None,
        payments=(),
    )
    ctx = build_context(engagement, store)
    forbidden: set[str] = set()
    jp_values = [ctx.value("vn.jp_side_costs.categories", d) for d in ctx.vn_dates]
    for r in jp_values:
        if r.known and isinstance(r.value, dict):
            forbidden.update(r.value.get(programme, []))
    ilo_pays = ctx.value("ilo.employer_pays", engagement.signed_on)
    ilo_bad = ctx.value("ilo.illegitimate_costs.categories", engagement.signed_on)
    return Group(
        service_fee=(tuple(_cap_spec(ctx, d) for d in ctx.vn_dates), _dispatch(ctx)),
        capped=tuple(_capped(ctx, pid) for _rule, _cat, pid, _whole in CAPPED_RULES),
        jp_forbidden=mask(forbidden),
        jp_open_key=_open_key(jp_values),
        jp_review=mask(jp_side_review(forbidden)),
        prohibitions=tuple(
            _prohibition(ctx, table.get(programme)) for table in PROHIBITION_PARAMS.values()
        ),
        ilo_employer_pays=bool(ilo_pays.known and ilo_pays.value),
        ilo_illegitimate=mask(ilo_bad.value) if ilo_bad.known and ilo_bad.value else 0,
        esd=_esd(ctx),
        ilo_open=(not ilo_pays.known, not ilo_bad.known),
        japanese_fees=_prohibition(
            ctx,
            JAPANESE_FEE_PROHIBITIONS[programme][2]
            if programme in JAPANESE_FEE_PROHIBITIONS
            else None,
        ),
    )


def jp_side_candidates(store: ParameterStore) -> int:
    """Categories any programme's Japanese side has ever had to pay, and those that may hold
    one of them (the rule's review set)."""
    return mask(_jp_candidates(store.get("vn.jp_side_costs.categories").entries))


def ilo_candidates(store: ParameterStore) -> int:
    """Categories the ILO list of illegitimate costs has ever named."""
    found: set[str] = set()
    for entry in store.get("ilo.illegitimate_costs.categories").entries:
        if not entry.unknown and entry.value:
            found.update(entry.value)
    return mask(found)


@dataclass(frozen=True)
class FeeCap:
    """The service-fee cap of a group for one contract length."""

    known: bool  # some date has a known ceiling
    factor: Decimal  # the lowest ceiling in months of wage (when known)
    lowest_exact: bool  # that ceiling is the ceiling itself, not only an upper bound
    all_exact: bool  # every date's ceiling is known exactly
    review_key: str  # message key when not all are exact
    share_known: bool = False  # SSW: the worker's share once the dispatch fee is counted
    share_factor: Decimal = Decimal(0)


@lru_cache(maxsize=4096)
def _factor(spec: CapSpec, months: int) -> tuple[Decimal, bool] | None:
    if spec is None:
        return None
    rate, maxm, longm, kind, jp_rate, jp_max = spec
    general = _months_cap(rate, maxm, longm, months)
    if kind == "general":
        return general, True
    if kind == "open":
        return general, False
    assert jp_rate is not None and jp_max is not None
    return min(general, _months_cap(jp_rate, jp_max, longm, months)), True


def fee_cap(spec: SfSpec, months: int) -> FeeCap:
    """Mirror of the service-fee rule's choice among its dates, in months of wage.

    ``wage * a <= wage * b`` exactly when ``a <= b`` (the wage is positive), so the lowest ceiling
    is the one with the lowest factor, the first one on a tie, as in the single check.
    """
    specs, dispatch = spec
    caps = [_factor(s, months) for s in specs]
    known = [c for c in caps if c is not None]
    if not known:
        return FeeCap(False, Decimal(0), False, False, "not_encoded.needs_review")
    lowest = min(known, key=lambda c: c[0])
    all_exact = len(known) == len(caps) and all(c[1] for c in known) and dispatch is not False
    key = (
        "not_encoded.needs_review" if len(known) < len(caps) else "VN-SERVICE-FEE-CAP.needs_review"
    )
    if isinstance(dispatch, Decimal):
        share = max(Decimal(0), lowest[0] - dispatch)
        return FeeCap(True, lowest[0], lowest[1], all_exact, key, True, share)
    return FeeCap(True, lowest[0], lowest[1], all_exact, key)
