"""Reads of the core app, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from fairpassage.core import crypto
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import (
    ApiToken,
    AuditEvent,
    Membership,
    Organisation,
    Profile,
    Role,
    TaskWorker,
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


ROLE_CHANGES = ("membership.set", "membership.remove")


def members_of(*, user: User | AnonymousUser, organisation: Organisation) -> QuerySet[Membership]:
    """Who holds which role in ``organisation``: for its administrators and platform staff."""
    if not user_has_role(
        user=user, organisation=organisation, roles={Role.ORGANISATION_ADMIN.value}
    ):
        raise Forbidden(_("Only the organisation's administrators see its members."))
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username")
    )


def role_changes(*, user: User | AnonymousUser, organisation: Organisation) -> QuerySet[AuditEvent]:
    """Every role given or taken in ``organisation``, newest first, by whom (its audit trail)."""
    return audit_events_visible(user=user, organisation=organisation).filter(
        action__in=ROLE_CHANGES
    )


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


def tasks_visible(*, user: User | AnonymousUser) -> QuerySet[DBTaskResult[Any, Any]]:
    """The task queue's tasks, newest first: platform staff only (others see none)."""
    if not is_platform_staff(user):
        return DBTaskResult.objects.none()
    return DBTaskResult.objects.order_by("-enqueued_at")


def task_workers_visible(*, user: User | AnonymousUser) -> QuerySet[TaskWorker]:
    if not is_platform_staff(user):
        return TaskWorker.objects.none()
    return TaskWorker.objects.order_by("-beat_at")
