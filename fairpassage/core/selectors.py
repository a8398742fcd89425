"""Reads of the core app, scoped to what the user may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from fairpassage.core import crypto
from fairpassage.core.models import (
    ApiToken,
    AuditEvent,
    Membership,
    Organisation,
    Profile,
    Role,
    User,
)


def is_platform_staff(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_staff", False))


def organisations_visible(*, user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Platform staff see every organisation; a member sees those they belong to."""
    if is_platform_staff(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def memberships_of(*, user: User | AnonymousUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def user_has_role(
    *, user: User | AnonymousUser, organisation: Organisation, roles: set[str]
) -> bool:
    """True when ``user`` holds one of ``roles`` in ``organisation`` (platform staff: always)."""
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role__in=roles).exists()


ALL_ROLES = set(Role.values)


def audit_events_visible(
    *, user: User | AnonymousUser, organisation: Organisation
) -> QuerySet[AuditEvent]:
    """An organisation's administrators (and platform staff) read its audit trail."""
    if not user_has_role(
        user=user, organisation=organisation, roles={Role.ORGANISATION_ADMIN.value}
    ):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organisation=organisation)


def profile_find_by_phone(*, phone: str) -> Profile | None:
    """Exact search through the keyed hash; the number itself is never compared in clear."""
    return Profile.objects.filter(phone_hash=crypto.phone_hash(phone)).first()


def api_token_user(*, plaintext: str) -> User | None:
    """The active user behind a bearer token, or ``None``."""
    key_hash = crypto.token_digest(plaintext)
    token = (
        ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
