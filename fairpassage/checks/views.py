"""Fee-check pages: the public check, the letter (PDF), the earnings planner, saved checks and
plans, and the law page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fairpassage import law
from fairpassage.checks import selectors, services
from fairpassage.checks.earnings_chart import debt_chart
from fairpassage.checks.earnings_forms import EarningsForm, earnings_input
from fairpassage.checks.earnings_forms import attach_engine_error as attach_earnings_error
from fairpassage.checks.forms import (
    CATEGORIES,
    FeeCheckForm,
    PaymentForm,
    PaymentFormSet,
    attach_engine_error,
    engine_input,
)
from fairpassage.checks.law_views import minimum_wage_rows
from fairpassage.checks.letter import letter_pdf
from fairpassage.checks.letter_forms import IDENTITY_FIELDS, LetterForm
from fairpassage.checks.presenters import present
from fairpassage.core import selectors as core_selectors
from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.registry.selectors import agency_resolve

PREFIX = "payments"


def _language() -> str:
    return (get_language() or "vi")[:2]


MAX_ROWS = 100


def _small_number(value: object, default: int) -> int:
    """A row count or index from the form: digits only, at most ``MAX_ROWS`` (never a 500, never
    a loop over a huge count)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return default
    return min(int(text[:6]), MAX_ROWS)


def _rows_changed(post: QueryDict) -> QueryDict | None:
    """Add or remove a payment row (works without JavaScript); ``None`` when neither."""
    total_key = f"{PREFIX}-TOTAL_FORMS"
    total = _small_number(post.get(total_key, "1"), 1) or 1
    if "add_row" not in post and "remove_row" not in post:
        return None
    rows = [
        {
            key.split("-", 2)[2]: str(post[key])
            for key in post
            if key.startswith(f"{PREFIX}-{index}-")
        }
        for index in range(total)
    ]
    if "add_row" in post:
        rows.append({"currency": "VND"})
    elif total > 1:
        rows.pop(min(_small_number(post["remove_row"], total - 1), total - 1))
    data = QueryDict(mutable=True)
    for key in post:
        if not key.startswith(f"{PREFIX}-") or key.endswith("_FORMS"):
            data.setlist(key, post.getlist(key))
    for index, row in enumerate(rows[:50]):
        for name, value in row.items():
            data[f"{PREFIX}-{index}-{name}"] = value
    data[total_key] = str(len(rows[:50]))
    for marker in ("add_row", "remove_row"):
        data.pop(marker, None)
    return data


def _save_organisations(request: HttpRequest) -> list[Organisation]:
    """The organisations for which the signed-in user may save a fee check or a plan."""
    roles = selectors.FEE_CHECK_ROLES
    return [
        m.organisation for m in core_selectors.memberships_of(user=request.user) if m.role in roles
    ]


def _posted_organisation(request: HttpRequest) -> Organisation:
    """The organisation chosen in the save form (404 when it is not a number or unknown)."""
    pk = str(request.POST.get("organisation", ""))
    return get_object_or_404(Organisation, pk=int(pk) if pk.isdigit() else 0)


def _corrections(
    post: QueryDict, filled: list[PaymentForm], report: dict[str, Any]
) -> list[dict[str, Any]]:
    """A small form per payment whose kind of cost was read from its words (or not read): the
    same check posted again with that payment's category chosen. Works without JavaScript."""
    out: list[dict[str, Any]] = []
    for item in report["items"]:
        if item["category_source"] == "given" or item["index"] >= len(filled):
            continue
        field = filled[item["index"]].add_prefix("category")
        hidden = [
            (key, value)
            for key, values in post.lists()
            if key not in (field, "csrfmiddlewaretoken")
            for value in values
        ]
        out.append({**item, "field": field, "hidden": hidden})
    return out


