"""The one-time-password algorithm against the published test vectors, the window and replay."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from fairpassage.mfa import totp

# RFC 4226 appendix D: HOTP of the ASCII secret "12345678901234567890", counters 0 to 9.
HOTP_VECTORS = [
    "755224", "287082", "359152", "969429", "338314",
    "254676", "287922", "162583", "399871", "520489",
]  # fmt: skip

SEED_SHA1 = b"12345678901234567890"
SEED_SHA256 = (b"1234567890" * 4)[:32]
SEED_SHA512 = (b"1234567890" * 7)[:64]

# RFC 6238 appendix B: time, then the 8-digit TOTP for SHA-1, SHA-256 and SHA-512.
TOTP_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(HOTP_VECTORS)))
def test_hotp_rfc4226_vectors(counter: int, expected: str) -> None:
    assert totp.hotp(SEED_SHA1, counter) == expected


@pytest.mark.parametrize(("when", "sha1", "sha256", "sha512"), TOTP_VECTORS)
def test_totp_rfc6238_vectors(when: int, sha1: str, sha256: str, sha512: str) -> None:
    cases: list[tuple[bytes, Callable[..., Any], str]] = [
        (SEED_SHA1, hashlib.sha1, sha1),
        (SEED_SHA256, hashlib.sha256, sha256),
        (SEED_SHA512, hashlib.sha512, sha512),
    ]
    for seed, digest, expected in cases:
        assert totp.totp(seed, when, digits=8, digest=digest) == expected


def test_six_digit_codes_are_the_last_six_of_the_vectors() -> None:
    for when, sha1, _sha256, _sha512 in TOTP_VECTORS:
        assert totp.totp(SEED_SHA1, when) == sha1[-6:]


T = 1_111_111_111.0  # step 37037037, 21 s into it


def test_window_accepts_one_step_each_side_and_no_more() -> None:
    step = totp.step_at(T)
    for offset in (-1, 0, 1):
        code = totp.totp(SEED_SHA1, T + 30 * offset)
        assert totp.verify(SEED_SHA1, code, unix_time=T) == step + offset
    for offset in (-3, -2, 2, 3):
        code = totp.totp(SEED_SHA1, T + 30 * offset)
        assert totp.verify(SEED_SHA1, code, unix_time=T) is None


def test_a_used_step_and_older_ones_are_refused() -> None:
    step = totp.step_at(T)
    current = totp.totp(SEED_SHA1, T)
    assert totp.verify(SEED_SHA1, current, unix_time=T, last_used_step=None) == step
    assert totp.verify(SEED_SHA1, current, unix_time=T, last_used_step=step) is None
    previous = totp.totp(SEED_SHA1, T - 30)
    assert totp.verify(SEED_SHA1, previous, unix_time=T, last_used_step=step) is None
    following = totp.totp(SEED_SHA1, T + 30)
    assert totp.verify(SEED_SHA1, following, unix_time=T, last_used_step=step) == step + 1


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5x"])
def test_malformed_codes_are_refused(bad: str) -> None:
    assert totp.verify(SEED_SHA1, bad, unix_time=T) is None


def test_spaces_in_a_typed_code_are_ignored() -> None:
    code = totp.totp(SEED_SHA1, T)
    assert totp.verify(SEED_SHA1, f" {code[:3]} {code[3:]} ", unix_time=T) is not None


def test_secret_round_trips_through_base32_and_uri() -> None:
    secret = totp.secret_generate()
    assert len(totp.secret_bytes(secret)) == totp.SECRET_BYTES
    assert totp.secret_bytes(secret.lower()) == totp.secret_bytes(secret)
    uri = totp.otpauth_uri(secret_b32=secret, account="an.ngo", issuer="Fair Passage")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "otpauth",
        "totp",
        "/Fair%20Passage%3Aan.ngo",
    )
    query = parse_qs(parts.query)
    assert query["secret"] == [secret]
    assert query["issuer"] == ["Fair Passage"]
    assert (query["digits"], query["period"]) == (["6"], ["30"])
