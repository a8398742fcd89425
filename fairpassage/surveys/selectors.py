"""Reads of surveys: analysts and administrators of the owning organisation (and platform staff)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fairpassage.core.errors import NotFound
from fairpassage.core.models import Organisation, Role, User
from fairpassage.core.selectors import is_platform_staff, user_has_role
from fairpassage.surveys.models import ColumnMapping, Survey, SurveyImport, SurveyResult

SURVEY_ROLES = {Role.ANALYST.value, Role.ORGANISATION_ADMIN.value}


def survey_organisations(*, user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Organisations whose surveys ``user`` may run."""
    if is_platform_staff(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=SURVEY_ROLES
    ).distinct()


def may_use_surveys(*, user: User | AnonymousUser) -> bool:
    return survey_organisations(user=user).exists()


def may_manage(*, user: User | AnonymousUser, organisation: Organisation) -> bool:
    return user_has_role(user=user, organisation=organisation, roles=SURVEY_ROLES)


def surveys_visible(*, user: User | AnonymousUser) -> QuerySet[Survey]:
    return Survey.objects.filter(organisation__in=survey_organisations(user=user)).select_related(
        "organisation"
    )


def survey_get(*, user: User | AnonymousUser, pk: int) -> Survey:
    survey = surveys_visible(user=user).filter(pk=pk).first()
    if survey is None:
        raise NotFound()
    return survey


def import_get(*, user: User | AnonymousUser, pk: int) -> SurveyImport:
    found = (
        SurveyImport.objects.filter(pk=pk, survey__in=surveys_visible(user=user))
        .select_related("survey")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def mappings_for(*, organisation: Organisation) -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.filter(organisation=organisation)


def latest_result(*, survey: Survey) -> SurveyResult | None:
    return survey.results.select_related("source").first()
