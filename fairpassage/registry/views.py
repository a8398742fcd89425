"""Pages of the registry: check an agency, its record, worker reports, the help directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fairpassage.core import selectors as core_selectors
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import Organisation, User
from fairpassage.core.ratelimit import client_key, rate_limit
from fairpassage.registry import selectors, services
from fairpassage.registry.forms import (
    HelpFilterForm,
    ImportForm,
    ModerateForm,
    OnDateForm,
    ReplyForm,
    ReviewForm,
    SearchForm,
)
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.models import AgencyReview, ReviewStatus

SEARCHES_PER_MINUTE = 60


def _language() -> str:
    return (get_language() or "vi")[:2]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    on = timezone.localdate()
    if form.is_bound and form.is_valid():
        rate_limit(
            scope="agency-search-page",
            key=client_key(request),
            limit=SEARCHES_PER_MINUTE,
            window_seconds=60,
        )
        on = form.cleaned_data["on"] or on
        results = selectors.agencies_search(
            text=form.cleaned_data["q"], on=on, country=form.cleaned_data["country"]
        )
    return render(request, "registry/search.html", {"form": form, "results": results, "on": on})


@require_safe
def agency(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    form = OnDateForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_valid() else None) or timezone.localdate()
    record = selectors.agency_record(organisation=organisation, on=on)
    user = request.user
    is_member = (
        user.is_authenticated
        and core_selectors.memberships_of(user=user).filter(organisation=organisation).exists()
    )
    return render(
        request,
        "registry/agency.html",
        {
            "organisation": organisation,
            "record": record,
            "form": form,
            "reviews": selectors.reviews_published(organisation)[:50],
            "is_member": is_member,
        },
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.review_submit(
            organisation=organisation,
            stars={k: data[k] for k in services.STARS},
            text=data["text"],
            language=_language(),
            client=client_key(request),
        )
        messages.success(
            request, _("Thank you. Your report will be published after a reviewer reads it.")
        )
        return redirect("registry:agency", slug=organisation.slug)
    return render(request, "registry/review.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_moderate(user):
        raise Forbidden(_("Only reviewers of support organisations can moderate reports."))
    if request.method == "POST":
        pk = str(request.POST.get("review", ""))
        item = get_object_or_404(
            selectors.reviews_pending(user=user), pk=int(pk) if pk.isdigit() else 0
        )
        form = ModerateForm(request.POST)
        if form.is_valid():
            services.review_moderate(
                actor=user,
                review=item,
                publish=form.cleaned_data["decision"] == "publish",
                text=form.cleaned_data["text"] or None,
            )
            messages.success(request, _("Done."))
        return redirect("registry:moderate")
    pending = [
        (item, ModerateForm(initial={"text": item.text}))
        for item in selectors.reviews_pending(user=user)[:50]
    ]
    return render(request, "registry/moderate.html", {"pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgencyReview, pk=pk, status=ReviewStatus.PUBLISHED)
    user: User = request.user  # type: ignore[assignment]
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reply_post(actor=user, review=item, text=form.cleaned_data["text"])
        return redirect("registry:agency", slug=item.organisation.slug)
    if not core_selectors.memberships_of(user=user).filter(organisation=item.organisation).exists():
        raise Forbidden(_("Only the agency's own staff can reply."))
    return render(request, "registry/reply.html", {"review": item, "form": form})


@require_safe
def help_directory(request: HttpRequest) -> HttpResponse:
    form = HelpFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.help_entries(
        country=filters.get("country", ""), kind=filters.get("kind", "")
    )
    return render(
        request,
        "registry/help.html",
        {"form": form, "entries": entries, "emergency": selectors.help_entries(kind="emergency")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    if not core_selectors.is_platform_staff(request.user):
        raise Forbidden(_("Only platform staff import official lists."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = agencies_import(
            actor=request.user,
            data=upload.read(),
            filename=upload.name,
            source=form.cleaned_data["source"],
            as_of=form.cleaned_data["as_of"],
            dry_run=not form.cleaned_data["commit"],
        ).as_dict()
    return render(request, "registry/import.html", {"form": form, "report": report})
