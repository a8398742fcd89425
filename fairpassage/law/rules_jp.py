"""Japanese rules (TITP Act, SSW standards, ESD), the ILO benchmark, unclassified payments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fairpassage.law.audit import Context, Finding, round_vnd
from fairpassage.law.rulekit import categories_of, indices, total

# ----------------------------------------------------------------------- Japanese conduct rules


def _jp_prohibition(
    ctx: Context,
    rule: str,
    param_id: str | None,
    triggered_by: tuple[str, ...],
    flag: bool | None,
    key: str,
) -> list[Finding]:
    items = ctx.items_in(triggered_by)
    paid = total(items)
    programme = ctx.engagement.programme
    base: dict[str, Any] = {
        "rule": rule,
        "paid_vnd": paid,
        "payments": indices(items),
        "dates": (ctx.jp_date,),
    }
    prog = {"programme": programme}
    triggered = paid > 0 or flag is True  # a payment of 0 is never a violation
    if param_id is None:
        return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
    if not triggered:  # nothing to judge: the ban is not looked up
        if flag is False:
            return [
                Finding(
                    status="compliant",
                    message_key=f"{key}.compliant",
                    message_params=prog,
                    **base,
                )
            ]
        return [
            Finding(
                status="not_applicable",
                message_key="conduct_not_asked.not_applicable",
                **base,
            )
        ]
    r = ctx.value(param_id, ctx.jp_date)
    used = [r]
    if r.known and r.value is True:
        return [
            Finding(
                status="violation",
                message_key=f"{key}.violation",
                used=used,
                excess_vnd=paid,
                limit_vnd=0,
                whole_payments_unlawful=True,
                message_params=prog,
                **base,
            )
        ]
    msg = "unknown.needs_review" if r.state == "unknown" else "not_encoded.needs_review"
    return [
        Finding(
            status="needs_review",
            message_key=msg,
            used=used,
            message_params={"what": triggered_by, "date": r.since or r.on},
            **base,
        )
    ]


def _by_programme(ctx: Context, table: dict[str, str]) -> str | None:
    return table.get(ctx.engagement.programme)


def jp_deposit_penalty(ctx: Context) -> list[Finding]:
    pid = _by_programme(
        ctx, {"titp": "jp.titp.deposit_penalty_ban", "esd": "esd.deposit_penalty_ban"}
    )
    return _jp_prohibition(
        ctx,
        "JP-TITP-DEPOSIT-PENALTY",
        pid,
        ("deposit", "penalty_bond"),
        ctx.engagement.conduct.penalty_contract,
        "JP-DEPOSIT-PENALTY",
    )


def jp_ssw_deposit_penalty(ctx: Context) -> list[Finding]:
    pid = _by_programme(ctx, {"ssw": "jp.ssw.deposit_penalty_ban"})
    return _jp_prohibition(
        ctx,
        "JP-SSW-DEPOSIT-PENALTY",
        pid,
        ("deposit", "penalty_bond"),
        ctx.engagement.conduct.penalty_contract,
        "JP-DEPOSIT-PENALTY",
    )


def jp_forced_savings(ctx: Context) -> list[Finding]:
    pid = _by_programme(
        ctx, {"titp": "jp.titp.forced_savings_ban", "esd": "esd.forced_savings_ban"}
    )
    return _jp_prohibition(
        ctx,
        "JP-TITP-FORCED-SAVINGS",
        pid,
        (),
        ctx.engagement.conduct.forced_savings,
        "JP-TITP-FORCED-SAVINGS",
    )


def jp_document_retention(ctx: Context) -> list[Finding]:
    rule = "JP-DOCUMENT-RETENTION"
    held = ctx.engagement.conduct.passport_held
    pid = _by_programme(
        ctx, {"titp": "jp.titp.document_retention_ban", "esd": "esd.document_retention_ban"}
    )
    if pid is None:
        base: dict[str, Any] = {
            "rule": rule,
            "dates": (ctx.jp_date,),
            "message_params": {"programme": ctx.engagement.programme},
        }
        if held:
            return [Finding(status="needs_review", message_key=f"{rule}.needs_review", **base)]
        return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
    return _jp_prohibition(ctx, rule, pid, (), held, rule)


# ----------------------------------------------------------------------------- ILO and ESD


def ilo_employer_pays(ctx: Context) -> list[Finding]:
    rule = "ILO-EMPLOYER-PAYS"
    r = ctx.value("ilo.employer_pays", ctx.engagement.signed_on)
    items = [i for i in ctx.items if i.ilo_class in ("recruitment_fee", "related_cost")]
    base: dict[str, Any] = {
        "rule": rule,
        "used": [r],
        "dates": (ctx.engagement.signed_on,),
        "paid_vnd": total(items),
        "payments": indices(items),
    }
    if not (r.known and r.value):
        return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
    if items and total(items) > 0:
        return [Finding(status="advisory", message_key=f"{rule}.advisory", limit_vnd=0, **base)]
    if not ctx.items:
        return [Finding(status="not_applicable", message_key="generic.not_applicable", **base)]
    return [Finding(status="compliant", message_key=f"{rule}.compliant", **base)]


def ilo_illegitimate(ctx: Context) -> list[Finding]:
    """The ILO definition is a standard, not law in Viet Nam or Japan: it advises, with the
    amount, and never makes a violation (nor counts in the excess or the refund letter)."""
    rule = "ILO-ILLEGITIMATE-COST"
    r = ctx.value("ilo.illegitimate_costs.categories", ctx.engagement.signed_on)
    cats = tuple(r.value) if r.known and r.value else ()
    items = ctx.items_in(cats)
    base: dict[str, Any] = {
        "rule": rule,
        "used": [r],
        "dates": (ctx.engagement.signed_on,),
        "paid_vnd": total(items),
        "payments": indices(items),
    }
    if total(items) <= 0:
        return [
            Finding(
                status="not_applicable",
                message_key="none_listed.not_applicable",
                message_params={"what": cats or ("bribe",)},
                **base,
            )
        ]
    return [
        Finding(
            status="advisory",
            message_key=f"{rule}.advisory",
            limit_vnd=0,
            message_params={"what": categories_of(items)},
            **base,
        )
    ]


ESD_COUNTED_PAYEES = ("sending_organisation", "broker", "unknown")
# Not fees of a sending organisation: the Fund, personal costs, and costs of life and work in
# Japan (a landlord's deposit, fees of Japanese organisations).
ESD_EXCLUDED = (
    "fund_contribution",
    "other",
    "housing_deposit",
    "job_change_fee",
    "support_fee",
    "supervision_fee",
)


def esd_sending_fee_cap(ctx: Context) -> list[Finding]:
    rule = "ESD-SENDING-FEE-CAP"
    pid = "esd.sending_fee.cap_months"
    if ctx.engagement.programme != "esd":
        return [
            Finding(
                rule=rule,
                status="not_applicable",
                message_key="generic.not_applicable",
                dates=(ctx.jp_date,),
            )
        ]
    r = ctx.value(pid, ctx.jp_date)
    items = [
        i
        for i in ctx.items
        if i.category and i.category not in ESD_EXCLUDED and i.payment.payee in ESD_COUNTED_PAYEES
    ]
    paid = total(items)
    base: dict[str, Any] = {
        "rule": rule,
        "used": [r],
        "dates": (ctx.jp_date,),
        "paid_vnd": paid,
        "payments": indices(items),
    }
    if r.state == "not_in_force":
        start = ctx.store.get(pid).entries[0].since
        return [
            Finding(
                status="needs_review",
                message_key="esd_not_started.needs_review",
                message_params={"date": start},
                **base,
            )
        ]
    if not r.known or r.value is None:
        return [
            Finding(
                status="needs_review",
                message_key="unknown.needs_review",
                message_params={"what": categories_of(items) or ("service_fee",), "date": r.since},
                **base,
            )
        ]
    months = Decimal(str(r.value))
    limit = round_vnd(ctx.wage_vnd * months)
    over = max(0, paid - limit)
    params = {"months": months.normalize(), "over_vnd": over}
    if r.verification != "verified":
        return [
            Finding(
                status="needs_review",
                message_key=f"{rule}.needs_review",
                limit_vnd=limit,
                message_params=params,
                extra={"reported_limit_vnd": limit, "reported_excess_vnd": over},
                **base,
            )
        ]
    if over > 0:
        return [
            Finding(
                status="violation",
                message_key=f"{rule}.violation",
                limit_vnd=limit,
                excess_vnd=over,
                message_params=params,
                **base,
            )
        ]
    return [
        Finding(
            status="compliant",
            message_key=f"{rule}.compliant",
            limit_vnd=limit,
            message_params=params,
            **base,
        )
    ]


def unclassified(ctx: Context) -> list[Finding]:
    return [
        Finding(
            rule="PAYMENT-UNCLASSIFIED",
            status="needs_review",
            message_key="PAYMENT-UNCLASSIFIED.needs_review",
            paid_vnd=i.amount_vnd,
            payments=(i.index,),
            message_params={"label": i.payment.label},
        )
        for i in ctx.items
        if i.category is None
    ]
