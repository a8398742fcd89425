"""Issue 13, item 12: roles change only through the audited service, in the admin too; platform
staff cannot give themselves a role; the organisation's administrators see every change."""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core import services
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import AuditEvent, Membership, Role, User
from tests.factories import UserFactory
from tests.security.scene import SecurityScene, fully_signed_in

pytestmark = pytest.mark.django_db


def _inline_post(scene: SecurityScene, user: User) -> dict[str, object]:
    """The organisation's change form with one new membership row in the inline."""
    org = scene.agency
    return {
        "name": org.name,
        "name_local": "",
        "slug": org.slug,
        "kind": org.kind,
        "country": org.country,
        "email": "",
        "phone": "",
        "website": "",
        "address": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": str(user.pk),
        "memberships-0-role": Role.ORGANISATION_ADMIN,
        "memberships-0-organisation": str(org.pk),
        "memberships-0-id": "",
    }


def test_item_12_staff_cannot_give_themselves_a_role_in_the_admin(scene: SecurityScene) -> None:
    staff = scene.user("staff")
    client = fully_signed_in(scene, "staff")
    client.post(
        f"/vi/admin/core/organisation/{scene.agency.pk}/change/", _inline_post(scene, staff)
    )
    assert not Membership.objects.filter(user=staff).exists()
    refused = client.post(
        "/vi/admin/core/membership/add/",
        {"user": staff.pk, "organisation": scene.agency.pk, "role": Role.ORGANISATION_ADMIN},
    )
    assert refused.status_code == 403
    assert not Membership.objects.filter(user=staff).exists()


def test_item_12_the_service_refuses_self_grants_by_staff(scene: SecurityScene) -> None:
    staff = scene.user("staff")
    with pytest.raises(Forbidden):
        services.membership_set(
            actor=staff, user=staff, organisation=scene.agency, role=Role.CASE_WORKER
        )
    case_worker = scene.user("support_case_worker")
    with pytest.raises(Forbidden):  # nor may a member who is not an administrator there
        services.membership_set(
            actor=case_worker, user=case_worker, organisation=scene.support, role="analyst"
        )
    assert not Membership.objects.filter(user=staff).exists()


def test_item_12_admin_gives_roles_through_the_audited_service(scene: SecurityScene) -> None:
    staff = scene.user("staff")
    newcomer = UserFactory.create(username="newcomer")
    client = fully_signed_in(scene, "staff")
    added = client.post(
        "/vi/admin/core/membership/add/",
        {"user": newcomer.pk, "organisation": scene.support.pk, "role": Role.CASE_WORKER},
    )
    assert added.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    event = AuditEvent.objects.get(action="membership.set", object_id=str(membership.pk))
    assert event.actor == staff
    assert event.organisation == scene.support
    assert event.data["role"] == Role.CASE_WORKER
    assert event.data["previous"] == ""
    client.post(f"/vi/admin/core/membership/{membership.pk}/change/", {"role": Role.ANALYST})
    assert Membership.objects.get(pk=membership.pk).role == Role.ANALYST
    client.post(f"/vi/admin/core/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = list(
        AuditEvent.objects.filter(organisation=scene.support, data__user=newcomer.pk)
        .order_by("id")
        .values_list("action", "data__previous", "data__role")
    )
    assert actions == [
        ("membership.set", "", Role.CASE_WORKER),
        ("membership.set", Role.CASE_WORKER, Role.ANALYST),
        ("membership.remove", Role.ANALYST, ""),
    ]


def test_item_12_administrators_see_role_changes_on_their_members_page(
    scene: SecurityScene,
) -> None:
    newcomer = UserFactory.create(username="newcomer")
    services.membership_set(
        actor=scene.user("staff"), user=newcomer, organisation=scene.support, role="case_worker"
    )
    page = fully_signed_in(scene, "support_organisation_admin").get("/vi/org/vn-support/members/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "newcomer" in html
    assert "platform" in html  # who gave the role
    for visitor in ("support_case_worker", "support_reviewer", "agency_organisation_admin"):
        assert fully_signed_in(scene, visitor).get("/vi/org/vn-support/members/").status_code == 403
    assert Client().get("/vi/org/vn-support/members/").status_code == 302
