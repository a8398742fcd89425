"""Staff pages for referral between installations: download a case's referral package for a
peer installation, and import a package received from one (docs/referral-package.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fairpassage.cases import selectors, transfer
from fairpassage.cases.access import WRITE_ROLES, roles_by_organisation
from fairpassage.cases.models import Consent
from fairpassage.cases.staff_forms import PackageUploadForm, package_form
from fairpassage.cases.staff_views import _staff_view, _user
from fairpassage.core.errors import ApplicationError, Forbidden
from fairpassage.core.models import User


def _form_error(form: Any, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.rendered_message())


@_staff_view
@require_http_methods(["GET", "HEAD", "POST"])
def package_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The form (GET), or the package file for the chosen peer installation (POST)."""
    user = _user(request)
    case = selectors.case_read(user=user, case_id=pk, purpose="referral-package").case
    transfer.package_sender_access(actor=user, case=case)
    form = package_form(case, request.POST if request.method == "POST" else None)
    context = {"case": case, "form": form, "configured": transfer.referral_configured()}
    if not form.is_bound:
        return render(request, "cases/referral_export.html", context)
    if not form.is_valid():
        return render(request, "cases/referral_export.html", context, status=422)
    data = form.cleaned_data
    try:
        _referral, content = transfer.referral_package_send(
            actor=user,
            case=case,
            peer=data["peer"],
            to_org_slug=data["to_org"],
            consent=Consent.objects.filter(pk=data["consent"], case=case).first(),
            parts=data["parts"],
        )
    except ApplicationError as error:  # access was checked above: the choices were refused
        _form_error(form, error)
        return render(request, "cases/referral_export.html", context, status=error.status)
    response = HttpResponse(content, content_type="application/json")
    name = f"referral-{case.reference}-{data['peer']}.json"
    response["Content-Disposition"] = f'attachment; filename="{_safe(name)}"'
    response["Cache-Control"] = "no-store"
    return response


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)


def _may_import(user: User) -> bool:
    return any(role in WRITE_ROLES for role in roles_by_organisation(user).values())


@_staff_view
@require_http_methods(["GET", "HEAD", "POST"])
def package_import(request: HttpRequest) -> HttpResponse:
    """Upload a package: the case it files (or filed before), or why it is refused."""
    user = _user(request)
    if not _may_import(user):
        raise Forbidden(_("Only case workers import a referral package."))
    configured = transfer.referral_configured()
    if request.method != "POST":
        context = {"form": PackageUploadForm(), "configured": configured}
        return render(request, "cases/referral_import.html", context)
    form = PackageUploadForm(request.POST, request.FILES)
    context = {"form": form, "configured": configured}
    if not form.is_valid():
        return render(request, "cases/referral_import.html", context, status=422)
    try:
        case, created = transfer.referral_package_receive(
            actor=user, data=form.cleaned_data["file"].read()
        )
    except ApplicationError as error:
        if error.status != 422:
            raise
        form.add_error("file", error.rendered_message())
        return render(request, "cases/referral_import.html", context, status=422)
    if created:
        messages.success(request, _("The referral is imported as a new case."))
    else:
        messages.info(
            request, _("This referral was imported before: here is the case it filed then.")
        )
    return redirect("cases:case_detail", pk=case.pk)
