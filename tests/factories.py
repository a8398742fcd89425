"""factory_boy factories for the models of our apps."""

from __future__ import annotations

import factory

from fairpassage.core.models import Country, Organisation, OrganisationKind, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Support Centre {n}")
    slug = factory.Sequence(lambda n: f"support-centre-{n}")
    kind = OrganisationKind.SUPPORT_ORGANISATION
    country = Country.VIET_NAM


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
