"""Surveys over the API: the surveys one may run and their latest results (aggregates only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from fairpassage.core.auth import token_auth
from fairpassage.core.errors import Forbidden, NotFound
from fairpassage.core.models import User
from fairpassage.core.schemas import ErrorOut
from fairpassage.surveys import selectors
from fairpassage.surveys.models import Survey
from fairpassage.surveys.schemas import SurveyOut, SurveyResultOut

router = Router(tags=["surveys"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not selectors.may_use_surveys(user=user):
        raise Forbidden()
    return user


def _survey(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": survey.title,
        "organisation": survey.organisation.slug,
        "currency": survey.currency,
        "min_cell": survey.min_cell,
        "is_demo": survey.is_demo,
        "created_at": survey.created_at,
    }


@router.get("/surveys", response={200: list[SurveyOut], **ERRORS}, auth=token_auth)
def survey_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Surveys of the organisations where the caller is an analyst or an administrator."""
    return [_survey(s) for s in selectors.surveys_visible(user=_user(request))[:500]]


@router.get("/surveys/{pk}/result", response={200: SurveyResultOut, **ERRORS}, auth=token_auth)
def survey_result(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The latest SDG 10.7.1 result: the same report as `fairpassage sdg1071`, the descriptive
    table and the distribution of the ratio; groups under the survey's minimum cell are
    suppressed. Respondent-level data is never returned."""
    survey = selectors.survey_get(user=_user(request), pk=pk)
    result = selectors.latest_result(survey=survey)
    if result is None:
        raise NotFound()
    return {
        "survey": survey.pk,
        "computed_at": result.created_at,
        "parameters": result.parameters,
        "report": result.report,
        "descriptive": result.descriptive,
        "distribution": result.distribution,
    }