def _error_summary(form: FeeCheckForm, payments: Any) -> list[dict[str, str]]:
    """Every error of the form, in page order, each linking to its field (the form's own
    errors link to the form)."""
    summary: list[dict[str, str]] = []

    def add(bound_form: Any, prefix: str) -> None:
        for e in bound_form.non_field_errors():
            summary.append({"anchor": "fee-check-form", "text": f"{prefix}{e}"})
        for bound in bound_form:
            for e in bound.errors:
                text = e if str(e).startswith(str(bound.label)) else f"{bound.label}: {e}"
                summary.append({"anchor": bound.auto_id, "text": f"{prefix}{text}"})

    add(form, "")
    for e in payments.non_form_errors():
        summary.append({"anchor": "payments", "text": str(e)})
    for number, payment in enumerate(payments.forms, start=1):
        add(payment, str(_("Payment %(n)s") % {"n": number}) + " — ")
    return summary


def _render(
    request: HttpRequest,
    form: FeeCheckForm,
    payments: Any,
    *,
    report: dict[str, Any] | None = None,
    engagement: dict[str, Any] | None = None,
    corrections: list[dict[str, Any]] | None = None,
    rates: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "corrections": corrections or [],
        "category_choices": [c for c in CATEGORIES if c[0]],
        "rates": rates,
        "error_summary": _error_summary(form, payments) if status == 422 else [],
        "form": form,
        "payments": payments,
        "report": report,
        "engagement_json": json.dumps(engagement, ensure_ascii=False) if engagement else "",
        "result": present(report) if report else None,
        "organisations": _save_organisations(request),
    }
    if request.headers.get("HX-Request") and report is None and status == 200:
        return render(request, "checks/_payments.html", context)
    return render(request, "checks/fee_check.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def fee_check(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial = [{"currency": "VND"} for _row in range(3)]
        return _render(request, FeeCheckForm(), PaymentFormSet(prefix=PREFIX, initial=initial))
    changed = _rows_changed(request.POST)
    if changed is not None:
        return _render(request, FeeCheckForm(changed), PaymentFormSet(changed, prefix=PREFIX))
    form = FeeCheckForm(request.POST)
    payments = PaymentFormSet(request.POST, prefix=PREFIX)
    if not (form.is_valid() and payments.is_valid()):
        return _render(request, form, payments, status=422)
    filled = [p for p in payments.forms if not p.is_blank()]
    try:
        engagement, report, rates = services.fee_check_run_with_reference_rates(
            data=engine_input(form, filled), language=_language()
        )
    except InvalidInput as error:
        attach_engine_error(form, filled, error.field or "", error.rendered_message())
        return _render(request, form, payments, status=422)
    corrections = _corrections(request.POST, filled, report)
    return _render(
        request,
        form,
        payments,
        report=report,
        engagement=engagement,
        corrections=corrections,
        rates=rates,
    )


def _posted_json(request: HttpRequest, *, field: str, missing: str) -> dict[str, Any]:
    """The JSON object posted in ``field`` (a hidden input of a result), or InvalidInput."""
    try:
        data = json.loads(request.POST.get(field, ""))
    except json.JSONDecodeError as error:
        raise InvalidInput(missing, field=field) from error
    if not isinstance(data, dict):
        raise InvalidInput(missing, field=field)
    return data


def _posted_engagement(request: HttpRequest) -> dict[str, Any]:
    return _posted_json(
        request,
        field="engagement",
        missing=_("The check to print is missing; run the check again."),
    )


@sensitive_post_parameters(*IDENTITY_FIELDS)
@require_POST
def fee_check_letter(request: HttpRequest) -> HttpResponse:
    """The letter asking for the unlawful amounts back (PDF): Vietnamese, with a Japanese and an
    English copy when asked. The identity typed in the form is printed and forgotten."""
    engagement = _posted_engagement(request)
    data = request.POST.copy()
    if "agency_name" not in data and "organisation_name" in data:  # the earlier form's name
        data["agency_name"] = str(data.get("organisation_name", ""))
    form = LetterForm(data)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        if name == "recipient":
            raise InvalidInput(_("Choose who the letter is addressed to."), field="recipient")
        raise InvalidInput(f"{form.fields[name].label}: {errors[0]}", field=name)
    pdf = letter_pdf(
        engagement=engagement, request=form.letter_request(), today=timezone.localdate()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="fair-passage-fee-letter.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def fee_check_save(request: HttpRequest) -> HttpResponse:
    engagement = _posted_engagement(request)
    organisation = _posted_organisation(request)
    user: User = request.user  # type: ignore[assignment]
    agency_text = request.POST.get("agency", "").strip()
    check = services.fee_check_save(
        actor=user,
        organisation=organisation,
        data=engagement,
        language=_language(),
        title=request.POST.get("title", ""),
        agency=agency_resolve(text=agency_text) if agency_text else None,
    )
    return redirect("checks:saved_detail", pk=check.pk)


@login_required
@require_safe
def saved_list(request: HttpRequest) -> HttpResponse:
    checks = selectors.fee_checks_visible(user=request.user)[:200]
    plans = selectors.earnings_plans_visible(user=request.user)[:200]
    return render(
        request,
        "checks/saved_list.html",
        {
            "checks": checks,
            "plans": plans,
            "figures": selectors.fee_checks_aggregates(user=request.user),
            "min_cell": selectors.MIN_CELL,
        },
    )


@login_required
@require_safe
def saved_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(selectors.fee_checks_visible(user=request.user), pk=pk)
    return render(
        request,
        "checks/saved_detail.html",
        {
            "check": check,
            "report": check.result,
            "result": present(check.result),
            "engagement_json": json.dumps(check.input, ensure_ascii=False),
        },
    )


@require_safe
def law_page(request: HttpRequest) -> HttpResponse:
    store = law.default_store()
    return render(
        request,
        "checks/law.html",
        {
            "parameters": store.catalogue(),
            "rules_version": store.version,
            "lang": _language(),
            "minimum_wages": minimum_wage_rows(timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def earnings(request: HttpRequest) -> HttpResponse:
    """The earnings and debt planner; ``?debt=`` carries a fee check's total over."""
    plan = None
    data: dict[str, Any] | None = None
    rates: dict[str, Any] | None = None
    if request.method == "POST":
        form = EarningsForm(request.POST)
        if form.is_valid():
            try:
                data, plan, rates = services.earnings_plan_run_with_reference_rates(
                    data=earnings_input(form), language=_language()
                )
            except InvalidInput as error:
                attach_earnings_error(form, error.field or "", error.rendered_message())
    else:
        initial = {key: request.GET[key] for key in ("debt_amount", "on") if request.GET.get(key)}
        form = EarningsForm(initial={"debt_currency": "VND", **initial})
    status = 422 if request.method == "POST" and plan is None else 200
    return render(
        request,
        "checks/earnings.html",
        {
            "form": form,
            "plan": plan,
            "chart": debt_chart(plan) if plan else None,
            "plan_json": json.dumps(data, ensure_ascii=False) if plan else "",
            "rates": rates,
            "organisations": _save_organisations(request) if plan else [],
        },
        status=status,
    )


@login_required
@require_POST
def earnings_save(request: HttpRequest) -> HttpResponse:
    """Save the plan just made (its input travels in a hidden field) for an organisation."""
    data = _posted_json(
        request, field="plan_input", missing=_("The plan to save is missing; make the plan again.")
    )
    organisation = _posted_organisation(request)
    user: User = request.user  # type: ignore[assignment]
    plan = services.earnings_plan_save(
        actor=user,
        organisation=organisation,
        data=data,
        language=_language(),
        title=request.POST.get("title", ""),
    )
    return redirect("checks:plan_detail", pk=plan.pk)


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(selectors.earnings_plans_visible(user=request.user), pk=pk)
    return render(
        request,
        "checks/plan_detail.html",
        {"saved": saved, "plan": saved.result, "chart": debt_chart(saved.result)},
    )


@require_safe
def pathways(request: HttpRequest) -> HttpResponse:
    """The three routes side by side on a date, optionally for one field of work."""
    try:
        on = dt.date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else None
    except ValueError as error:
        raise InvalidInput(_("Give the date as YYYY-MM-DD."), field="on") from error
    on = on or timezone.localdate()
    data = law.pathways_on(on, _language())
    fields: dict[str, str] = {}
    for route in data["routes"].values():
        for item in route.get("fields") or []:
            fields.setdefault(item["code"], item["name"])
    chosen = request.GET.get("field", "")
    return render(
        request,
        "checks/pathways.html",
        {
            "data": data,
            "on": on,
            "fields": sorted(fields.items(), key=lambda kv: kv[1]),
            "chosen": chosen if chosen in fields else "",
        },
    )
