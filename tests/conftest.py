"""Shared fixtures: users in roles, an API client with a token."""

from __future__ import annotations

import pytest

from fairpassage.core import services
from fairpassage.core.models import Organisation, Role, User
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create()


@pytest.fixture
def member(organisation: Organisation) -> User:
    user = UserFactory.create()
    services.membership_set(actor=None, user=user, organisation=organisation, role=Role.CASE_WORKER)
    return user


@pytest.fixture
def api_token(member: User) -> str:
    _token, plaintext = services.api_token_create(actor=None, user=member, name="test")
    return plaintext
