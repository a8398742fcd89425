"""Recommendation tracker over the API: public reads; member organisations post updates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja import Status as Reply

from fairpassage.core.auth import token_auth
from fairpassage.core.errors import Forbidden, InvalidInput, NotFound
from fairpassage.core.models import User
from fairpassage.core.schemas import ErrorOut
from fairpassage.tracker import selectors, services
from fairpassage.tracker.models import (
    LANGS,
    Consultation,
    Recommendation,
    Stakeholder,
    Status,
    StatusUpdate,
    Theme,
)
from fairpassage.tracker.schemas import (
    ConsultationDetailOut,
    ConsultationOut,
    RecommendationOut,
    StatusUpdateIn,
    StatusUpdateOut,
)

router = Router(tags=["recommendation tracker"])


def _texts(obj: Any, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") for lang in LANGS}


def _consultation(c: Consultation, count: int) -> dict[str, Any]:
    return {
        "id": c.pk,
        "slug": c.slug,
        "title": _texts(c, "title"),
        "date": c.date,
        "place": _texts(c, "place"),
        "organisers": c.organisers,
        "participants_total": c.participants_total,
        "participants_more_than": c.participants_more_than,
        "participants": [
            {"stakeholder": p.stakeholder, "description": p.description, "count": p.count}
            for p in c.participations.all()
        ],
        "proceedings_url": c.proceedings_url,
        "source_url": c.source_url,
        "recommendations_count": count,
    }


def _recommendation(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "consultation_id": r.consultation_id,
        "number": r.number,
        "text": _texts(r, "text"),
        "theme": r.theme,
        "stakeholders": sorted(a.stakeholder for a in r.addressees.all()),
        "pending_proceedings": r.pending_proceedings,
        "current_status": r.current_status,  # type: ignore[attr-defined]
        "current_status_date": r.current_status_date,  # type: ignore[attr-defined]
    }


@router.get("/consultations", response=list[ConsultationOut], summary="Consultations, newest first")
def consultations(request: HttpRequest) -> list[dict[str, Any]]:
    counts = selectors.counts_by("consultation")
    return [_consultation(c, counts.get(str(c.pk), 0)) for c in selectors.consultations_list()]


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationDetailOut, 404: ErrorOut},
    summary="One consultation with its recommendations and their current status",
)
def consultation(request: HttpRequest, consultation_id: int) -> dict[str, Any]:
    found = selectors.consultation_get(pk=consultation_id)
    if found is None:
        raise NotFound(_("There is no consultation with this number."))
    recommendations = [
        _recommendation(r) for r in selectors.recommendations_list(consultation_id=found.pk)
    ]
    return {
        **_consultation(found, len(recommendations)),
        "summary": _texts(found, "summary"),
        "source_note": found.source_note,
        "recommendations": recommendations,
    }


@router.get(
    "/recommendations",
    response={200: list[RecommendationOut], 422: ErrorOut},
    summary="Recommendations filtered by theme, addressed stakeholder and current status",
)
def recommendations(
    request: HttpRequest, theme: str = "", stakeholder: str = "", status: str = ""
) -> list[dict[str, Any]]:
    """Each filter is optional; an unknown value is refused with the list of valid ones."""
    for name, value, allowed in (
        ("theme", theme, Theme.values),
        ("stakeholder", stakeholder, Stakeholder.values),
        ("status", status, Status.values),
    ):
        if value and value not in allowed:
            raise InvalidInput(
                _("Unknown value for %(field)s; use one of: %(values)s."),
                field=name,
                params={"field": name, "values": ", ".join(allowed)},
            )
    return [
        _recommendation(r)
        for r in selectors.recommendations_list(theme=theme, stakeholder=stakeholder, status=status)
    ]


@router.post(
    "/recommendations/{recommendation_id}/updates",
    response={201: StatusUpdateOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=token_auth,
    summary="Post a status update for a recommendation (member organisations' staff)",
)
def update_create(
    request: HttpRequest, recommendation_id: int, payload: StatusUpdateIn
) -> Reply[dict[str, Any]]:
    """Organisation administrators, case workers and reviewers may post; analysts may not.
    The update is published with the organisation's name and recorded in the audit trail."""
    user: User = request.user  # type: ignore[assignment]
    recommendation = (
        Recommendation.objects.select_related("consultation").filter(pk=recommendation_id).first()
    )
    if recommendation is None:
        raise NotFound(_("There is no recommendation with this number."))
    organisations = services.poster_organisations(user=user)
    if not organisations:
        raise Forbidden(
            _("Only administrators, case workers and reviewers of a member organisation can post.")
        )
    if payload.organisation:
        chosen = [o for o in organisations if o.slug == payload.organisation]
        if not chosen:
            raise Forbidden(_("You cannot post for this organisation."))
        organisation = chosen[0]
    elif len(organisations) == 1:
        organisation = organisations[0]
    else:
        raise InvalidInput(
            _("You belong to several organisations: say which one posts."), field="organisation"
        )
    update = services.status_update_create(
        actor=user,
        recommendation=recommendation,
        organisation=organisation,
        status=payload.status,
        date=payload.date,
        text=payload.text,
        evidence=payload.evidence,
        language=payload.language,
    )
    return Reply(201, _update(update))


def _update(u: StatusUpdate) -> dict[str, Any]:
    return {
        "id": u.pk,
        "recommendation_id": u.recommendation_id,
        "status": u.status,
        "date": u.date,
        "text": u.text,
        "language": u.language,
        "evidence": u.evidence,
        "organisation": u.organisation.slug,
        "organisation_name": u.organisation.name,
        "created_at": u.created_at,
    }
