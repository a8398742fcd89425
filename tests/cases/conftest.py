"""Organisations in both countries, a user in each role, and a helper to file grievances."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import services
from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.cases.models import Case
from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Organisation, Role, User
from tests.factories import OrganisationFactory, UserFactory

_keys = itertools.count(1)


def file_grievance(**overrides: Any) -> tuple[Case, str]:
    """A grievance as the public form files it; returns the case and its tracking code."""
    fields: dict[str, Any] = {
        "idempotency_key": f"test-key-{next(_keys):08d}-abcdefgh",
        "where_now": WhereNow.VIET_NAM,
        "categories": [Category.FEES_DEBT],
        "stage": Stage.BEFORE_DEPARTURE,
        "statement": "Công ty thu 150 triệu đồng, passport C1234567",
        "contact": "+84 90 123 4567",
    }
    fields.update(overrides)
    case, code, _created = services.grievance_submit(**fields)
    return case, code


@dataclass
class World:
    vn: Organisation
    jp: Organisation
    other: Organisation
    users: dict[str, User]  # "<org>_<role>" -> user, and "staff", "outsider"

    def user(self, org: str, role: str) -> User:
        return self.users[f"{org}_{role}"]


@pytest.fixture
def world(db: None) -> World:
    vn = OrganisationFactory.create(slug="vn-support", country=Country.VIET_NAM)
    jp = OrganisationFactory.create(slug="jp-union", country=Country.JAPAN)
    other = OrganisationFactory.create(slug="other-support", country=Country.VIET_NAM)
    users: dict[str, User] = {}
    for name, org in (("vn", vn), ("jp", jp), ("other", other)):
        for role in Role.values:
            user = UserFactory.create(username=f"{name}_{role}")
            core_services.membership_set(actor=None, user=user, organisation=org, role=role)
            users[f"{name}_{role}"] = user
    users["staff"] = UserFactory.create(username="platform", is_staff=True)
    users["outsider"] = UserFactory.create(username="outsider")
    return World(vn, jp, other, users)


@pytest.fixture(autouse=True)
def _private_attachments(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.CASES_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 1000, "track": 1000, "message": 1000}
    # Many users per test: a fast hash keeps the suite quick (passwords here protect nothing).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


__all__ = ["World", "file_grievance"]
