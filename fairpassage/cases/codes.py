"""Tracking codes: 100 random bits written as 20 Crockford base-32 characters in five groups.

Crockford's alphabet leaves out I, L, O and U, so a code read aloud or copied by hand survives
the usual confusions (``O``→``0``, ``I``/``L``→``1`` are mapped back on entry). A code is never
stored: only its keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from fairpassage.core import crypto

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHARS = 20  # 20 x 5 = 100 bits
BITS = CHARS * 5
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_idempotency_key() -> str:
    """A random key for one grievance form (192 bits)."""
    return secrets.token_urlsafe(24)


def code_for_key(idempotency_key: str) -> str:
    """The tracking code that belongs to a submission key: the same key, the same code.

    Derived with HMAC from the server's hash key, so it is as unpredictable as the key itself
    (the form's keys are random; the API refuses keys shorter than 16 characters).
    """
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    digest = hmac.new(key, f"tracking-code\x00{idempotency_key}".encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest(), "big") >> (256 - BITS)
    chars = []
    for _ in range(CHARS):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(reversed(chars))


def display(code: str) -> str:
    """``ABCD-EFGH-…`` for reading aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str:
    """Upper case, no spaces or hyphens, confusable letters mapped."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(CONFUSABLE)
    return cleaned


def is_well_formed(text: str) -> bool:
    code = normalise(text)
    return len(code) == CHARS and all(ch in ALPHABET for ch in code)


def tracking_hash(text: str) -> str:
    return crypto.keyed_hash(normalise(text), purpose="tracking-code")


def idempotency_hash(key: str) -> str:
    return crypto.keyed_hash(key, purpose="grievance-idempotency")
