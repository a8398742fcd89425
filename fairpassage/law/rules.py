"""The rule registry and the audit run (one engagement -> findings)."""

from __future__ import annotations

from collections.abc import Iterable

from fairpassage.law.audit import (
    AuditResult,
    Context,
    Finding,
    Rule,
    build_context,
    settle_open,
)
from fairpassage.law.engagement import Engagement
from fairpassage.law.params import ParameterStore
from fairpassage.law.rules_jp import (
    esd_sending_fee_cap,
    ilo_employer_pays,
    ilo_illegitimate,
    jp_deposit_penalty,
    jp_document_retention,
    jp_forced_savings,
    jp_ssw_deposit_penalty,
    unclassified,
)
from fairpassage.law.rules_payee import japanese_payee_fees, supervision_support_fees
from fairpassage.law.rules_vn import (
    brokerage_from_worker,
    fund_contribution,
    jp_side_costs,
    selection_fee,
    service_fee_cap,
    worker_deposit_japan,
)

RULES: tuple[Rule, ...] = (
    service_fee_cap,
    brokerage_from_worker,
    worker_deposit_japan,
    selection_fee,
    fund_contribution,
    jp_side_costs,
    jp_deposit_penalty,
    jp_ssw_deposit_penalty,
    jp_forced_savings,
    jp_document_retention,
    ilo_employer_pays,
    ilo_illegitimate,
    esd_sending_fee_cap,
    supervision_support_fees,
    japanese_payee_fees,
    unclassified,
)


def apply_rule(rule: Rule, ctx: Context) -> list[Finding]:
    """One rule on a context, with its lookups recorded and open parameters settled."""
    ctx.reads.clear()
    return settle_open(rule(ctx), ctx.reads)


def run_audit(
    engagement: Engagement,
    store: ParameterStore | None = None,
    rules: Iterable[Rule] | None = None,
) -> AuditResult:
    ctx = build_context(engagement, store)
    findings: list[Finding] = []
    inferred = {i.index for i in ctx.items if i.category_source == "inferred"}
    for rule in rules if rules is not None else RULES:
        for finding in apply_rule(rule, ctx):
            # a category read from the person's words, not chosen, is never a verified finding
            if finding.status != "not_applicable":
                finding.inferred_payments = tuple(i for i in finding.payments if i in inferred)
            findings.append(finding)
    return AuditResult(ctx, tuple(findings))
