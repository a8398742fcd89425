"""Tracker pages: consultations, themes, stakeholders, progress, and posting an update."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import User
from fairpassage.tracker import selectors, services
from fairpassage.tracker.charts import stacked_bars
from fairpassage.tracker.forms import StatusUpdateForm, attach_error
from fairpassage.tracker.models import Recommendation, Stakeholder, Theme


def _lang() -> str:
    return (get_language() or "vi")[:2]


def _can_post(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and services.poster_organisations(user=user))


def _recommendation(pk: int) -> Recommendation:
    recommendation = selectors.recommendation_get(pk=pk)
    if recommendation is None:
        raise Http404
    return recommendation


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracker/consultation_list.html",
        {
            "consultations": selectors.consultations_list(),
            "chart": stacked_bars(selectors.progress_by_theme()),
        },
    )


@require_safe
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk=pk)
    if consultation is None:
        raise Http404
    recommendations = selectors.recommendations_list(consultation_id=consultation.pk)
    return render(
        request,
        "tracker/consultation_detail.html",
        {
            "consultation": consultation,
            "recommendations": recommendations,
            "chart": stacked_bars(selectors.progress_by_theme(recommendations)),
        },
    )


def _groups(kind: str) -> list[dict[str, Any]]:
    choices = Theme if kind == "theme" else Stakeholder
    counts = selectors.counts_by(kind)
    return [
        {"code": c, "label": choices(c).label, "count": counts.get(c, 0)} for c in choices.values
    ]


@require_safe
def theme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracker/group_list.html",
        {"title": _("Recommendations by theme"), "groups": _groups("theme"), "kind": "theme"},
    )


@require_safe
def theme_detail(request: HttpRequest, theme: str) -> HttpResponse:
    if theme not in Theme.values:
        raise Http404
    return render(
        request,
        "tracker/group_detail.html",
        {
            "title": Theme(theme).label,
            "kind": "theme",
            "recommendations": selectors.recommendations_list(theme=theme),
        },
    )


@require_safe
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracker/group_list.html",
        {
            "title": _("Recommendations by stakeholder"),
            "groups": _groups("stakeholder"),
            "kind": "stakeholder",
        },
    )


@require_safe
def stakeholder_detail(request: HttpRequest, stakeholder: str) -> HttpResponse:
    if stakeholder not in Stakeholder.values:
        raise Http404
    return render(
        request,
        "tracker/group_detail.html",
        {
            "title": Stakeholder(stakeholder).label,
            "kind": "stakeholder",
            "recommendations": selectors.recommendations_list(stakeholder=stakeholder),
        },
    )


@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    rows = selectors.progress_by_theme()
    return render(request, "tracker/progress.html", {"chart": stacked_bars(rows), "rows": rows})


@require_safe
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(pk)
    return render(
        request,
        "tracker/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "updates": selectors.updates_of(recommendation=recommendation),
            "can_post": _can_post(request),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff of a member organisation (not analysts) report where a recommendation stands."""
    recommendation = _recommendation(pk)
    user: User = request.user  # type: ignore[assignment]
    organisations = services.poster_organisations(user=user)
    if not organisations:
        raise Forbidden(
            _("Only administrators, case workers and reviewers of a member organisation can post.")
        )
    form = StatusUpdateForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update = services.status_update_create(
                    actor=user,
                    recommendation=recommendation,
                    organisation=form.cleaned_data["organisation"],
                    status=form.cleaned_data["status"],
                    date=form.cleaned_data["date"],
                    text=form.cleaned_data["text"],
                    evidence=form.evidence_links(),
                    language=_lang(),
                )
            except InvalidInput as error:
                attach_error(form, error.field or "", error.rendered_message())
            else:
                url = reverse("tracker:recommendation_detail", args=[recommendation.pk])
                return redirect(f"{url}#update-{update.pk}")
        status = 422
    return render(
        request,
        "tracker/update_form.html",
        {"recommendation": recommendation, "form": form},
        status=status,
    )
