"""Issue 13, item 6: a user name has one spelling. Names are normalised (NFKC, case folding)
when accounts are made and at sign-in, and failures count on the normalised name, so the
full-width 'ｐｒｏｄ-ｌｏｃｋ' is the locked 'prod-lock'."""

from __future__ import annotations

import pytest
from django.test import Client

from fairpassage.core.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FULL_WIDTH = "ｐｒｏｄ-ｌｏｃｋ"


@pytest.fixture(autouse=True)
def _fast(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1") -> int:
    """Each attempt may come from another address, so only the lock on the name can hold."""
    response = client.post(
        "/vi/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def test_item_06_names_are_stored_normalised() -> None:
    from fairpassage.core.models import username_normalise  # noqa: PLC0415

    assert username_normalise(FULL_WIDTH) == "prod-lock"
    assert username_normalise("  ＰＲＯＤ-Lock ") == "prod-lock"
    assert UserFactory.create(username="ＰＲＯＤ-Lock").username == "prod-lock"
    user = User.objects.create_user(username="Straße", password=PASSWORD)
    assert user.username == "strasse"


def test_item_06_lock_holds_for_every_spelling(client: Client) -> None:
    UserFactory.create(username="prod-lock")
    spellings = (FULL_WIDTH, "PROD-LOCK", "ＰＲＯＤ-ＬＯＣＫ", "Prod-Lock", "prod-lock")
    for n, spelling in enumerate(spellings):
        assert _login(client, spelling, "wrong", f"10.0.1.{n}") == 200
    for n, spelling in enumerate(("prod-lock", FULL_WIDTH, "PROD-LOCK", "ｐｒｏｄ-lock")):
        assert _login(Client(), spelling, PASSWORD, f"10.0.2.{n}") == 429, spelling
    assert "_auth_user_id" not in client.session


def test_item_06_any_spelling_signs_in_to_the_one_account(client: Client) -> None:
    user = UserFactory.create(username="prod-lock")
    assert _login(client, "ＰＲＯＤ-Lock", PASSWORD) == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_item_06_second_account_under_another_spelling_is_refused() -> None:
    UserFactory.create(username="prod-lock")
    with pytest.raises(Exception):  # the database's unique constraint  # noqa: B017
        UserFactory.create(username=FULL_WIDTH)
