"""factory_boy factories for the models of our apps."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from factory.declarations import Sequence
from factory.django import DjangoModelFactory

from fairpassage.core.models import Country, Organisation, OrganisationKind, User
from fairpassage.mfa import selectors as mfa_selectors
from fairpassage.mfa import services as mfa_services
from fairpassage.mfa import totp

PASSWORD = "correct horse battery"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = Sequence(lambda n: f"Support Centre {n}")
    slug = Sequence(lambda n: f"support-centre-{n}")
    kind = OrganisationKind.SUPPORT_ORGANISATION
    country = Country.VIET_NAM


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    username = Sequence(lambda n: f"user{n}")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", PASSWORD)
        user = model_class(**kwargs)
        user.set_password(password)
        user.save()
        return user


def second_factor_enrol(user: User) -> str:
    """Give ``user`` a confirmed authenticator; returns its base32 secret."""
    device = mfa_services.device_begin(actor=None, user=user)
    code = totp.totp(totp.secret_bytes(device.secret), time.time() - totp.STEP_SECONDS)
    mfa_services.device_confirm(
        actor=None, user=user, code=code, unix_time=time.time() - totp.STEP_SECONDS
    )
    return str(device.secret)


def second_factor_code(secret: str) -> str:
    """The authenticator's current code."""
    return totp.totp(totp.secret_bytes(secret), time.time())


def login_verified(client: Client, user: User) -> None:
    """Sign ``client`` in as ``user`` with the second factor passed, as after a real sign-in."""
    if mfa_selectors.second_factor_needed(user) and mfa_selectors.device_of(user=user) is None:
        second_factor_enrol(user)
    client.force_login(user)
    device = mfa_selectors.device_of(user=user)
    if device is not None:
        session = client.session
        session[mfa_selectors.SESSION_KEY] = {"user": user.pk, "device": device.pk}
        session.save()
