"""Personal data is encrypted at rest, searchable only by keyed hash, and survives key rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from fairpassage.cli import main as cli_main
from fairpassage.core import crypto, selectors, services
from fairpassage.core.models import AuditEvent, Profile, User
from tests.factories import UserFactory

PHONE = "+84 912 345 678"
PHONE_DIGITS = "84912345678"
NAME = "Nguyễn Thị Hoa"


def raw_profile_rows() -> list[tuple[str, ...]]:
    """Every column of the profile table as the database stores it."""
    table = connection.ops.quote_name(Profile._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table name
        return [tuple(str(v) for v in row) for row in cursor.fetchall()]


def dump_text() -> str:
    return "\n".join("|".join(row) for row in raw_profile_rows())


@pytest.mark.django_db
def test_phone_and_name_leave_no_trace_in_the_raw_table() -> None:
    user = UserFactory.create()
    services.profile_update(actor=None, user=user, phone=PHONE, display_name=NAME)

    dump = dump_text()
    assert dump, "the profile row was not written"
    for trace in (PHONE, PHONE_DIGITS, "912345678", "912 345 678", NAME, "Hoa"):
        assert trace not in dump
    # ... while the model reads the values back in clear.
    profile = Profile.objects.get(user=user)
    assert profile.phone == PHONE
    assert profile.display_name == NAME


@pytest.mark.django_db
def test_same_value_encrypts_differently_and_hash_finds_it() -> None:
    first, second = UserFactory.create(), UserFactory.create()
    services.profile_update(actor=None, user=first, phone=PHONE)
    services.profile_update(actor=None, user=second, phone="0987 000 111")
    stored = Profile.objects.values_list("phone_hash", flat=True)
    assert len(set(stored)) == 2
    assert selectors.profile_find_by_phone(phone="+84-912-345-678") == first.profile
    assert selectors.profile_find_by_phone(phone="0084912345678") == first.profile
    assert selectors.profile_find_by_phone(phone="+84 912 345 679") is None
    assert PHONE_DIGITS not in "".join(stored)


@pytest.mark.django_db
def test_encrypted_field_refuses_plain_text_lookups() -> None:
    with pytest.raises(FieldError, match="Unsupported lookup"):
        Profile.objects.filter(phone=PHONE).exists()
    with pytest.raises(FieldError, match="Unsupported lookup"):
        Profile.objects.filter(phone__icontains="912").exists()
    assert not Profile.objects.filter(phone__isnull=True).exists()


@pytest.mark.django_db
def test_audit_names_changed_fields_not_their_content() -> None:
    user = UserFactory.create()
    services.profile_update(actor=user, user=user, phone=PHONE)
    event = AuditEvent.objects.get(action="profile.update")
    assert event.data == {"fields": ["phone"]}
    assert PHONE_DIGITS not in str(event.data) + event.reason


@pytest.mark.django_db
def test_rotate_keys_reencrypts_so_the_old_key_can_go(capsys: pytest.CaptureFixture[str]) -> None:
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]):
        user = UserFactory.create()
        services.profile_update(actor=None, user=user, phone=PHONE, display_name=NAME)
        before = raw_profile_rows()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        assert cli_main(["--lang", "en", "rotate-keys"]) == 0
    assert "re-encrypted" in capsys.readouterr().out
    after = raw_profile_rows()
    assert after != before

    # Only the new key remains: the record still reads.
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        profile = Profile.objects.get(user=user)
        assert (profile.phone, profile.display_name) == (PHONE, NAME)
    # The old key alone can no longer read it.
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]), pytest.raises(ImproperlyConfigured):
        Profile.objects.get(user=user)
    assert AuditEvent.objects.filter(action="encryption.rotate").exists()


@pytest.mark.django_db
def test_rotation_is_idempotent_and_empty_values_stay_empty() -> None:
    user: User = UserFactory.create()
    services.profile_update(actor=None, user=user, phone="")
    services.encrypted_fields_rotate(actor=None)
    services.encrypted_fields_rotate(actor=None)
    assert Profile.objects.get(user=user).phone == ""


def test_phone_normalisation() -> None:
    assert crypto.normalise_phone("+84 (0)90-123 4567") == "840901234567"
    assert crypto.normalise_phone("０９０１２３４５６７") == "0901234567"  # full-width digits
    assert crypto.normalise_phone("0084 90 123 4567") == "84901234567"
