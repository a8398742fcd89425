"""Survey fixtures: an analyst and a case worker of one organisation, a survey of it."""

from __future__ import annotations

import pytest

from fairpassage.core import services as core_services
from fairpassage.core.models import Organisation, Role, User
from fairpassage.surveys import services
from fairpassage.surveys.models import Survey
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create()


def _member(organisation: Organisation, role: str) -> User:
    user = UserFactory.create()
    core_services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def analyst(organisation: Organisation) -> User:
    return _member(organisation, Role.ANALYST)


@pytest.fixture
def case_worker(organisation: Organisation) -> User:
    return _member(organisation, Role.CASE_WORKER)


@pytest.fixture
def survey(analyst: User, organisation: Organisation) -> Survey:
    return services.survey_create(
        actor=analyst,
        organisation=organisation,
        title="Returnees 2026",
        currency="JPY",
        rates={"VND": 0.0061},
        rates_source="ECB cross rate, May 2026 (illustrative)",
        breakdowns=[["sex"], ["programme"]],
        min_cell=1,
    )
