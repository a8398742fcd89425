"""Writes of the second-factor app: enrolment, verification, recovery codes, throttling, audit.

Failed attempts are recorded outside the transaction of the check they belong to, so that the
error raised for a wrong code never rolls the record of the failure back.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from fairpassage.core import crypto
from fairpassage.core.errors import ApplicationError, Conflict, InvalidInput
from fairpassage.core.models import User, username_normalise
from fairpassage.core.services import Actor, audit_record
from fairpassage.mfa import selectors, totp
from fairpassage.mfa.models import (
    Device,
    RecoveryCode,
    ThrottleFailure,
    ThrottleLock,
    ThrottleScope,
)

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read and type
RECOVERY_LENGTH = 10


class TooManyAttempts(ApplicationError):
    code = "throttled"
    status = 429
    default_message = _("Too many failed attempts. Try again in %(minutes)d minutes.")

    def __init__(self, *, until: dt.datetime, now: dt.datetime | None = None) -> None:
        now = now or timezone.now()
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        message = ngettext_lazy(
            "Too many failed attempts. Try again in %(minutes)d minute.",
            "Too many failed attempts. Try again in %(minutes)d minutes.",
            minutes,
        )
        super().__init__(message, params={"minutes": minutes})
        self.until = until


# -- throttling ------------------------------------------------------------------------------


def throttle_key(scope: str, value: str) -> str:
    """A keyed hash: failures are counted per user name or address without storing either.

    Values are normalised as user names are (NFKC, case folding), so every spelling of one
    name counts against the same key.
    """
    return crypto.keyed_hash(username_normalise(value), purpose=f"mfa-throttle-{scope}")


def throttle_check(*, scope: str, key: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    until = selectors.throttle_locked_until(scope=scope, key=key, now=now)
    if until is not None:
        raise TooManyAttempts(until=until, now=now)


@transaction.atomic
def throttle_failure_record(
    *, scope: str, key: str, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Count one failure; lock ``key`` when the window holds enough. Returns the lock's end."""
    now = now or timezone.now()
    window_start = now - selectors.throttle_window()
    ThrottleFailure.objects.filter(scope=scope, key=key, at__lt=window_start).delete()
    ThrottleLock.objects.filter(scope=scope, key=key, until__lte=now).delete()
    ThrottleFailure.objects.create(scope=scope, key=key, at=now)
    recent = ThrottleFailure.objects.filter(scope=scope, key=key, at__gte=window_start).count()
    if recent < selectors.throttle_max_failures():
        return None
    until = now + selectors.throttle_lock_duration()
    ThrottleLock.objects.create(scope=scope, key=key, until=until)
    # The lock starts a new count: the failures that caused it are spent.
    ThrottleFailure.objects.filter(scope=scope, key=key).delete()
    return until


def throttle_clear(*, scope: str, key: str) -> None:
    ThrottleFailure.objects.filter(scope=scope, key=key).delete()


# -- password sign-in ------------------------------------------------------------------------


def _login_keys(*, username: str, ip: str) -> list[tuple[str, str]]:
    keys = [(ThrottleScope.LOGIN_IP.value, throttle_key("ip", ip or "unknown"))]
    if username.strip():
        keys.insert(0, (ThrottleScope.LOGIN_USERNAME.value, throttle_key("username", username)))
    return keys


def _ip_label(ip: str) -> str:
    """A short keyed hash of the address for the audit trail (never the address itself)."""
    return crypto.keyed_hash(ip or "unknown", purpose="audit-ip")[:16]


def _user_named(username: str) -> User | None:
    normal = username_normalise(username)
    return User.objects.filter(username=normal).first() if normal else None


def login_allowed_check(*, username: str, ip: str, now: dt.datetime | None = None) -> None:
    """Raise :class:`TooManyAttempts` (and audit the refusal) while a lock is on."""
    now = now or timezone.now()
    for scope, key in _login_keys(username=username, ip=ip):
        try:
            throttle_check(scope=scope, key=key, now=now)
        except TooManyAttempts:
            audit_record(
                actor=AnonymousUser(),
                action="auth.login_refused",
                obj=_user_named(username),
                data={"scope": scope, "ip": _ip_label(ip)},
            )
            raise


