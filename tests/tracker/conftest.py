"""Fixtures of the tracker tests: the seeded consultation and users in every role."""

from __future__ import annotations

import datetime as dt

import pytest

from fairpassage.core import services as core_services
from fairpassage.core.models import Organisation, Role, User
from fairpassage.tracker.models import Consultation, Recommendation
from fairpassage.tracker.services import tracker_seed_load
from tests.factories import OrganisationFactory

SEED_SLUG = "2019-07-24-hanoi-vn-jp"


@pytest.fixture
def seeded(db: None) -> Consultation:
    tracker_seed_load()
    return Consultation.objects.get(slug=SEED_SLUG)


@pytest.fixture
def recommendation(seeded: Consultation) -> Recommendation:
    return seeded.recommendations.get(number="2")


@pytest.fixture
def home_org(db: None) -> Organisation:
    return OrganisationFactory.create(name="Hanoi Support Centre", slug="hanoi-support")


def _user(username: str, *, staff: bool = False) -> User:
    """A user without a usable password: tests sign in with force_login, no slow hashing."""
    return User.objects.create_user(
        username=username, password=None, is_staff=staff, is_superuser=staff
    )


def _member(organisation: Organisation, role: str, username: str) -> User:
    user = _user(username)
    core_services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def users(home_org: Organisation) -> dict[str, User]:
    """One user per kind of visitor in the permission matrix (``anonymous`` is absent)."""
    other_org = OrganisationFactory.create(name="Osaka Union", slug="osaka-union")
    return {
        "analyst": _member(home_org, Role.ANALYST, "analyst"),
        "case_worker": _member(home_org, Role.CASE_WORKER, "caseworker"),
        "reviewer": _member(home_org, Role.REVIEWER, "reviewer"),
        "admin": _member(home_org, Role.ORGANISATION_ADMIN, "orgadmin"),
        "staff": _user("platform", staff=True),
        "other_org": _member(other_org, Role.CASE_WORKER, "othercw"),
    }


YESTERDAY = dt.date.today() - dt.timedelta(days=1)
