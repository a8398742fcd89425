"""Fee checks and earnings plans: run the law engine; save one for an organisation (staff only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fairpassage import law
from fairpassage.checks import selectors
from fairpassage.checks.models import EarningsPlan, FeeCheck
from fairpassage.checks.refunds import refunds
from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.core.services import audit_record


def _engine(
    compute: Callable[[Any, str], dict[str, Any]], data: Any, language: str
) -> dict[str, Any]:
    """Run a law-engine computation; its input error becomes InvalidInput naming the field."""
    try:
        return compute(data, language)
    except law.InputError as error:
        raise InvalidInput(
            error.message(language), field=error.field, code=f"invalid.{error.message_key}"
        ) from error


def fee_check_run(*, data: Any, language: str) -> dict[str, Any]:
    """The fee-check report for ``data`` in ``language``."""
    return _engine(law.check_fees, data, language)


def fee_check_run_with_reference_rates(
    *, data: dict[str, Any], language: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The fee check of the page: a currency without a typed rate takes the reference table's
    rate of the contract's month. Returns the input as run (with the rates used, so the letter and
    a saved check reproduce it), the report, and the rates used with the findings whose status
    would change 5 % either side of the rates."""
    filled, used = law.fill_reference_rates(data)
    report = fee_check_run(data=filled, language=language)

    def run(shifted: dict[str, Any]) -> dict[str, Any]:
        return law.check_fees(shifted, language)

    try:
        sensitive = law.sensitive_findings(filled, report, run)
    except law.InputError:
        sensitive = []
    messages = {(f.get("rule"), tuple(f.get("payments") or ())): f for f in report["findings"]}
    for change in sensitive:
        rows = filled.get("payments") or []
        labels = [
            str(rows[i].get("label") or "") or str(_("Payment %(n)s") % {"n": i + 1})
            for i in change["payments"]
            if i < len(rows)
        ]
        finding = messages.get((change["rule"], tuple(change["payments"]))) or {}
        change["labels"] = labels or [str(finding.get("message", "")).split(". ")[0]]
    rates = {"used": [rate.as_dict() for rate in used], "sensitive": sensitive}
    return filled, report, rates


def earnings_plan_run(*, data: Any, language: str) -> dict[str, Any]:
    """The earnings and debt plan for ``data`` in ``language``."""
    return _engine(law.plan_earnings, data, language)


def earnings_plan_run_with_reference_rates(
    *, data: dict[str, Any], language: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The earnings plan of the page: a debt in dong (or dollars) without a typed rate takes the
    reference table's rate of the month the plan starts from, as the fee check does. Returns the
    input as run (with the rates used, so a saved plan reproduces it), the plan, and the rates
    used. The API keeps asking for the rate: only the page fills it."""
    filled, used = law.fill_earnings_reference_rates(data)
    plan = earnings_plan_run(data=filled, language=language)
    return filled, plan, {"used": [rate.as_dict() for rate in used], "sensitive": []}


@transaction.atomic
def fee_check_save(
    *,
    actor: User,
    organisation: Organisation,
    data: Any,
    language: str,
    title: str = "",
    agency: Organisation | None = None,
) -> FeeCheck:
    if not selectors.fee_check_roles_in(user=actor, organisation=organisation):
        raise Forbidden(
            _("Only administrators and case workers of this organisation save its fee checks.")
        )
    report = fee_check_run(data=data, language=language)
    check = FeeCheck.objects.create(
        organisation=organisation,
        created_by=actor,
        agency=agency,
        title=title.strip()[:200],
        language=language,
        rules_version=report["rules_version"],
        law_date=report["law_date"],
        status=report["summary"]["status"],
        # What the page and the letter ask back (each payment counted once), not the engine's
        # sum of every ceiling's excess: the case's claim and the statistics use this figure.
        excess_vnd=refunds(report).total_vnd,
        input=data,
        result=report,
    )
    audit_record(
        actor=actor,
        action="fee_check.save",
        obj=check,
        organisation=organisation,
        data={"rules_version": check.rules_version, "status": check.status},
    )
    return check


@transaction.atomic
def earnings_plan_save(
    *,
    actor: User,
    organisation: Organisation,
    data: Any,
    language: str,
    title: str = "",
) -> EarningsPlan:
    """Compute the plan for ``data`` and keep it, with its headline figures, for the staff."""
    if not selectors.fee_check_roles_in(user=actor, organisation=organisation):
        raise Forbidden(_("Only staff of this organisation can save its earnings plans."))
    plan = earnings_plan_run(data=data, language=language)
    debt = plan["debt"]
    present = bool(debt.get("present"))
    saved = EarningsPlan.objects.create(
        organisation=organisation,
        created_by=actor,
        title=title.strip()[:200],
        language=language,
        rules_version=plan["rules_version"],
        law_date=plan["law_date"],
        status=plan["summary"]["status"],
        net_jpy=plan["summary"]["net_jpy"],
        remit_jpy=plan["summary"]["remit_jpy"],
        debt_principal=debt["principal"] if present else None,
        debt_currency=debt["currency"] if present else "",
        months_to_repay=debt["months_to_repay"] if present else None,
        debt_never_repaid=bool(debt.get("never_repaid")),
        input=data,
        result=plan,
    )
    audit_record(
        actor=actor,
        action="earnings_plan.save",
        obj=saved,
        organisation=organisation,
        data={"rules_version": saved.rules_version, "status": saved.status},
    )
    return saved
