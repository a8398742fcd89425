"""Public grievance pages: file a grievance, follow it with the tracking code, statistics."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from fairpassage.cases import codes, services, stats
from fairpassage.cases.choices import Status
from fairpassage.cases.emergency import emergency_contacts
from fairpassage.cases.forms import GrievanceForm, TrackForm
from fairpassage.cases.models import Case, Consent
from fairpassage.cases.people import consent_withdraw
from fairpassage.cases.ratelimit import rate_limit_request
from fairpassage.cases.translations import worker_thread
from fairpassage.core.errors import ApplicationError, TooManyRequests
from fairpassage.core.ratelimit import client_key


def _language() -> str:
    return (get_language() or "vi")[:2]


def _emergency() -> list[dict[str, str]]:
    return emergency_contacts(language=_language())


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def grievance(request: HttpRequest) -> HttpResponse:
    """The form; a POST files it (once per form: the hidden key makes a retry harmless)."""
    if request.method != "POST":
        form = GrievanceForm(initial={"idempotency_key": codes.new_idempotency_key()})
        return render(request, "cases/grievance.html", {"form": form, "emergency": _emergency()})
    form = GrievanceForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "emergency": _emergency()}
        return render(request, "cases/grievance.html", context, status=422)
    rate_limit_request(request, "grievance")
    data = form.cleaned_data
    try:
        case, code, _created = services.grievance_submit(
            idempotency_key=data["idempotency_key"],
            where_now=data["where_now"],
            categories=data["categories"],
            stage=data["stage"],
            statement=data["statement"],
            urgent=data["urgent"],
            contact=data["contact"],
            agency_name=data["agency_name"],
            province_code=data.get("province") or "",
            language=_language(),
        )
    except ApplicationError as error:
        if error.status != 422 or not error.field or error.field not in form.fields:
            raise
        form.add_error(error.field, error.rendered_message())
        context = {"form": form, "emergency": _emergency()}
        return render(request, "cases/grievance.html", context, status=422)
    return render(
        request,
        "cases/grievance_done.html",
        {
            "case": case,
            "code": codes.display(code),
            "emergency": _emergency() if case.urgent else [],
        },
    )


def _status_context(case: Case, code: str) -> dict[str, object]:
    # Staff replies in the worker's language when a translation into it exists (issue 16).
    thread = worker_thread(case=case, language=_language())
    consents = [c for c in case.consents.prefetch_related("organisations") if not c.withdrawn_on]
    return {
        "case": case,
        "code": codes.display(codes.normalise(code)),
        "status_label": Status(case.status).label,
        "thread": thread,
        "consents": consents,
        "organisation": case.organisation,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Status and messages by tracking code. The code travels in the POST body, never the URL."""
    if request.method != "POST":
        return render(request, "cases/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/track.html", {"form": form}, status=422)
    code = form.cleaned_data["code"]
    try:  # the lookup counts against the one tracking limit of this address
        case = services.grievance_find(code=code, client=client_key(request))
    except TooManyRequests:
        raise
    except ApplicationError as error:
        form.add_error("code", error.rendered_message())
        return render(request, "cases/track.html", {"form": form}, status=error.status)
    sent = False
    if form.cleaned_data["body"].strip():
        rate_limit_request(request, "message")
        services.grievant_message_post(case=case, body=form.cleaned_data["body"])
        sent = True
    withdraw = request.POST.get("withdraw_consent", "")
    if withdraw.isascii() and withdraw.isdigit() and len(withdraw) < 19:
        consent = Consent.objects.filter(pk=int(withdraw), case=case).first()
        if consent is not None:
            consent_withdraw(actor=None, consent=consent, grievant_case=case)
    context = _status_context(case, code)
    context |= {"form": TrackForm(initial={"code": context["code"]}), "sent": sent}
    return render(request, "cases/track.html", context)


@require_safe
def public_statistics(request: HttpRequest) -> HttpResponse:
    """Grievances across every organisation, counts under 5 suppressed."""
    return render(
        request,
        "cases/statistics.html",
        {"stats": stats.aggregate(Case.objects.all()), "organisation": None},
    )
