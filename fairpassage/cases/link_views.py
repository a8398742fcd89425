"""Staff action on a case: link one of the organisation's saved earnings plans."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairpassage.cases import links, services, workspace
from fairpassage.cases.access import roles_by_organisation
from fairpassage.cases.models import Case
from fairpassage.checks.models import EarningsPlan
from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import User
from fairpassage.core.selectors import is_platform_staff
from fairpassage.mfa.decorators import second_factor_required


@second_factor_required
@require_POST
def earnings_plan_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the chosen plan; a refusal is an error page (403/404), a bad choice a message."""
    user = request.user
    if not isinstance(user, User) or not (is_platform_staff(user) or roles_by_organisation(user)):
        raise Forbidden(_("This page is for the staff of a member organisation."))
    case = get_object_or_404(Case, pk=pk)
    services.require_access(actor=user, case=case, write=True)
    chosen = str(request.POST.get("earnings_plan", ""))
    try:
        if not chosen.isdigit():
            raise InvalidInput(_("Choose a saved earnings plan."), field="earnings_plan")
        plan = get_object_or_404(EarningsPlan, pk=int(chosen))
        links.case_link_earnings_plan(actor=user, case=case, plan=plan)
        messages.success(request, _("The earnings plan is linked to the case."))
    except InvalidInput as error:
        messages.error(request, error.rendered_message())
    return redirect(workspace.section_url(reverse("cases:case_detail", args=[case.pk]), "links"))
