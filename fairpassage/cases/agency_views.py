"""Staff page: link a case to an agency of the registry (search, pick, or clear the link)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fairpassage.cases import agency, selectors, workspace
from fairpassage.cases.staff_forms import AgencySearchForm
from fairpassage.cases.staff_views import _staff_view, _user
from fairpassage.core.errors import Conflict, InvalidInput
from fairpassage.core.models import Organisation


@_staff_view
@require_http_methods(["GET", "HEAD", "POST"])
def case_agency(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ``?q=``: ranked candidates from the registry search; POST ``agency``: link the chosen
    one (an empty value clears the link)."""
    user = _user(request)
    access = selectors.case_read(user=user, case_id=pk, purpose="agency")
    case = access.case
    agency.agency_access(actor=user, case=case)
    if request.method == "POST":
        value = request.POST.get("agency", "").strip()
        chosen = Organisation.objects.filter(pk=int(value)).first() if value.isdigit() else None
        try:
            if value and chosen is None:
                raise InvalidInput(_("Choose an agency from the list."), field="agency")
            agency.case_agency_set(actor=user, case=case, agency=chosen)
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.rendered_message())
            return redirect(reverse("cases:case_agency", args=[case.pk]))
        if chosen is None:
            messages.success(request, _("The case is no longer linked to a registry agency."))
        else:
            messages.success(request, _("The case is linked to %(name)s.") % {"name": chosen.name})
        return redirect(
            workspace.section_url(reverse("cases:case_detail", args=[case.pk]), "links")
        )
    today = timezone.localdate()
    form = AgencySearchForm(request.GET or None)
    candidates = None
    if form.is_bound and form.is_valid():
        candidates = agency.agency_candidates(case=case, text=form.cleaned_data["q"], on=today)
    return render(
        request,
        "cases/case_agency.html",
        {
            "case": case,
            "form": form,
            "candidates": candidates,
            "current": agency.case_agency(case=case, on=today),
            "on": today,
        },
        status=422 if form.is_bound and not form.is_valid() else 200,
    )
