"""Time-based one-time passwords (RFC 6238 over the HOTP of RFC 4226), standard library only.

Codes change every 30 seconds and have 6 digits; a code is accepted one step before or after the
server's clock (a phone a little fast or slow), and never for a step already used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps accepted on each side of the current one
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends for HMAC-SHA1

Digest = Callable[..., Any]


def secret_generate() -> str:
    """A new random secret, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret_b32: str) -> bytes:
    text = secret_b32.strip().replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def step_at(unix_time: float, *, step_seconds: int = STEP_SECONDS) -> int:
    return int(unix_time // step_seconds)


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: Digest = hashlib.sha1) -> str:
    """RFC 4226: HMAC of the 8-byte counter, dynamic truncation, ``digits`` decimal digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def totp(
    key: bytes,
    unix_time: float,
    *,
    digits: int = DIGITS,
    digest: Digest = hashlib.sha1,
    step_seconds: int = STEP_SECONDS,
) -> str:
    """RFC 6238: the HOTP of the number of ``step_seconds`` steps since the Unix epoch."""
    return hotp(key, step_at(unix_time, step_seconds=step_seconds), digits=digits, digest=digest)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")


def verify(
    key: bytes,
    code: str,
    *,
    unix_time: float | None = None,
    last_used_step: int | None = None,
    window: int = WINDOW,
) -> int | None:
    """The step ``code`` belongs to, or ``None`` when it is wrong, stale or already used.

    Only steps after ``last_used_step`` are tried, so a code cannot be replayed, nor an older code
    used once a newer one has been.
    """
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    now = time.time() if unix_time is None else unix_time
    current = step_at(now)
    for step in range(current - window, current + window + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def otpauth_uri(*, secret_b32: str, account: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URI that authenticator apps read (as text or a QR code)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": secret_b32,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
