"""Engagements the batch sends through the single check itself (and its input errors)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fairpassage.law.api import RECRUITMENT_CLASSES
from fairpassage.law.audit import STATUSES
from fairpassage.law.engagement import InputError, parse_engagement
from fairpassage.law.params import ParameterStore
from fairpassage.law.rules import run_audit


@dataclass(frozen=True)
class ErrorRow:
    engagement_id: Any
    agency_id: Any
    payment_row: int | None
    field: str
    code: str
    params: dict[str, Any]


def single_rows(
    data: dict[str, Any], store: ParameterStore
) -> tuple[list[dict[str, Any]], dict[str, Any]] | InputError:
    """The findings rows and the summary of one engagement, or its input error."""
    try:
        engagement = parse_engagement(data)
    except InputError as error:
        return error
    result = run_audit(engagement, store)
    findings = [
        {
            "rule_id": f.rule,
            "status": f.status,
            "message_key": f.message_key,
            "excess_vnd": f.excess_vnd,
            "limit_vnd": f.limit_vnd,
            "paid_vnd": f.paid_vnd,
            "payment_index": f.payments[0] if f.rule == "PAYMENT-UNCLASSIFIED" else None,
        }
        for f in result.findings
    ]
    counts = {s: sum(1 for f in result.findings if f.status == s) for s in STATUSES}
    summary = {
        "status": next((s for s in STATUSES if counts[s]), "not_applicable"),
        "total_paid_vnd": sum(i.amount_vnd for i in result.items),
        "excess_vnd": result.excess_vnd(),
        "worker_borne_recruitment_costs_vnd": sum(
            i.amount_vnd for i in result.items if i.ilo_class in RECRUITMENT_CLASSES
        ),
        "unclassified_vnd": sum(i.amount_vnd for i in result.items if i.category is None),
        **counts,
    }
    return findings, summary


def params_json(params: dict[str, Any]) -> str:
    return json.dumps({k: str(v) for k, v in params.items()}, ensure_ascii=False, sort_keys=True)
