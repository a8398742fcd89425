"""Pages of the batch audit: upload two tables, follow the progress, download the results."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fairpassage.checks import batch_services, batch_storage, selectors
from fairpassage.checks.models import BatchStatus
from fairpassage.core import selectors as core_selectors
from fairpassage.core.models import Organisation, User
from fairpassage.law.batch import OUTPUT_TABLES


class BatchForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For the organisation"), queryset=Organisation.objects.none()
    )
    engagements = forms.FileField(
        label=_("Engagements (CSV or Parquet)"),
        help_text=_("One row per contract; the columns are described in docs/batch.md."),
    )
    payments = forms.FileField(
        label=_("Payments (CSV or Parquet)"),
        help_text=_("One row per payment, with the engagement_id it belongs to."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = BatchForm(request.POST or None, request.FILES or None)
    field = form.fields["organisation"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = core_selectors.organisations_visible(user=user)
    if request.method == "POST" and form.is_valid():
        audit = batch_services.batch_audit_start(
            actor=user,
            organisation=form.cleaned_data["organisation"],
            engagements=form.cleaned_data["engagements"],
            payments=form.cleaned_data["payments"],
            language=(get_language() or "vi")[:2],
        )
        return redirect("checks:batch_detail", pk=audit.pk)
    batch_services.batch_audits_fail_dead(audits=selectors.batch_audits_visible(user=user))
    audits = selectors.batch_audits_visible(user=user)[:20]
    return render(request, "checks/batch_new.html", {"form": form, "audits": audits})


@login_required
@require_safe
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = selectors.batch_audits_visible(user=request.user)
    batch_services.batch_audits_fail_dead(audits=visible.filter(pk=pk))
    audit = get_object_or_404(visible, pk=pk)
    running = audit.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)
    return render(
        request,
        "checks/batch_detail.html",
        {
            "audit": audit,
            "running": running,
            "percent": round(100 * audit.fraction),
            "tables": OUTPUT_TABLES,
            "can_restart": audit.status == BatchStatus.FAILED and batch_services.inputs_kept(audit),
        },
    )


@login_required
@require_POST
def batch_restart(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    audit = get_object_or_404(selectors.batch_audits_visible(user=user), pk=pk)
    batch_services.batch_audit_restart(actor=user, audit=audit)  # refusals: the error page
    return redirect("checks:batch_detail", pk=audit.pk)


@login_required
@require_safe
def batch_download(request: HttpRequest, pk: int, table: str) -> StreamingHttpResponse:
    audit = get_object_or_404(selectors.batch_audits_visible(user=request.user), pk=pk)
    path = batch_services.result_file(audit, table)
    if path is None:
        raise Http404(table)
    response = StreamingHttpResponse(
        batch_storage.unsealed(path), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="batch-{audit.pk}-{table}.csv"'
    return response
