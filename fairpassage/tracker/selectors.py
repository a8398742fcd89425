"""Reads of the tracker. Everything here is public; the current status is derived, not stored."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from fairpassage.tracker.models import (
    LANGS,
    Consultation,
    Recommendation,
    RecommendationStakeholder,
    Status,
    StatusUpdate,
    Theme,
)

# The latest update wins: by the date it reports on, then by when it was posted.
LATEST = ("-date", "-created_at", "-id")


def with_current_status(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Annotate ``current_status`` (from the latest update, or "not started") and its date."""
    latest = StatusUpdate.objects.filter(recommendation=OuterRef("pk")).order_by(*LATEST)
    return recommendations.annotate(
        current_status=Coalesce(
            Subquery(latest.values("status")[:1]), Value(Status.NOT_STARTED.value)
        ),
        current_status_date=Subquery(latest.values("date")[:1]),
    )


def recommendations_list(
    *, theme: str = "", stakeholder: str = "", status: str = "", consultation_id: int | None = None
) -> QuerySet[Recommendation]:
    """Recommendations with their current status, filtered; unknown filter values match none."""
    qs = with_current_status(
        Recommendation.objects.select_related("consultation").prefetch_related("addressees")
    )
    if consultation_id is not None:
        qs = qs.filter(consultation_id=consultation_id)
    if theme:
        qs = qs.filter(theme=theme)
    if stakeholder:
        addressed = RecommendationStakeholder.objects.filter(stakeholder=stakeholder)
        qs = qs.filter(pk__in=addressed.values("recommendation"))
    if status:
        qs = qs.filter(current_status=status)  # type: ignore[misc]
    return qs.order_by("-consultation__date", "consultation_id", "position", "number")


def recommendation_get(*, pk: int) -> Recommendation | None:
    return recommendations_list().filter(pk=pk).first()


def consultations_list() -> QuerySet[Consultation]:
    return Consultation.objects.prefetch_related("participations").order_by("-date", "slug")


def consultation_get(*, pk: int) -> Consultation | None:
    return consultations_list().filter(pk=pk).first()


def updates_of(*, recommendation: Recommendation) -> QuerySet[StatusUpdate]:
    return recommendation.updates.select_related("organisation").order_by(*LATEST)


def updates_recent(*, limit: int = 50) -> QuerySet[StatusUpdate]:
    """The newest updates first (by when they were posted), for the feed."""
    return StatusUpdate.objects.select_related(
        "organisation", "recommendation", "recommendation__consultation"
    ).order_by("-created_at", "-id")[:limit]


def localised(obj: Any, field: str, lang: str) -> tuple[str, str]:
    """The text of ``field`` in ``lang``, else in the first language that has it: (text, lang)."""
    for code in (lang, *(c for c in ("vi", "en", "ja") if c != lang)):
        if code in LANGS:
            text = getattr(obj, f"{field}_{code}", "")
            if text:
                return text, code
    return "", lang


def progress_by_theme(
    recommendations: QuerySet[Recommendation] | None = None,
) -> list[dict[str, Any]]:
    """For each theme that has recommendations: how many are in each status."""
    qs = recommendations if recommendations is not None else recommendations_list()
    counts: dict[str, dict[str, int]] = {}
    for theme, status in qs.values_list("theme", "current_status"):  # type: ignore[misc]
        counts.setdefault(theme, dict.fromkeys(Status.values, 0))[status] += 1
    return [
        {"theme": theme, "label": Theme(theme).label, "counts": counts[theme]}
        for theme in Theme.values
        if theme in counts
    ]


COUNT_FIELDS = {
    "theme": "theme",
    "stakeholder": "addressees__stakeholder",
    "consultation": "consultation_id",
}


def counts_by(field: str) -> dict[str, int]:
    """How many recommendations per theme, addressed stakeholder or consultation (str keys)."""
    counts: dict[str, int] = {}
    for value in Recommendation.objects.values_list(COUNT_FIELDS[field], flat=True):
        if value is not None and value != "":
            counts[str(value)] = counts.get(str(value), 0) + 1
    return counts
