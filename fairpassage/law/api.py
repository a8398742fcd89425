"""The public entry point: ``check_fees(data, lang) -> dict`` (the fee-check report as JSON)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fairpassage.law.audit import STATUSES, AuditResult, Finding
from fairpassage.law.engagement import InputError, parse_engagement
from fairpassage.law.messages import LANGS, date_text, finding_text, money_text, programme_name
from fairpassage.law.params import ParameterStore, default_store
from fairpassage.law.rules import run_audit
from fairpassage.law.taxonomy import CATEGORY_NAMES

ROUNDING_NOTE = "VND amounts are rounded half up to whole dong (Decimal ROUND_HALF_UP)."
RECRUITMENT_CLASSES = ("recruitment_fee", "related_cost", "illegitimate")


def _render_params(finding: Finding, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "paid": money_text(finding.paid_vnd, lang),
        "limit": money_text(finding.limit_vnd or 0, lang),
        "excess": money_text(finding.excess_vnd, lang),
        "label": "",
        "date": "",
        "what": "",
        "programme": "",
        "months": "",
        "over": "",
    }
    for key, value in finding.message_params.items():
        if key == "what":
            names = [CATEGORY_NAMES[c][lang] for c in value if c in CATEGORY_NAMES]
            out["what"] = ", ".join(names)
        elif key == "programme":
            out["programme"] = programme_name(value, lang)
        elif isinstance(value, dt.date):
            out[key] = date_text(value, lang)
        elif key in ("share", "limit_same", "limit_other"):
            out[key] = money_text(int(value), lang)
        elif key == "over_vnd":
            over = int(value)
            if over > 0:
                out["over"] = finding_text(
                    "over_by", lang, {"excess": money_text(over, lang)}, unverified=False
                )
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = str(value)
    return out


def _missing_text(finding: Finding, lang: str, store: ParameterStore) -> str:
    """Which parameters the rule needed and the tool does not know (issue 14, item 1)."""
    parts = []
    for m in finding.extra.get("missing_parameters", []):
        name = store.get(m["id"]).description[lang]
        state = "unknown" if m["state"] == "unknown" else "not_in_force"
        day = dt.date.fromisoformat(m["since"] or m["date"])
        parts.append(
            finding_text(
                f"missing_parameter.{state}",
                lang,
                {"name": name, "date": date_text(day, lang)},
                unverified=False,
            )
        )
    if not parts:
        return ""
    return finding_text("missing_parameters", lang, {"params": "; ".join(parts)}, unverified=False)


def _finding_dict(
    finding: Finding, lang: str, store: ParameterStore | None = None
) -> dict[str, Any]:
    message = finding_text(
        finding.message_key,
        lang,
        _render_params(finding, lang),
        unverified=any(b["verification"] != "verified" for b in finding.basis),
    ) + _missing_text(finding, lang, store or default_store())
    if finding.inferred_payments and finding.status in ("violation", "needs_review", "advisory"):
        message += finding_text("inferred_suffix", lang, {}, unverified=False)
    data: dict[str, Any] = {
        "rule": finding.rule,
        "status": finding.status,
        "excess_vnd": finding.excess_vnd,
        "limit_vnd": finding.limit_vnd,
        "paid_vnd": finding.paid_vnd,
        "payments": list(finding.payments),
        "basis": finding.basis,
        "verified": finding.verified,
        "inferred_payments": list(finding.inferred_payments),
        # a violation that makes its payments unlawful in full, not only above a ceiling
        "whole_payments_unlawful": finding.whole_payments_unlawful,
        "dates": [d.isoformat() for d in finding.dates],
        "parameters": [r.as_dict() for r in finding.used],
        "message": message,
    }
    data.update(finding.extra)
    return data


def report(result: AuditResult, lang: str, store: ParameterStore) -> dict[str, Any]:
    ctx = result.context
    items = [i.as_dict() for i in result.items]
    findings = [_finding_dict(f, lang, store) for f in result.findings]
    counts = {s: sum(1 for f in result.findings if f.status == s) for s in STATUSES}
    overall = next((s for s in STATUSES if counts[s]), "not_applicable")
    return {
        "rules_version": store.version,
        "law_date": ctx.engagement.signed_on.isoformat(),
        "items": items,
        "findings": findings,
        "summary": {
            "total_paid_vnd": sum(i.amount_vnd for i in result.items),
            "excess_vnd": result.excess_vnd(),
            "worker_borne_recruitment_costs_vnd": sum(
                i.amount_vnd for i in result.items if i.ilo_class in RECRUITMENT_CLASSES
            ),
            "unclassified_vnd": sum(i.amount_vnd for i in result.items if i.category is None),
            "status": overall,
            "counts": counts,
        },
        "lang": lang,
        "evaluation_dates": {
            "vn": [d.isoformat() for d in ctx.vn_dates],
            "jp": ctx.jp_date.isoformat(),
        },
        "monthly_basic_wage_vnd": int(ctx.wage_vnd.to_integral_value()),
        "rounding": ROUNDING_NOTE,
    }


def check_fees(
    data: dict[str, Any], lang: str = "vi", *, store: ParameterStore | None = None
) -> dict[str, Any]:
    """Check a worker's payments against the law in force; raise :class:`InputError` if invalid."""
    if lang not in LANGS:
        raise InputError("lang", "lang")
    store = store or default_store()
    engagement = parse_engagement(data)
    return report(run_audit(engagement, store), lang, store)
