"""Fee checks and earnings plans: run the law engine; save one for an organisation (staff only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fairpassage import law
from fairpassage.checks import selectors
from fairpassage.checks.models import EarningsPlan, FeeCheck
from fairpassage.core import selectors as core_selectors
from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import Organisation, Role, User
from fairpassage.core.services import audit_record

SAVE_ROLES = {Role.ORGANISATION_ADMIN.value, Role.CASE_WORKER.value, Role.REVIEWER.value}


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


def earnings_plan_run(*, data: Any, language: str) -> dict[str, Any]:
    """The earnings and debt plan for ``data`` in ``language``."""
    return _engine(law.plan_earnings, data, language)


def _require_save_role(*, actor: User, organisation: Organisation, refusal: Promise) -> None:
    """Only admins, case workers and reviewers of ``organisation`` (or platform staff) save."""
    if not core_selectors.user_has_role(user=actor, organisation=organisation, roles=SAVE_ROLES):
        raise Forbidden(refusal)


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
        excess_vnd=report["summary"]["excess_vnd"],
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
    _require_save_role(
        actor=actor,
        organisation=organisation,
        refusal=_("Only staff of this organisation can save its earnings plans."),
    )
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