def login_failure_record(*, username: str, ip: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    locked: list[str] = []
    for scope, key in _login_keys(username=username, ip=ip):
        if throttle_failure_record(scope=scope, key=key, now=now) is not None:
            locked.append(scope)
    # The user name typed is not kept (it may be a password typed in the wrong box): only the
    # account it names, when there is one.
    audit_record(
        actor=AnonymousUser(),
        action="auth.login_failed",
        obj=_user_named(username),
        data={"ip": _ip_label(ip), "locked": locked},
    )


@transaction.atomic
def login_success_record(*, user: User, ip: str) -> None:
    throttle_clear(
        scope=ThrottleScope.LOGIN_USERNAME.value,
        key=throttle_key("username", user.get_username()),
    )
    audit_record(actor=user, action="auth.login", obj=user, data={"ip": _ip_label(ip)})


# -- enrolment -------------------------------------------------------------------------------


def _recovery_hash(code: str) -> str:
    return crypto.keyed_hash(totp.normalise_code(code).upper(), purpose="mfa-recovery")


def _recovery_code_new() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{chars[:5]}-{chars[5:]}"


@transaction.atomic
def device_begin(*, actor: Actor, user: User) -> Device:
    """The authenticator being set up: a new secret, or the one already shown."""
    if selectors.device_of(user=user) is not None:
        raise Conflict(_("An authenticator is already set up for this account."), field="code")
    device, created = Device.objects.get_or_create(
        user=user, confirmed_at__isnull=True, defaults={"secret": totp.secret_generate()}
    )
    if created:
        audit_record(actor=actor, action="mfa.enrol_begin", obj=device)
    return device


@transaction.atomic
def recovery_codes_generate(*, actor: Actor, device: Device) -> list[str]:
    """Ten new single-use codes replacing any earlier ones; the plain text is returned once."""
    RecoveryCode.objects.filter(device=device).delete()
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, code_hash=_recovery_hash(code)) for code in codes]
    )
    audit_record(actor=actor, action="mfa.recovery_codes", obj=device)
    return codes


@transaction.atomic
def device_confirm(
    *, actor: Actor, user: User, code: str, unix_time: float | None = None
) -> tuple[Device, list[str]]:
    """Confirm the authenticator with a code from it; returns the device and recovery codes."""
    device = Device.objects.select_for_update().filter(user=user).first()
    if device is None or device.is_confirmed:
        raise Conflict(_("Start the set-up again: no authenticator is waiting."), field="code")
    step = totp.verify(totp.secret_bytes(device.secret), code, unix_time=unix_time)
    if step is None:
        raise InvalidInput(
            _("This code is not right. Check the phone's clock and type the current code."),
            field="code",
        )
    device.confirmed_at = timezone.now()
    device.last_used_step = step
    device.save(update_fields=["confirmed_at", "last_used_step"])
    audit_record(actor=actor, action="mfa.enrol", obj=device)
    return device, recovery_codes_generate(actor=actor, device=device)


@transaction.atomic
def device_reset(*, actor: Actor, user: User) -> bool:
    """Remove a user's authenticator and recovery codes (lost phone). True when one existed."""
    device = Device.objects.filter(user=user).first()
    if device is None:
        return False
    audit_record(actor=actor, action="mfa.reset", obj=user, data={"device": device.pk})
    device.delete()
    return True


# -- verification ----------------------------------------------------------------------------


def _totp_accept(device: Device, code: str, unix_time: float | None) -> bool:
    step = totp.verify(
        totp.secret_bytes(device.secret),
        code,
        unix_time=unix_time,
        last_used_step=device.last_used_step,
    )
    if step is None:
        return False
    # Conditional update: two requests racing with the same code cannot both win.
    won = (
        Device.objects.filter(pk=device.pk)
        .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
        .update(last_used_step=step)
    )
    return won == 1


def _recovery_accept(device: Device, code: str) -> bool:
    used = RecoveryCode.objects.filter(
        device=device, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used == 1


def second_factor_check(
    *, user: User, code: str, unix_time: float | None = None, now: dt.datetime | None = None
) -> Device:
    """Accept a current authenticator code or an unused recovery code, or raise.

    Raises :class:`TooManyAttempts` while locked, ``InvalidInput(field="code")`` for a wrong,
    reused or stale code, ``Conflict`` when the user has no authenticator.
    """
    now = now or timezone.now()
    device = selectors.device_of(user=user)
    if device is None:
        raise Conflict(_("No authenticator is set up for this account."), field="code")
    key = throttle_key("user", str(user.pk))
    scope = ThrottleScope.SECOND_FACTOR.value
    try:
        throttle_check(scope=scope, key=key, now=now)
    except TooManyAttempts:
        audit_record(actor=user, action="mfa.verify_refused", obj=device)
        raise
    normalised = totp.normalise_code(code)
    method = "totp" if len(normalised) == totp.DIGITS and normalised.isdigit() else "recovery"
    with transaction.atomic():
        accepted = (
            _totp_accept(device, normalised, unix_time)
            if method == "totp"
            else _recovery_accept(device, normalised)
        )
        if accepted:
            throttle_clear(scope=scope, key=key)
            data: dict[str, object] = {"method": method}
            if method == "recovery":
                data["recovery_codes_left"] = selectors.recovery_codes_remaining(device=device)
            audit_record(actor=user, action="mfa.verify", obj=device, data=data)
            return device
    locked_until = throttle_failure_record(scope=scope, key=key, now=now)
    audit_record(
        actor=user,
        action="mfa.verify_failed",
        obj=device,
        data={"method": method, "locked": locked_until is not None},
    )
    raise InvalidInput(_("This code is not right, or it has already been used."), field="code")


# -- the session -----------------------------------------------------------------------------


def session_verified_mark(request: HttpRequest, device: Device) -> None:
    """Remember in the session that its user passed the second factor with ``device``."""
    request.session.cycle_key()
    request.session[selectors.SESSION_KEY] = {"user": device.user_id, "device": device.pk}


def session_verified_clear(request: HttpRequest) -> None:
    request.session.pop(selectors.SESSION_KEY, None)
