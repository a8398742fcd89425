"""factory_boy factories for the models of our apps."""

from __future__ import annotations

from typing import Any

from factory.declarations import Sequence
from factory.django import DjangoModelFactory

from fairpassage.core.models import Country, Organisation, OrganisationKind, User

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
