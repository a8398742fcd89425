"""Staff pages: the queue, a case and its actions, workers, the audit trail, the dashboard.

Every view goes through ``_staff_view`` (sign-in and a membership, or platform staff): the one
place where a second-factor requirement is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fairpassage.cases import (
    agency,
    people,
    returns,
    selectors,
    services,
    stats,
    timeline,
    transfer,
    translations,
    workspace,
)
from fairpassage.cases import queue as case_queue
from fairpassage.cases.access import (
    WRITE_ROLES,
    can_read_cases_of,
    dashboard_entries,
    has_case_role,
    roles_by_organisation,
)
from fairpassage.cases.choices import (
    TRANSITIONS,
    Category,
    CertificateKind,
    ClaimKind,
    ClaimStatus,
    CloseReason,
    ConsentMethod,
    ConsentPurpose,
    Part,
    ReturnReason,
    Status,
)
from fairpassage.cases.models import (
    Attachment,
    Case,
    Claim,
    Consent,
    Message,
    Note,
    Referral,
    Task,
    Worker,
)
from fairpassage.cases.recipients import accused, accused_ids, recipients_for
from fairpassage.cases.staff_forms import package_form
from fairpassage.checks import selectors as checks_selectors
from fairpassage.checks.models import FeeCheck
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from fairpassage.core.models import Membership, Organisation, User
from fairpassage.core.selectors import is_platform_staff
from fairpassage.mfa.decorators import second_factor_required

View = Callable[..., HttpResponse]


def _staff_view(view: View) -> View:
    """Signed in with the second factor, and a member of an organisation (or platform staff)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (is_platform_staff(request.user) or roles_by_organisation(request.user)):
            raise Forbidden(_("This page is for the staff of a member organisation."))
        return view(request, *args, **kwargs)

    return second_factor_required(wrapped)


