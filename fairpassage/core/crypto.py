"""Field-level encryption (MultiFernet, newest key first) and keyed hashes for exact search.

Keys come from settings (``FIELD_ENCRYPTION_KEYS``, ``FIELD_HASH_KEY``), which read them from
the environment. Rotation: put a new key first, run ``fairpassage rotate-keys``, then drop the
old key (docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _current() -> MultiFernet:
    return _multifernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with the configured FIELD_ENCRYPTION_KEYS: "
            "a key that encrypted it is missing."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the newest key (it must be readable by one of the keys)."""
    return _current().rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value, separated by purpose; hex digest.

    Used to find a record by an exact value (a passport or phone number) without storing or
    scanning the value in clear.
    """
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def normalise_phone(raw: str) -> str:
    """Digits of a phone number with its country code: ``+84 90-123 4567`` -> ``84901234567``.

    ``00`` international prefixes are dropped; a national number (leading 0) is kept as typed,
    so ``090…`` and ``+8490…`` are different keys unless the caller adds the country code.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    return digits


def phone_hash(raw: str) -> str:
    return keyed_hash(normalise_phone(raw), purpose="phone")


def token_digest(plaintext: str) -> str:
    """SHA-256 of an API token: tokens are random, so an unkeyed digest is enough."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()
