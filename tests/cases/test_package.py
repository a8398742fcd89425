"""Referral packages between installations: round trip, tampering, wrong recipient, unknown
sender, and generated payloads."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from fairpassage.cases import package
from fairpassage.cases.package import PackageError, keypair_generate

HANOI = keypair_generate()
OSAKA = keypair_generate()
ELSEWHERE = keypair_generate()

SENDER = {"installation": "vn-hanoi-1", "organisation": "trung-tam-ho-tro", "name": "Trung tâm"}
RECIPIENT = {"installation": "jp-osaka-1", "organisation": "osaka-support"}
TRUSTED = {"vn-hanoi-1": HANOI.signing_public_key}

PAYLOAD: dict[str, Any] = {
    "case": {"category": "unpaid_wages", "stage": "in_japan", "summary": "Chưa trả lương 3 tháng"},
    "worker": {"name": "Nguyễn Văn A", "phone": "+84 90 123 4567"},
    "consent": {"purpose": "referral", "parts": ["case", "worker"]},
    "amounts": [1, 2.5, -3, None, True],
}


def _export(payload: dict[str, Any] | None = None, **overrides: Any) -> bytes:
    kwargs: dict[str, Any] = {
        "sender_signing_key": HANOI.signing_private_key,
        "recipient_public_key": OSAKA.encryption_public_key,
        "sender": SENDER,
        "recipient": RECIPIENT,
    }
    kwargs.update(overrides)
    return package.package_export(PAYLOAD if payload is None else payload, **kwargs)


def _import(data: bytes, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    kwargs: dict[str, Any] = {
        "recipient_private_key": OSAKA.encryption_private_key,
        "trusted_sender_keys": TRUSTED,
    }
    kwargs.update(overrides)
    return package.package_import(data, **kwargs)


GOOD = _export()


def test_round_trip() -> None:
    meta, payload = _import(GOOD)
    assert payload == PAYLOAD
    assert meta["sender"]["installation"] == "vn-hanoi-1"
    assert meta["sender"]["name"] == "Trung tâm"
    assert meta["recipient"]["organisation"] == "osaka-support"
    assert meta["version"] == 1
    assert meta["created_at"].endswith("Z")


def test_envelope_shape_and_nothing_personal_in_clear() -> None:
    envelope = json.loads(GOOD)
    assert set(envelope) == package.FIELDS
    assert envelope["format"] == "fairpassage-referral"
    assert envelope["key"]["algorithm"] == "X25519-HKDF-SHA256-A256GCM"
    for secret in ("Nguyễn", "Nguy\\u1ec5n", "4567", "lương", "unpaid_wages"):
        assert secret not in GOOD.decode("utf-8")
    assert package.canonical_json(envelope) == GOOD


def test_two_exports_differ() -> None:
    assert _export() != _export()


def test_keys_are_base64_of_32_bytes() -> None:
    for value in (HANOI.signing_private_key, HANOI.signing_public_key,
                  HANOI.encryption_private_key, HANOI.encryption_public_key):  # fmt: skip
        assert len(base64.b64decode(value, validate=True)) == 32


@pytest.mark.parametrize("mask", [0x01, 0x20, 0x80])
def test_every_single_byte_change_is_refused(mask: int) -> None:
    accepted = []
    for index in range(len(GOOD)):
        tampered = bytearray(GOOD)
        tampered[index] ^= mask
        try:
            _import(bytes(tampered))
        except PackageError:
            continue
        accepted.append(index)
    assert accepted == []


def test_the_refusal_names_the_part_changed() -> None:
    envelope = json.loads(GOOD)
    fields = {}
    for name in ("ciphertext", "signature", "created_at"):
        changed = dict(envelope)
        value = changed[name]
        changed[name] = ("B" if value[0] == "A" else "A") + value[1:]
        with pytest.raises(PackageError) as excinfo:
            _import(package.canonical_json(changed))
        fields[name] = excinfo.value.field
    assert fields == {
        "ciphertext": "signature",
        "signature": "signature",
        "created_at": "signature",
    }


def test_ciphertext_changed_and_re_signed_by_the_sender_is_still_refused() -> None:
    """A trusted sender cannot make the payload pass with a header it did not encrypt under."""
    envelope = json.loads(GOOD)
    raw = bytearray(base64.b64decode(envelope["ciphertext"]))
    raw[0] ^= 1
    envelope["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    signing = Ed25519PrivateKey.from_private_bytes(base64.b64decode(HANOI.signing_private_key))
    unsigned = {k: v for k, v in envelope.items() if k != "signature"}
    envelope["signature"] = base64.b64encode(
        signing.sign(package.canonical_json(unsigned))
    ).decode()
    with pytest.raises(PackageError) as excinfo:
        _import(package.canonical_json(envelope))
    assert excinfo.value.field == "ciphertext"


def test_wrong_recipient_is_refused() -> None:
    with pytest.raises(PackageError) as excinfo:
        _import(GOOD, recipient_private_key=ELSEWHERE.encryption_private_key)
    assert excinfo.value.field == "recipient"


def test_unknown_sender_is_refused() -> None:
    with pytest.raises(PackageError) as excinfo:
        _import(GOOD, trusted_sender_keys={"jp-tokyo-1": HANOI.signing_public_key})
    assert excinfo.value.field == "sender"


def test_sender_with_another_key_is_refused() -> None:
    forged = _export(sender_signing_key=ELSEWHERE.signing_private_key)
    with pytest.raises(PackageError) as excinfo:
        _import(forged)
    assert excinfo.value.field == "signature"
    # During a key change both keys are trusted.
    _import(forged, trusted_sender_keys={"vn-hanoi-1": [HANOI.signing_public_key,
                                                      ELSEWHERE.signing_public_key]})  # fmt: skip


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b"", "format"),
        (b"not json", "format"),
        (b"\xff\xfe", "format"),
        (b"[]", "format"),
        (b'{"format": "something-else", "version": 1}', "format"),
        (b'{"format": "fairpassage-referral", "version": 2}', "version"),
        (b'{"format": "fairpassage-referral", "version": "1"}', "version"),
        (b'{"format": "fairpassage-referral", "version": true}', "version"),
        (b'{"format": "fairpassage-referral", "version": 1}', "format"),
    ],
)
def test_malformed_packages_are_refused(data: bytes, field: str) -> None:
    with pytest.raises(PackageError) as excinfo:
        _import(data)
    assert excinfo.value.field == field
    assert excinfo.value.status == 422


def test_future_version_is_refused_even_when_signed() -> None:
    envelope = json.loads(GOOD)
    envelope["version"] = 2
    with pytest.raises(PackageError) as excinfo:
        _import(package.canonical_json(envelope))
    assert excinfo.value.field == "version"


def test_an_extra_part_is_refused() -> None:
    envelope = json.loads(GOOD)
    envelope["note"] = "hello"
    with pytest.raises(PackageError) as excinfo:
        _import(package.canonical_json(envelope))
    assert excinfo.value.field == "format"


@pytest.mark.parametrize(
    ("party", "field"),
    [({"installation": "x"}, "sender"), ({"installation": "x", "organisation": 3}, "sender")],
)
def test_export_needs_installation_and_organisation(party: dict[str, Any], field: str) -> None:
    with pytest.raises(PackageError) as excinfo:
        _export(sender=party)
    assert excinfo.value.field == field


def test_export_refuses_values_json_cannot_hold() -> None:
    with pytest.raises(PackageError) as excinfo:
        _export({"amount": float("nan")})
    assert excinfo.value.field == "payload"


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


@given(payload=st.dictionaries(st.text(max_size=20), JSON, max_size=8))
@settings(max_examples=150, deadline=None)
def test_generated_payloads_round_trip(payload: dict[str, Any]) -> None:
    _meta, imported = _import(_export(payload))
    assert imported == payload


def test_a_second_spelling_of_the_same_signature_is_refused() -> None:
    """Base64 has spare bits at the end; setting one decodes to the same signature bytes."""
    envelope = json.loads(GOOD)
    text = envelope["signature"]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    data = text.rstrip("=")
    last = alphabet.index(data[-1])
    envelope["signature"] = data[:-1] + alphabet[last | 1] + "=" * (len(text) - len(data))
    assert base64.b64decode(envelope["signature"]) == base64.b64decode(text)
    with pytest.raises(PackageError) as excinfo:
        _import(package.canonical_json(envelope))
    assert excinfo.value.field == "signature"
