"""The fee rules as Polars expressions over one row per engagement.

Input columns (built by :mod:`fairpassage.law.batch`): ``P{c}``, ``N{c}`` (sum in whole dong and
number of payments of category ``c``; ``c`` = ``len(CATEGORIES)`` for unclassified payments),
``E{c}`` (the same sum for payments the ESD cap counts), the conduct flags, and the group
constants of :mod:`fairpassage.law.batch_plan` as columns. Each rule gives five columns
``{i}_status``, ``{i}_key``, ``{i}_excess``, ``{i}_limit``, ``{i}_paid``; each mirrors one function
of ``rules_vn``/``rules_jp`` branch by branch, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from typing import Any

import polars as pl

from fairpassage.law.audit import STATUSES
from fairpassage.law.batch_plan import (
    BORNE_MASK,
    CAPPED_RULES,
    CAT,
    ESD_MASK,
    PROHIBITION_PARAMS,
    RECRUITMENT_MASK,
    UNKNOWN_CAT,
    mask,
)
from fairpassage.law.messages import texts
from fairpassage.law.taxonomy import CATEGORIES

SF = "VN-SERVICE-FEE-CAP"
RULE_IDS = (
    SF,
    *(r[0] for r in CAPPED_RULES[:3]),
    CAPPED_RULES[3][0],
    "VN-JP-SIDE-COSTS",
    *PROHIBITION_PARAMS,
    "ILO-EMPLOYER-PAYS",
    "ILO-ILLEGITIMATE-COST",
    "ESD-SENDING-FEE-CAP",
    "JP-SUPERVISION-SUPPORT-FEES",
    "JP-JAPANESE-PAYEE-FEES",
)
UNCLASSIFIED = "PAYMENT-UNCLASSIFIED"
STATUS = pl.Enum(STATUSES)
RULE = pl.Enum([*RULE_IDS, UNCLASSIFIED])
_USED_KEYS = (
    "none_listed.not_applicable",
    "none_listed.compliant",
    "not_encoded.needs_review",
    "unknown.needs_review",
    "generic.not_applicable",
    "conduct_not_asked.not_applicable",
    "esd_not_started.needs_review",
    "prohibited.violation",
)


def _message_keys() -> list[str]:
    keys = list(_USED_KEYS)
    for key in sorted(texts().findings):
        if key not in keys:
            keys.append(key)
    return keys


MESSAGE = pl.Enum(_message_keys())
ALL = tuple(range(UNKNOWN_CAT + 1))
DEPOSIT_PENALTY = mask(("deposit", "penalty_bond"))
OUTCOME = ("status", "key", "excess", "limit", "paid")


def P(c: int) -> pl.Expr:
    return pl.col(f"P{c}")


def N(c: int) -> pl.Expr:
    return pl.col(f"N{c}")


def _bits(m: int) -> list[int]:
    return [c for c in range(len(CATEGORIES)) if m >> c & 1]


def static_sum(prefix: str, m: int) -> pl.Expr:
    cols = [pl.col(f"{prefix}{c}") for c in _bits(m)]
    return pl.sum_horizontal(cols) if cols else pl.lit(0, pl.Int64)


def dynamic_sum(prefix: str, mask_col: str, possible: int) -> pl.Expr:
    """Sum of ``{prefix}{c}`` over the categories whose bit is set in a per-row mask column
    (only the bits in ``possible`` can be set)."""
    terms = [
        pl.when(pl.col(mask_col).and_(1 << c) != 0).then(pl.col(f"{prefix}{c}")).otherwise(0)
        for c in _bits(possible)
    ]
    return pl.sum_horizontal(terms) if terms else pl.lit(0, pl.Int64)


def _lit(value: Any, dtype: Any) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value, dtype=dtype)


def outcome(
    i: int, branches: Sequence[tuple[pl.Expr | None, dict[str, Any]]], paid: Any = 0
) -> list[pl.Expr]:
    """The five columns of rule ``i`` from ``(condition, values)`` pairs; the last one is the
    fallback (condition None). Missing values: excess 0, limit null, paid ``paid``."""
    dtypes = {"status": STATUS, "key": MESSAGE, "excess": pl.Int64, "limit": pl.Int64}
    dtypes["paid"] = pl.Int64
    defaults: dict[str, Any] = {"excess": 0, "limit": None, "paid": paid}
    out = []
    for name in OUTCOME:
        *conditional, (_none, last) = branches
        expr: Any = None
        for cond, values in conditional:
            assert cond is not None
            value = _lit(values.get(name, defaults.get(name)), dtypes[name])
            expr = pl.when(cond).then(value) if expr is None else expr.when(cond).then(value)
        fallback = _lit(last.get(name, defaults.get(name)), dtypes[name])
        expr = fallback if expr is None else expr.otherwise(fallback)
        out.append(expr.cast(dtypes[name]).alias(f"{i}_{name}"))
    return out


def _flag_true(name: str) -> pl.Expr:
    return pl.col(name).fill_null(False)


def _flag_false(name: str) -> pl.Expr:
    return (~pl.col(name)).fill_null(False)


def rule_columns(jp_possible: int, ilo_possible: int) -> list[pl.Expr]:
    """Every rule's five columns (needs ``sf_limit`` and ``esd_limit`` computed first).

    ``jp_possible`` and ``ilo_possible``: every category the Japan-side annex or the ILO list
    ever names (from the parameter store).
    """
    exprs: list[pl.Expr] = []
    # VN-SERVICE-FEE-CAP
    sf = CAT["service_fee"]
    paid, limit = P(sf), pl.col("sf_limit")
    exprs += outcome(
        0,
        [
            (N(sf) == 0, {"status": "not_applicable", "key": "none_listed.not_applicable"}),
            (~pl.col("sf_known"), {"status": "needs_review", "key": "not_encoded.needs_review"}),
            (
                ~pl.col("sf_all_exact") & (paid > limit),
                {
                    "status": "needs_review",
                    "key": f"{SF}.needs_review_over_general",
                    "limit": limit,
                },
            ),
            (
                ~pl.col("sf_all_exact"),
                {"status": "needs_review", "key": pl.col("sf_review_key"), "limit": limit},
            ),
            (
                paid > limit,
                {
                    "status": "violation",
                    "key": f"{SF}.violation",
                    "excess": paid - limit,
                    "limit": limit,
                },
            ),
            (
                pl.col("sfd_known") & (paid > pl.col("sfd_limit")),
                {
                    "status": "needs_review",
                    "key": f"{SF}.needs_review_ssw_dispatch",
                    "limit": limit,
                },
            ),
            (None, {"status": "compliant", "key": f"{SF}.compliant", "limit": limit}),
        ],
        paid,
    )
    for k, (rule, category, _pid, whole) in enumerate(CAPPED_RULES):
        c, lim, opened = CAT[category], pl.col(f"cap{k}_limit"), pl.col(f"cap{k}_open")
        violation = "prohibited.violation" if whole else f"{rule}.violation"
        compliant = "none_listed.compliant" if whole else f"{rule}.compliant"
        exprs += outcome(
            1 + k,
            [
                (N(c) == 0, {"status": "not_applicable", "key": "none_listed.not_applicable"}),
                (
                    opened.is_not_null(),
                    {"status": "needs_review", "key": opened, "limit": lim, "paid": P(c)},
                ),
                (
                    lim.is_not_null() & (P(c) > lim),
                    {
                        "status": "violation",
                        "key": violation,
                        "limit": lim,
                        "excess": P(c) - lim,
                        "paid": P(c),
                    },
                ),
                (None, {"status": "compliant", "key": compliant, "limit": lim, "paid": P(c)}),
            ],
        )
    # VN-JP-SIDE-COSTS
    bad_p = dynamic_sum("P", "jp_forbidden", jp_possible)
    exprs += outcome(
        5,
        [
            (
                pl.col("jp_open_key").is_not_null() & (static_sum("N", jp_possible) > 0),
                {
                    "status": "needs_review",
                    "key": pl.col("jp_open_key"),
                    "paid": static_sum("P", jp_possible),
                },
            ),
            (
                bad_p > 0,  # a payment of 0 is never a violation
                {
                    "status": "violation",
                    "key": "VN-JP-SIDE-COSTS.violation",
                    "limit": 0,
                    "excess": bad_p,
                    "paid": bad_p,
                },
            ),
            (
                dynamic_sum("N", "jp_review", jp_possible) > 0,
                {
                    "status": "needs_review",
                    "key": "VN-JP-SIDE-COSTS.needs_review",
                    "paid": dynamic_sum("P", "jp_review", jp_possible),
                },
            ),
            (None, {"status": "not_applicable", "key": "generic.not_applicable"}),
        ],
    )
    # Japanese conduct rules
    for j, rule in enumerate(PROHIBITION_PARAMS):
        i = 6 + j
        applies, banned = pl.col(f"pr{j}_applies"), pl.col(f"pr{j}_banned")
        review = pl.col(f"pr{j}_review")
        if rule == "JP-DOCUMENT-RETENTION":
            trig_p, flag, key = pl.lit(0, pl.Int64), "passport_held", rule
            off: list[tuple[pl.Expr | None, dict[str, Any]]] = [
                (
                    ~applies & _flag_true(flag),
                    {"status": "needs_review", "key": f"{rule}.needs_review"},
                ),
                (~applies, {"status": "not_applicable", "key": "generic.not_applicable"}),
            ]
        else:
            deposit = rule.endswith("DEPOSIT-PENALTY")
            m = DEPOSIT_PENALTY if deposit else 0
            trig_p = static_sum("P", m)
            flag = "penalty_contract" if deposit else "forced_savings"
            key = "JP-DEPOSIT-PENALTY" if deposit else rule
            off = [
                (
                    ~applies,
                    {"status": "not_applicable", "key": "generic.not_applicable", "paid": trig_p},
                )
            ]
        triggered = (trig_p > 0) | _flag_true(flag)  # a payment of 0 is never a violation
        exprs += outcome(
            i,
            [
                *off,
                (
                    ~triggered & _flag_false(flag),
                    {"status": "compliant", "key": f"{key}.compliant", "paid": trig_p},
                ),
                (
                    ~triggered,
                    {
                        "status": "not_applicable",
                        "key": "conduct_not_asked.not_applicable",
                        "paid": trig_p,
                    },
                ),
                (
                    banned,
                    {
                        "status": "violation",
                        "key": f"{key}.violation",
                        "excess": trig_p,
                        "limit": 0,
                        "paid": trig_p,
                    },
                ),
                (None, {"status": "needs_review", "key": review, "paid": trig_p}),
            ],
        )
    # ILO-EMPLOYER-PAYS
    # fees paid to organisations in Japan (PJ) are recruitment fees too
    rr_n = static_sum("N", RECRUITMENT_MASK) + pl.col("NJ")
    rr_p = static_sum("P", RECRUITMENT_MASK) + pl.col("PJ")
    exprs += outcome(
        10,
        [
            (
                ~pl.col("ilo_pays"),
                {"status": "not_applicable", "key": "generic.not_applicable", "paid": rr_p},
            ),
            (
                (rr_n > 0) & (rr_p > 0),
                {
                    "status": "advisory",
                    "key": "ILO-EMPLOYER-PAYS.advisory",
                    "limit": 0,
                    "paid": rr_p,
                },
            ),
            (
                pl.col("n_items") == 0,
                {"status": "not_applicable", "key": "generic.not_applicable", "paid": rr_p},
            ),
            (None, {"status": "compliant", "key": "ILO-EMPLOYER-PAYS.compliant", "paid": rr_p}),
        ],
    )
    # ILO-ILLEGITIMATE-COST: a standard, not law - it advises and never makes a violation
    il_p = dynamic_sum("P", "ilo_bad", ilo_possible)
    exprs += outcome(
        11,
        [
            (
                il_p > 0,
                {
                    "status": "advisory",
                    "key": "ILO-ILLEGITIMATE-COST.advisory",
                    "limit": 0,
                    "paid": il_p,
                },
            ),
            (None, {"status": "not_applicable", "key": "none_listed.not_applicable", "paid": il_p}),
        ],
    )
    # ESD-SENDING-FEE-CAP
    esd_p, kind, lim = static_sum("E", ESD_MASK), pl.col("esd_kind"), pl.col("esd_limit")
    over = pl.max_horizontal(esd_p - lim, pl.lit(0, pl.Int64))
    rule = "ESD-SENDING-FEE-CAP"
    exprs += outcome(
        12,
        [
            (kind == "off", {"status": "not_applicable", "key": "generic.not_applicable"}),
            (
                kind == "not_started",
                {"status": "needs_review", "key": "esd_not_started.needs_review", "paid": esd_p},
            ),
            (
                kind == "unknown",
                {"status": "needs_review", "key": "unknown.needs_review", "paid": esd_p},
            ),
            (
                kind == "unverified",
                {
                    "status": "needs_review",
                    "key": f"{rule}.needs_review",
                    "limit": lim,
                    "paid": esd_p,
                },
            ),
            (
                over > 0,
                {
                    "status": "violation",
                    "key": f"{rule}.violation",
                    "limit": lim,
                    "excess": over,
                    "paid": esd_p,
                },
            ),
            (
                None,
                {"status": "compliant", "key": f"{rule}.compliant", "limit": lim, "paid": esd_p},
            ),
        ],
    )
    # Fees of Japanese organisations (rules_payee): sums PJF (all), PJA (supervision), PJB
    # (support); the programme decides which of them its Japanese rule covers.
    programme = pl.col("programme_v")
    cov_p = (
        pl.when(programme == "titp")
        .then(pl.col("PJA"))
        .when(programme == "ssw")
        .then(pl.col("PJB"))
        .otherwise(0)
    )
    cov_n = (
        pl.when(programme == "titp")
        .then(pl.col("NJA"))
        .when(programme == "ssw")
        .then(pl.col("NJB"))
        .otherwise(0)
    )
    rule = "JP-SUPERVISION-SUPPORT-FEES"
    exprs += outcome(
        13,
        [
            (
                (cov_n == 0) | ~pl.col("jf_applies"),
                {"status": "not_applicable", "key": "generic.not_applicable"},
            ),
            (~pl.col("jf_banned"), {"status": "needs_review", "key": pl.col("jf_review")}),
            (
                cov_p > 0,
                {"status": "violation", "key": f"{rule}.violation", "excess": cov_p, "limit": 0},
            ),
            (None, {"status": "compliant", "key": "none_listed.compliant", "limit": 0}),
        ],
        cov_p,
    )
    open_n, open_p = pl.col("NJF") - cov_n, pl.col("PJF") - cov_p
    exprs += outcome(
        14,
        [
            (open_n == 0, {"status": "not_applicable", "key": "generic.not_applicable"}),
            (None, {"status": "needs_review", "key": "JP-JAPANESE-PAYEE-FEES.needs_review"}),
        ],
        open_p,
    )
    return exprs


OPEN_RULES = {10: "ilo_pays_open", 11: "ilo_bad_open"}


def open_columns() -> list[pl.Expr]:
    """``audit.settle_open`` for the rules that always read their parameters: where one is not
    known on the date, the answer is ``needs_review`` (the other rules answer it themselves)."""
    exprs: list[pl.Expr] = []
    for i, flag in OPEN_RULES.items():
        demote = pl.col(flag) & (pl.col(f"{i}_status") != "needs_review")
        exprs += [
            pl.when(demote)
            .then(pl.lit("needs_review", STATUS))
            .otherwise(pl.col(f"{i}_status"))
            .alias(f"{i}_status"),
            pl.when(demote)
            .then(pl.lit("open_parameter.needs_review", MESSAGE))
            .otherwise(pl.col(f"{i}_key"))
            .alias(f"{i}_key"),
            pl.when(demote)
            .then(0)
            .otherwise(pl.col(f"{i}_excess"))
            .cast(pl.Int64)
            .alias(f"{i}_excess"),
        ]
    return exprs


def _violation(i: int) -> pl.Expr:
    return pl.col(f"{i}_status") == "violation"


def summary_columns() -> list[pl.Expr]:
    """Per-engagement totals as in the single check's summary (needs the rule columns)."""
    whole_parts = [
        pl.when(_violation(1)).then(pl.lit(mask(["brokerage"]))).otherwise(0),
        pl.when(_violation(2)).then(pl.lit(mask(["deposit"]))).otherwise(0),
        pl.when(_violation(3)).then(pl.lit(mask(["selection_fee"]))).otherwise(0),
        pl.when(_violation(5)).then(pl.col("jp_forbidden")).otherwise(0),
        pl.when(_violation(6) | _violation(7)).then(pl.lit(DEPOSIT_PENALTY)).otherwise(0),
    ]
    whole = reduce(lambda a, b: a | b, whole_parts).cast(pl.Int64).alias("whole_mask")
    return [whole]


