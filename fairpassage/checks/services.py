"""Fee checks: run the law engine; save a check for an organisation (staff only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fairpassage import law
from fairpassage.checks.models import FeeCheck
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
    if not core_selectors.user_has_role(user=actor, organisation=organisation, roles=SAVE_ROLES):
        raise Forbidden(_("Only staff of this organisation can save its fee checks."))
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
