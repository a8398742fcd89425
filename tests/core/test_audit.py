"""Every write leaves an audit event; the trail is append-only and scoped to administrators."""

from __future__ import annotations

import pytest

from fairpassage.core import selectors, services
from fairpassage.core.errors import Conflict, InvalidInput
from fairpassage.core.models import AuditEvent, Organisation, Role, User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_organisation_create_writes_one_audit_event() -> None:
    actor = UserFactory.create()
    organisation = services.organisation_create(
        actor=actor, name="Trung tâm Hỗ trợ", kind="support_organisation", country="VN"
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.actor_label) == (
        "organisation.create",
        actor,
        actor.username,
    )
    assert (event.object_type, event.object_id) == ("core.organisation", str(organisation.pk))
    assert organisation.slug == "trung-tam-ho-tro"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " ", "kind": "support_organisation", "country": "VN"}, "name"),
        ({"name": "X", "kind": "bank", "country": "VN"}, "kind"),
        ({"name": "X", "kind": "employer", "country": "FR"}, "country"),
    ],
)
def test_invalid_organisation_names_the_field_and_writes_nothing(
    kwargs: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.organisation_create(actor=None, **kwargs)
    assert caught.value.field == field
    assert caught.value.status == 422
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_duplicate_slug_is_a_conflict(organisation: Organisation) -> None:
    with pytest.raises(Conflict):
        services.organisation_create(
            actor=None, name="Other", kind="employer", country="JP", slug=organisation.slug
        )


@pytest.mark.django_db
def test_audit_events_are_append_only() -> None:
    event = services.audit_record(actor=None, action="test.event")
    assert event.actor_label == "system"
    event.reason = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().reason == ""


@pytest.mark.django_db
def test_only_administrators_read_their_organisations_trail(
    organisation: Organisation, member: User
) -> None:
    admin = UserFactory.create()
    services.membership_set(
        actor=None, user=admin, organisation=organisation, role=Role.ORGANISATION_ADMIN
    )
    services.audit_record(actor=None, action="x", organisation=organisation)
    assert selectors.audit_events_visible(user=admin, organisation=organisation).count() >= 1
    assert selectors.audit_events_visible(user=member, organisation=organisation).count() == 0
    staff = UserFactory.create(is_staff=True)
    assert selectors.audit_events_visible(user=staff, organisation=organisation).exists()


@pytest.mark.django_db
def test_membership_scoping(organisation: Organisation, member: User) -> None:
    other = services.organisation_create(
        actor=None, name="Osaka Union", kind="support_organisation", country="JP"
    )
    assert list(selectors.organisations_visible(user=member)) == [organisation]
    assert other not in selectors.organisations_visible(user=member)
    assert selectors.user_has_role(user=member, organisation=organisation, roles={Role.CASE_WORKER})
    assert not selectors.user_has_role(user=member, organisation=other, roles={Role.CASE_WORKER})
    with pytest.raises(InvalidInput):
        services.membership_set(actor=None, user=member, organisation=other, role="owner")
