"""Link a case to a saved earnings plan of its organisation (the worker's pay and debt)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.models import Case
from fairpassage.cases.services import require_access, timeline_add
from fairpassage.checks.models import EarningsPlan
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import User
from fairpassage.core.services import audit_record


@transaction.atomic
def case_link_earnings_plan(*, actor: User, case: Case, plan: EarningsPlan) -> Case:
    """Link a plan saved by the organisation that owns the case; replaces an earlier link."""
    access = require_access(actor=actor, case=case, write=True)
    if not access.owner or plan.organisation_id != case.organisation_id:
        raise Forbidden(_("Link an earnings plan saved by the organisation that owns the case."))
    case.earnings_plan = plan
    case.save(update_fields=["earnings_plan", "updated_at"])
    data = {
        "earnings_plan": plan.pk,
        "months_to_repay": plan.months_to_repay,
        "debt_never_repaid": plan.debt_never_repaid,
    }
    timeline_add(
        case=case, kind="earnings_plan", actor=actor, organisation=access.organisation, data=data
    )
    audit_record(
        actor=actor,
        action="case.earnings_plan",
        obj=case,
        organisation=access.organisation,
        data=data,
    )
    return case
