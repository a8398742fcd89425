"""Users in each situation the second factor distinguishes, and a helper to enrol one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from fairpassage.core import services as core_services
from fairpassage.core.models import Organisation, Role, User
from fairpassage.mfa import services, totp
from tests.factories import UserFactory


def enrol(user: User) -> tuple[bytes, list[str]]:
    """Set up and confirm an authenticator; returns its key and the recovery codes."""
    device = services.device_begin(actor=user, user=user)
    key = totp.secret_bytes(device.secret)
    _device, codes = services.device_confirm(
        actor=user, user=user, code=totp.totp(key, time.time())
    )
    return key, codes


def next_code(key: bytes) -> str:
    """A code newer than any used so far (the following step, inside the window)."""
    return totp.totp(key, time.time() + totp.STEP_SECONDS)


@pytest.fixture
def analyst(organisation: Organisation) -> User:
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.ANALYST
    )
    return user


@pytest.fixture
def admin(organisation: Organisation) -> User:
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.ORGANISATION_ADMIN
    )
    return user


@pytest.fixture
def staff(db: None) -> User:
    return UserFactory.create(is_staff=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Sign-in tests hash many passwords; a fast hasher keeps them quick (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
