"""Reads of the second-factor app: who needs a second factor, who has one, who is locked out."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone

from fairpassage.core.models import User, username_normalise
from fairpassage.mfa.models import Device, RecoveryCode, ThrottleLock

SESSION_KEY = "mfa_verified"


def throttle_max_failures() -> int:
    return int(getattr(settings, "MFA_THROTTLE_MAX_FAILURES", 5))


def throttle_window() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "MFA_THROTTLE_WINDOW_MINUTES", 15)))


def throttle_lock_duration() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "MFA_THROTTLE_LOCK_MINUTES", 15)))


def login_username(typed: str) -> str:
    """The name to sign in under: the normalised one, or, for an account created before names
    were normalised and not renamed since, the name exactly as typed."""
    normal = username_normalise(typed)
    if normal == typed or User.objects.filter(username=normal).exists():
        return normal
    return typed if User.objects.filter(username=typed).exists() else normal


def second_factor_needed(user: User | AnonymousUser) -> bool:
    """Everyone with an account: every signed-in page needs the second factor
    (``mfa/middleware.py``). Workers never need an account."""
    return bool(user.is_authenticated)


def device_of(*, user: User | AnonymousUser) -> Device | None:
    """The user's confirmed authenticator, or ``None``."""
    if not user.is_authenticated:
        return None
    return Device.objects.filter(user=user, confirmed_at__isnull=False).first()


def device_pending(*, user: User) -> Device | None:
    """An authenticator being set up (secret shown, no code confirmed yet)."""
    return Device.objects.filter(user=user, confirmed_at__isnull=True).first()


def second_factor_verified(request: HttpRequest) -> bool:
    """True when this session's user passed the second factor with their current device."""
    user = request.user
    if not user.is_authenticated:
        return False
    mark = request.session.get(SESSION_KEY)
    if not isinstance(mark, dict) or mark.get("user") != user.pk:
        return False
    device = mark.get("device")
    if not isinstance(device, int):
        return False
    return Device.objects.filter(pk=device, user=user, confirmed_at__isnull=False).exists()


def recovery_codes_remaining(*, device: Device) -> int:
    return RecoveryCode.objects.filter(device=device, used_at__isnull=True).count()


def throttle_locked_until(
    *, scope: str, key: str, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the lock on ``key`` ends, or ``None`` when attempts are allowed."""
    now = now or timezone.now()
    lock = (
        ThrottleLock.objects.filter(scope=scope, key=key, until__gt=now).order_by("-until").first()
    )
    return lock.until if lock is not None else None
