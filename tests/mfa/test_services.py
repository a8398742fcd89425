"""Enrolment, recovery codes, verification, reset and throttling, through the services."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone, translation

from fairpassage.core.errors import Conflict, InvalidInput
from fairpassage.core.models import AuditEvent, User
from fairpassage.mfa import selectors, services, totp
from fairpassage.mfa.models import Device, RecoveryCode, ThrottleScope
from tests.factories import UserFactory
from tests.mfa.conftest import enrol, next_code


@pytest.mark.django_db
def test_secret_is_encrypted_at_rest_and_codes_are_hashed() -> None:
    user = UserFactory.create()
    _key, codes = enrol(user)
    device = Device.objects.get(user=user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM mfa_device WHERE id = %s", [device.pk])
        raw = cursor.fetchone()[0]
        cursor.execute("SELECT code_hash FROM mfa_recoverycode")
        hashes = [row[0] for row in cursor.fetchall()]
    assert device.secret not in raw
    assert len(codes) == len(set(codes)) == 10
    assert all(code not in hashes and code.replace("-", "") not in hashes for code in codes)


@pytest.mark.django_db
def test_confirmation_needs_a_right_code_and_happens_once() -> None:
    user = UserFactory.create()
    device = services.device_begin(actor=user, user=user)
    assert services.device_begin(actor=user, user=user).pk == device.pk  # same secret on reload
    with pytest.raises(InvalidInput) as excinfo:
        services.device_confirm(actor=user, user=user, code="000000", unix_time=59)
    assert excinfo.value.field == "code"
    assert selectors.device_of(user=user) is None
    enrol_key = totp.secret_bytes(device.secret)
    services.device_confirm(actor=user, user=user, code=totp.totp(enrol_key, time.time()))
    assert selectors.device_of(user=user) is not None
    with pytest.raises(Conflict):
        services.device_begin(actor=user, user=user)


@pytest.mark.django_db
def test_a_code_works_once() -> None:
    user = UserFactory.create()
    key, _codes = enrol(user)
    code = next_code(key)
    services.second_factor_check(user=user, code=code)
    with pytest.raises(InvalidInput):
        services.second_factor_check(user=user, code=code)
    # The code the device was confirmed with cannot be used again either.
    with pytest.raises(InvalidInput):
        services.second_factor_check(user=user, code=totp.totp(key, time.time()))


@pytest.mark.django_db
def test_recovery_codes_are_single_use_and_case_insensitive() -> None:
    user = UserFactory.create()
    _key, codes = enrol(user)
    services.second_factor_check(user=user, code=codes[0].lower().replace("-", " "))
    with pytest.raises(InvalidInput):
        services.second_factor_check(user=user, code=codes[0])
    services.second_factor_check(user=user, code=codes[1])
    device = Device.objects.get(user=user)
    assert selectors.recovery_codes_remaining(device=device) == 8
    event = AuditEvent.objects.filter(action="mfa.verify").first()
    assert event is not None
    assert event.data == {"method": "recovery", "recovery_codes_left": 8}


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones() -> None:
    user = UserFactory.create()
    _key, old = enrol(user)
    device = Device.objects.get(user=user)
    new = services.recovery_codes_generate(actor=user, device=device)
    assert RecoveryCode.objects.filter(device=device).count() == 10
    with pytest.raises(InvalidInput):
        services.second_factor_check(user=user, code=old[2])
    services.second_factor_check(user=user, code=new[2])


@pytest.mark.django_db
def test_reset_removes_the_device_and_is_audited() -> None:
    admin = UserFactory.create(is_staff=True)
    user = UserFactory.create()
    enrol(user)
    assert services.device_reset(actor=admin, user=user) is True
    assert selectors.device_of(user=user) is None
    assert not RecoveryCode.objects.exists()
    event = AuditEvent.objects.filter(action="mfa.reset").get()
    assert (event.actor, event.object_id) == (admin, str(user.pk))
    assert services.device_reset(actor=admin, user=user) is False


@pytest.mark.django_db
def test_check_without_a_device_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        services.second_factor_check(user=UserFactory.create(), code="123456")


@pytest.mark.django_db
def test_five_wrong_codes_lock_the_second_factor() -> None:
    user = UserFactory.create()
    key, _codes = enrol(user)
    now = timezone.now()
    for _ in range(5):
        with pytest.raises(InvalidInput):
            services.second_factor_check(user=user, code="000000", now=now)
    with pytest.raises(services.TooManyAttempts) as excinfo:
        services.second_factor_check(user=user, code=next_code(key), now=now)
    assert excinfo.value.status == 429
    assert excinfo.value.params == {"minutes": 15}
    later = now + dt.timedelta(minutes=15, seconds=1)
    services.second_factor_check(user=user, code=next_code(key), now=later)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("mfa.verify_failed") == 5
    assert actions.count("mfa.verify_refused") == 1


@pytest.mark.django_db
def test_failures_outside_the_window_do_not_count() -> None:
    key = services.throttle_key("username", "someone")
    scope = ThrottleScope.LOGIN_USERNAME.value
    start = timezone.now()
    for minute in range(0, 80, 16):  # five failures, never two within 15 minutes
        at = start + dt.timedelta(minutes=minute)
        assert services.throttle_failure_record(scope=scope, key=key, now=at) is None
    at = start + dt.timedelta(minutes=100)
    for _ in range(4):
        assert services.throttle_failure_record(scope=scope, key=key, now=at) is None
    until = services.throttle_failure_record(scope=scope, key=key, now=at)
    assert until == at + dt.timedelta(minutes=15)
    assert selectors.throttle_locked_until(scope=scope, key=key, now=at) == until
    assert selectors.throttle_locked_until(scope=scope, key=key, now=until) is None


@pytest.mark.django_db
def test_throttle_keys_do_not_hold_the_name_or_address() -> None:
    key = services.throttle_key("ip", "203.0.113.7")
    assert "203" not in key
    assert key == services.throttle_key("ip", " 203.0.113.7 ")
    assert key != services.throttle_key("username", "203.0.113.7")


@pytest.mark.django_db
@pytest.mark.usefixtures("organisation")
def test_who_needs_a_second_factor(member: User, analyst: User, admin: User, staff: User) -> None:
    assert selectors.second_factor_needed(member)
    assert selectors.second_factor_needed(admin)
    assert selectors.second_factor_needed(staff)
    # every account since issue 13 (item 5): every signed-in page needs the second factor
    assert selectors.second_factor_needed(analyst)
    assert selectors.second_factor_needed(UserFactory.create())
    assert not selectors.second_factor_needed(AnonymousUser())


@pytest.mark.django_db
def test_a_recovery_code_made_only_of_digits_still_works() -> None:
    user = UserFactory.create()
    enrol(user)
    device = Device.objects.get(user=user)
    RecoveryCode.objects.create(device=device, code_hash=services._recovery_hash("23456-78923"))
    services.second_factor_check(user=user, code="2345678923")


def test_lock_message_counts_the_minutes_left() -> None:
    now = timezone.now()
    one = services.TooManyAttempts(until=now + dt.timedelta(seconds=30), now=now)
    many = services.TooManyAttempts(until=now + dt.timedelta(minutes=14, seconds=1), now=now)
    with translation.override("en"):
        assert one.rendered_message().endswith("in 1 minute.")
        assert many.rendered_message().endswith("in 15 minutes.")