def whole_possible(jp_possible: int, ilo_possible: int) -> int:
    del ilo_possible  # the ILO standard advises: it never makes a payment unlawful
    return mask(["brokerage", "deposit", "selection_fee"]) | DEPOSIT_PENALTY | jp_possible


def excess_column(possible: int) -> pl.Expr:
    """Money paid against the law, each payment counted once (``AuditResult.excess_vnd``)."""

    def inside(prefix: str, c: int) -> pl.Expr:
        in_whole = pl.col("whole_mask").and_(1 << c) != 0
        return pl.when(in_whole).then(pl.col(f"{prefix}{c}")).otherwise(0)

    def outside(category: str) -> pl.Expr:
        c = CAT[category]
        return P(c) - inside("P", c)

    def partial(i: int, rest: pl.Expr) -> pl.Expr:
        excess = pl.col(f"{i}_excess")
        return (
            pl.when(_violation(i) & (excess > 0)).then(pl.min_horizontal(excess, rest)).otherwise(0)
        )

    in_whole = [inside("E", c) for c in _bits(ESD_MASK & possible)]
    esd_rest = static_sum("E", ESD_MASK) - (pl.sum_horizontal(in_whole) if in_whole else 0)
    return (
        dynamic_sum("P", "whole_mask", possible)
        + partial(0, outside("service_fee"))
        + partial(4, outside("fund_contribution"))
        + partial(12, esd_rest)
        + pl.when(_violation(13)).then(pl.col("13_excess")).otherwise(0)
    ).alias("excess_vnd")


def totals_columns() -> list[pl.Expr]:
    counts = []
    for status in STATUSES:
        n = pl.sum_horizontal(
            [(pl.col(f"{i}_status") == status).cast(pl.Int64) for i in range(len(RULE_IDS))]
        )
        if status == "needs_review":
            n = n + N(UNKNOWN_CAT)
        counts.append(n.alias(status))
    return [
        static_sum("P", (1 << len(CATEGORIES)) - 1)
        .add(P(UNKNOWN_CAT))
        .add(pl.col("PJ"))
        .alias("total_paid_vnd"),
        static_sum("P", BORNE_MASK).add(pl.col("PJ")).alias("worker_borne_recruitment_costs_vnd"),
        P(UNKNOWN_CAT).alias("unclassified_vnd"),
        *counts,
    ]


def overall_status() -> pl.Expr:
    expr: Any = None
    for status in STATUSES:
        cond = pl.col(status) > 0
        value = pl.lit(status, STATUS)
        expr = pl.when(cond).then(value) if expr is None else expr.when(cond).then(value)
    result: pl.Expr = expr.otherwise(pl.lit("not_applicable", STATUS)).alias("status")
    return result