def _case_role_view(view: View) -> View:
    """A staff page of cases themselves (the queue, the passport search): a case role somewhere
    or platform staff; reviewers and analysts are refused (issue 13, item 1)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_case_role(user=request.user):
            raise Forbidden(_("This page is for the case workers of a member organisation."))
        return view(request, *args, **kwargs)

    return _staff_view(wrapped)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(_("Give the date as YYYY-MM-DD."), field=field) from error


@_case_role_view
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    filters = case_queue.QueueFilters.from_query(request.GET)
    return render(
        request,
        "cases/queue.html",
        {
            "rows": case_queue.queue_rows(user=request.user, filters=filters),
            "filters": filters,
            "limit": case_queue.LIMIT,
            "statuses": Status.choices,
            "categories": Category.choices,
            "assignees": case_queue.assignee_choices(user=request.user),
            "received": selectors.referrals_received(user=request.user).select_related(
                "from_org", "case"
            ),
            "may_import": transfer.referral_configured()
            and any(role in WRITE_ROLES for role in roles_by_organisation(request.user).values()),
        },
    )


@_staff_view
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.case_read(user=request.user, case_id=pk)
    view = selectors.case_view(access)
    case = access.case
    context: dict[str, Any] = {
        **view,
        **translations.texts_of_case(access, view),
        "summary": workspace.summary(case, view),
        "sections": workspace.SECTIONS,
        "open_section": workspace.open_section(request.GET.get("section", "")),
        "page_language": (get_language() or "vi")[:2],
        "timeline": timeline.entries(access=access, events=view.get("timeline", [])),
        "current_status": (case.status, case.get_status_display()),
        "next_statuses": [
            (s, Status(s).label) for s in Status.values if s in TRANSITIONS[case.status]
        ],
        "close_reasons": CloseReason.choices,
        "parts": Part.choices,
        "purposes": ConsentPurpose.choices,
        "methods": ConsentMethod.choices,
        "return_reasons": ReturnReason.choices,
        "claim_kinds": ClaimKind.choices,
        "claim_statuses": ClaimStatus.choices,
        "certificate_kinds": CertificateKind.choices,
        "languages": [("vi", "Tiếng Việt"), ("ja", "日本語"), ("en", "English")],
    }
    if access.owner and access.organisation is not None:
        org = access.organisation
        named = accused_ids(case)
        context["organisations"] = recipients_for(case=case, exclude=org, accused=named)
        context["accused"] = accused(case, named)
        context["assignees"] = User.objects.filter(
            memberships__organisation=org, memberships__role__in=WRITE_ROLES
        ).distinct()
        context["fee_checks"] = FeeCheck.objects.filter(organisation=org)[:50]
        context["earnings_plans"] = checks_selectors.earnings_plans_of(organisation=org)
        context["workers"] = Worker.objects.filter(organisation=org).order_by("-id")[:50]
        if access.can_write and transfer.referral_configured() and transfer.referral_peers():
            context["package_form"] = package_form(case)
    context["agency"] = agency.case_agency(case=case, on=timezone.localdate())
    if case.organisation_id is None:
        context["route_to"] = Organisation.objects.filter(is_active=True)
    return render(request, "cases/case_detail.html", context)


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(Case, pk=pk)


def _pk(request: HttpRequest, name: str) -> int:
    """The id a form field names (0, found nowhere, when it is empty); anything but digits is
    refused naming the field, never a server error."""
    value = request.POST.get(name, "").strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise InvalidInput(_("Choose from the list."), field=name)
    return int(value)


def _ids(request: HttpRequest, name: str) -> list[int]:
    """Every id of a multiple choice; one that is not digits is refused naming the field."""
    values = [v.strip() for v in request.POST.getlist(name) if v.strip()]
    if any(not (v.isascii() and v.isdigit()) or len(v) > 18 for v in values):
        raise InvalidInput(_("Choose from the list."), field=name)
    return [int(v) for v in values]


def _act_status(request: HttpRequest, case: Case) -> str:
    p = request.POST
    services.case_status_change(
        actor=_user(request),
        case=case,
        status=p.get("status", ""),
        reason=p.get("reason", ""),
        close_reason=p.get("close_reason", ""),
    )
    return _("The status is changed.")


def _act_assign(request: HttpRequest, case: Case) -> str:
    assignee = services.assignee_find(pk=request.POST.get("assignee", ""))
    services.case_assign(actor=_user(request), case=case, assignee=assignee)
    return _("The case is assigned.")


def _act_route(request: HttpRequest, case: Case) -> str:
    org = get_object_or_404(Organisation, pk=_pk(request, "organisation"))
    services.case_route(actor=_user(request), case=case, organisation=org)
    return _("The case is sent to the organisation.")


def _act_note(request: HttpRequest, case: Case) -> str:
    p = request.POST
    services.note_add(
        actor=_user(request), case=case, body=p.get("body", ""), language=p.get("language", "")
    )
    return _("The note is saved.")


def _act_task(request: HttpRequest, case: Case) -> str:
    p = request.POST
    services.task_add(
        actor=_user(request),
        case=case,
        title=p.get("title", ""),
        due_on=_date(p.get("due_on", ""), "due_on"),
    )
    return _("The task is added.")


def _act_task_done(request: HttpRequest, case: Case) -> str:
    task = get_object_or_404(Task, pk=_pk(request, "task"), case=case)
    services.task_done(actor=_user(request), task=task)
    return _("The task is done.")


def _act_attach(request: HttpRequest, case: Case) -> str:
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput(_("Choose a file."), field="file")
    if upload.size is not None and upload.size > 5 * 1024 * 1024:
        raise InvalidInput(_("The file is larger than 5 MB."), field="file")
    services.attachment_add(
        actor=_user(request), case=case, name=upload.name or "", content=upload.read()
    )
    return _("The file is attached.")


def _act_fee_check(request: HttpRequest, case: Case) -> str:
    check = get_object_or_404(FeeCheck, pk=_pk(request, "fee_check"))
    services.case_link_fee_check(actor=_user(request), case=case, fee_check=check)
    return _("The fee check is linked; its excess is the claim amount.")


def _act_message(request: HttpRequest, case: Case) -> str:
    services.staff_message_post(
        actor=_user(request),
        case=case,
        body=request.POST.get("body", ""),
        language=(get_language() or "vi")[:2],
    )
    return _("The message is sent. The worker reads it with the tracking code.")


def _act_translate(request: HttpRequest, case: Case) -> str:
    p = request.POST
    message = note = None
    if p.get("message"):
        message = get_object_or_404(Message, pk=_pk(request, "message"), case=case)
    elif p.get("note"):
        note = get_object_or_404(Note, pk=_pk(request, "note"), case=case)
    translations.translation_add(
        actor=_user(request),
        case=case,
        language=p.get("language", ""),
        body=p.get("body", ""),
        message=message,
        note=note,
    )
    return _("The translation is attached beside the original.")


def _act_consent(request: HttpRequest, case: Case) -> str:
    p = request.POST
    people.consent_record(
        actor=_user(request),
        case=case,
        purpose=p.get("purpose", ""),
        method=p.get("method", ""),
        organisations=services.organisations_find(ids=_ids(request, "organisations")),
        parts=p.getlist("parts"),
        given_on=_date(p.get("given_on", ""), "given_on"),
    )
    return _("The consent is recorded.")


def _act_consent_withdraw(request: HttpRequest, case: Case) -> str:
    consent = get_object_or_404(Consent, pk=_pk(request, "consent"), case=case)
    people.consent_withdraw(actor=_user(request), consent=consent)
    return _("The consent is withdrawn; sharing under it has stopped.")


def _act_refer(request: HttpRequest, case: Case) -> str:
    p = request.POST
    consent = get_object_or_404(Consent, pk=_pk(request, "consent"), case=case)
    to_org = get_object_or_404(Organisation, pk=_pk(request, "to_org"))
    people.referral_propose(
        actor=_user(request), case=case, to_org=to_org, consent=consent, parts=p.getlist("parts")
    )
    return _("The referral is proposed.")


def _decide(request: HttpRequest, case: Case, accept: bool) -> str:
    referral = get_object_or_404(Referral, pk=_pk(request, "referral"), case=case)
    people.referral_decide(
        actor=_user(request),
        referral=referral,
        accept=accept,
        reason=request.POST.get("reason", ""),
    )
    return _("The referral is accepted.") if accept else _("The referral is declined.")


def _act_return(request: HttpRequest, case: Case) -> str:
    p = request.POST
    returned_on = _date(p.get("returned_on", ""), "returned_on")
    if returned_on is None:
        raise InvalidInput(_("Give the date of return."), field="returned_on")
    returns.return_record(
        actor=_user(request),
        case=case,
        returned_on=returned_on,
        left_japan_on=_date(p.get("left_japan_on", ""), "left_japan_on"),
        reason=p.get("reason", ""),
    )
    return _("The return is recorded.")


def _act_claim(request: HttpRequest, case: Case) -> str:
    p = request.POST
    amount = p.get("amount", "").replace(".", "").replace(",", "").strip()
    if amount and not (amount.isascii() and amount.isdigit()):
        raise InvalidInput(_("Give the amount in digits."), field="amount")
    returns.claim_add(
        actor=_user(request),
        case=case,
        kind=p.get("kind", ""),
        amount=int(amount) if amount else None,
        currency=p.get("currency", "VND"),
        due_on=_date(p.get("due_on", ""), "due_on"),
    )
    return _("The claim is added.")


def _act_claim_status(request: HttpRequest, case: Case) -> str:
    claim = get_object_or_404(Claim, pk=_pk(request, "claim"), case=case)
    returns.claim_status_set(
        actor=_user(request), claim=claim, status=request.POST.get("status", "")
    )
    return _("The claim is updated.")


def _act_certificate(request: HttpRequest, case: Case) -> str:
    p = request.POST
    returns.certificate_add(
        actor=_user(request),
        case=case,
        kind=p.get("kind", ""),
        name=p.get("name", ""),
        obtained_on=_date(p.get("obtained_on", ""), "obtained_on"),
    )
    return _("The certificate is added.")


def _act_worker(request: HttpRequest, case: Case) -> str:
    worker = get_object_or_404(Worker, pk=_pk(request, "worker"))
    people.case_link_worker(actor=_user(request), case=case, worker=worker)
    return _("The worker is linked to the case.")


ACTIONS: dict[str, Callable[[HttpRequest, Case], str]] = {
    "status": _act_status,
    "assign": _act_assign,
    "route": _act_route,
    "note": _act_note,
    "task": _act_task,
    "task-done": _act_task_done,
    "attach": _act_attach,
    "fee-check": _act_fee_check,
    "message": _act_message,
    "translate": _act_translate,
    "consent": _act_consent,
    "consent-withdraw": _act_consent_withdraw,
    "refer": _act_refer,
    "accept": lambda r, c: _decide(r, c, True),
    "decline": lambda r, c: _decide(r, c, False),
    "return": _act_return,
    "claim": _act_claim,
    "claim-status": _act_claim_status,
    "certificate": _act_certificate,
    "worker": _act_worker,
}


@_staff_view
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One change to a case; a refused or invalid change comes back as a message on the case."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound()
    case = _case(request, pk)
    try:
        messages.success(request, handler(request, case))
    except (InvalidInput, Conflict) as error:  # refusals (403, 404) render as error pages
        messages.error(request, error.rendered_message())
    if action == "decline":
        return redirect("cases:queue")
    section = workspace.ACTION_SECTIONS.get(action, workspace.DEFAULT_SECTION)
    if action == "translate" and request.POST.get("note"):
        section = "notes"
    return redirect(workspace.section_url(case_url(case), section))


@_staff_view
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("case"), pk=pk)
    content = services.attachment_read(actor=_user(request), attachment=attachment)
    response = HttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="attachment-{attachment.pk}"'
    response["Cache-Control"] = "no-store"
    return response


def _write_organisations(user: User) -> list[Organisation]:
    ids = [org for org, role in roles_by_organisation(user).items() if role in WRITE_ROLES]
    return list(Organisation.objects.filter(pk__in=ids))


@_case_role_view
@require_http_methods(["GET", "HEAD", "POST"])
def workers(request: HttpRequest) -> HttpResponse:
    """Find a worker by exact passport or phone number (POST: numbers never go in the URL)."""
    found: list[Worker] | None = None
    if request.method == "POST":
        try:
            found = selectors.worker_find(
                user=request.user,
                passport=request.POST.get("passport", ""),
                phone=request.POST.get("phone", ""),
            )
        except InvalidInput as error:
            messages.error(request, error.rendered_message())
    return render(
        request,
        "cases/workers.html",
        {"found": found, "organisations": _write_organisations(_user(request))},
    )


@_case_role_view
@require_POST
def worker_create(request: HttpRequest) -> HttpResponse:
    p = request.POST
    organisation = get_object_or_404(Organisation, pk=_pk(request, "organisation"))
    worker = people.worker_create(
        actor=_user(request),
        organisation=organisation,
        province_code=p.get("province", ""),
        prefecture_code=p.get("prefecture", ""),
        **{name: p.get(name, "") for name in people.WORKER_TEXT_FIELDS},
    )
    return redirect("cases:worker_detail", pk=worker.pk)


@_staff_view
@require_safe
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_read(user=request.user, worker_id=pk)
    cases = selectors.case_queue(user=request.user).filter(worker=worker)
    return render(request, "cases/worker_detail.html", {"worker": worker, "cases": cases})


def _organisation(slug: str, user: User) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise NotFound()
    return organisation


@_staff_view
@require_safe
def audit_trail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug, _user(request))
    events = selectors.audit_trail(user=request.user, organisation=organisation)[:500]
    return render(request, "cases/audit.html", {"organisation": organisation, "events": events})


@_staff_view
@require_safe
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's cases counted, for every role there. Its case workers and
    administrators, who open each case anyway, see every count exactly and the team's work;
    analysts and reviewers see the aggregates with cells under 5 suppressed."""
    organisation = _organisation(slug, _user(request))
    cases = Case.objects.filter(organisation=organisation)
    exact = can_read_cases_of(user=request.user, organisation=organisation)
    return render(
        request,
        "cases/statistics.html",
        {
            "stats": stats.aggregate(cases, exact=exact),
            "work": stats.work(cases) if exact else None,
            "organisation": organisation,
        },
    )


@_staff_view
@require_safe
def dashboards(request: HttpRequest) -> HttpResponse:
    entries = dashboard_entries(user=request.user)
    return render(request, "cases/dashboards.html", {"entries": entries})
