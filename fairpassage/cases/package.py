"""Referral packages between installations: a signed, encrypted JSON envelope.

One installation exports a referral for an organisation served by another installation; the file
travels by any channel (e-mail, a USB stick) and is imported on the other side. Only the receiving
installation can read it, and it can tell which installation sent it and that nothing changed on
the way. The format is documented in ``docs/referral-package.md``.

- Signing: Ed25519; the sender signs the canonical JSON of every field except ``signature``.
- Key agreement: X25519 between a fresh (ephemeral) sender key and the recipient's key, then
  HKDF-SHA256, gives a key-encryption key that wraps a random content key (AES-256-GCM).
- Payload: canonical JSON encrypted with AES-256-GCM under the content key; the envelope header
  is its associated data.

Keys are passed in as arguments (base64 of their 32 raw bytes); this module reads no settings and
no models, so both sides of a test can run in one process.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.translation import gettext_lazy as _

from fairpassage.core.errors import InvalidInput

FORMAT = "fairpassage-referral"
VERSION = 1
KEY_ALGORITHM = "X25519-HKDF-SHA256-A256GCM"
CIPHER_ALGORITHM = "A256GCM"
SIGNATURE_ALGORITHM = "Ed25519"
HKDF_INFO = b"fairpassage-referral/1 key wrap"
NONCE_BYTES = 12
MAX_PACKAGE_BYTES = 20 * 1024 * 1024

FIELDS = {
    "format", "version", "id", "created_at", "sender", "recipient",
    "key", "cipher", "ciphertext", "signature",
}  # fmt: skip
KEY_FIELDS = {"algorithm", "ephemeral_public_key", "nonce", "wrapped_key"}
CIPHER_FIELDS = {"algorithm", "nonce"}
PARTY_REQUIRED = ("installation", "organisation")


class PackageError(InvalidInput):
    """A package that cannot be accepted; ``field`` names the part at fault."""

    code = "package_invalid"
    default_message = _("This referral package cannot be read.")


@dataclass(frozen=True)
class InstallationKeys:
    """An installation's two key pairs, each key as base64 of its 32 raw bytes.

    The public halves are given to the other installations; the private halves stay secret.
    """

    signing_private_key: str
    signing_public_key: str
    encryption_private_key: str
    encryption_public_key: str


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any, *, field: str) -> bytes:
    """Strict base64: the canonical spelling only, so no two texts decode to the same bytes."""
    if not isinstance(text, str):
        raise PackageError(_("A value that should be base64 text is not text."), field=field)
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise PackageError(_("A value is not valid base64."), field=field) from exc
    if _b64(raw) != text:
        raise PackageError(_("A value is not valid base64."), field=field)
    return raw


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: one byte string for one value, on both sides."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def key_id(public_key: str) -> str:
    """A short fingerprint of a public key (first 16 bytes of its SHA-256, base64)."""
    return _b64(hashlib.sha256(_unb64(public_key, field="key")).digest()[:16])


def keypair_generate() -> InstallationKeys:
    """New signing (Ed25519) and encryption (X25519) key pairs for an installation."""
    raw = serialization.Encoding.Raw
    signing = Ed25519PrivateKey.generate()
    encryption = X25519PrivateKey.generate()
    return InstallationKeys(
        signing_private_key=_b64(
            signing.private_bytes(
                raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
        ),
        signing_public_key=_b64(
            signing.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
        ),
        encryption_private_key=_b64(
            encryption.private_bytes(
                raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
        ),
        encryption_public_key=_b64(
            encryption.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
        ),
    )


def _raw_public(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _key_from(text: str, loader: Any, *, field: str) -> Any:
    raw = _unb64(text, field=field)
    try:
        return loader(raw)
    except ValueError as exc:
        raise PackageError(_("A key has the wrong length."), field=field) from exc


def _kek(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=HKDF_INFO,
    ).derive(shared)


def _party(value: Any, *, field: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise PackageError(_("Sender and recipient are maps of text to text."), field=field)
    for name in PARTY_REQUIRED:
        if not value.get(name):
            raise PackageError(
                _("The %(name)s of the sender or recipient is missing."),
                field=field,
                params={"name": name},
            )
    return dict(value)


def _wrap_aad(envelope: Mapping[str, Any]) -> bytes:
    """The header the content key is bound to: everything but the key, the data, the signature."""
    return canonical_json(
        {k: v for k, v in envelope.items() if k not in {"key", "ciphertext", "signature"}}
    )


def _payload_aad(envelope: Mapping[str, Any]) -> bytes:
    return canonical_json(
        {k: v for k, v in envelope.items() if k not in {"ciphertext", "signature"}}
    )


def _signed_part(envelope: Mapping[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in envelope.items() if k != "signature"})


def package_export(
    payload: Mapping[str, Any],
    *,
    sender_signing_key: str,
    recipient_public_key: str,
    sender: Mapping[str, str],
    recipient: Mapping[str, str],
    created_at: dt.datetime | None = None,
) -> bytes:
    """Encrypt ``payload`` for the recipient installation and sign it; the package's bytes.

    ``sender`` and ``recipient`` hold at least ``installation`` (an installation's stable id) and
    ``organisation`` (the organisation's id there); other text fields travel as they are.
    """
    try:
        plaintext = canonical_json(dict(payload))
    except (TypeError, ValueError) as exc:
        raise PackageError(
            _("The referral holds a value that cannot be written as JSON."), field="payload"
        ) from exc
    signing = _key_from(sender_signing_key, Ed25519PrivateKey.from_private_bytes, field="key")
    recipient_key = _key_from(
        recipient_public_key, X25519PublicKey.from_public_bytes, field="recipient"
    )
    sender_party = _party(sender, field="sender")
    sender_party["key_id"] = key_id(_b64(_raw_public(signing.public_key())))
    recipient_party = _party(recipient, field="recipient")
    recipient_party["key_id"] = key_id(recipient_public_key)
    when = (created_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "id": str(uuid.uuid4()),
        "created_at": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "sender": sender_party,
        "recipient": recipient_party,
        "cipher": {"algorithm": CIPHER_ALGORITHM, "nonce": _b64(os.urandom(NONCE_BYTES))},
    }
    content_key = AESGCM.generate_key(bit_length=256)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    kek = _kek(ephemeral.exchange(recipient_key), ephemeral_public, _raw_public(recipient_key))
    wrap_nonce = os.urandom(NONCE_BYTES)
    envelope["key"] = {
        "algorithm": KEY_ALGORITHM,
        "ephemeral_public_key": _b64(ephemeral_public),
        "nonce": _b64(wrap_nonce),
        "wrapped_key": _b64(AESGCM(kek).encrypt(wrap_nonce, content_key, _wrap_aad(envelope))),
    }
    nonce = _unb64(envelope["cipher"]["nonce"], field="cipher")
    envelope["ciphertext"] = _b64(
        AESGCM(content_key).encrypt(nonce, plaintext, _payload_aad(envelope))
    )
    envelope["signature"] = _b64(signing.sign(_signed_part(envelope)))
    return canonical_json(envelope)


def _parse(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError(_("The package is too large."), field="format")
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageError(
            _("This is not a referral package (the file is not valid JSON)."), field="format"
        ) from exc
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise PackageError(_("This is not a referral package."), field="format")
    version = envelope.get("version")
    if type(version) is not int or version != VERSION:
        raise PackageError(
            _("This package has a version this installation cannot read."), field="version"
        )
    if set(envelope) != FIELDS:
        raise PackageError(_("The package has missing or unknown parts."), field="format")
    for name, fields in (("key", KEY_FIELDS), ("cipher", CIPHER_FIELDS)):
        part = envelope[name]
        if not isinstance(part, dict) or set(part) != fields:
            raise PackageError(_("The package has missing or unknown parts."), field=name)
    if envelope["key"]["algorithm"] != KEY_ALGORITHM:
        raise PackageError(_("The package uses an unknown algorithm."), field="key")
    if envelope["cipher"]["algorithm"] != CIPHER_ALGORITHM:
        raise PackageError(_("The package uses an unknown algorithm."), field="cipher")
    for name in ("id", "created_at"):
        if not isinstance(envelope[name], str):
            raise PackageError(_("The package has missing or unknown parts."), field=name)
    return envelope


def _candidate_keys(
    trusted_sender_keys: Mapping[str, str | Iterable[str]], installation: str
) -> list[str]:
    keys = trusted_sender_keys.get(installation)
    if keys is None:
        return []
    return [keys] if isinstance(keys, str) else list(keys)


def package_import(
    data: bytes,
    *,
    recipient_private_key: str,
    trusted_sender_keys: Mapping[str, str | Iterable[str]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check and open a package: ``(envelope metadata, payload)``, or :class:`PackageError`.

    ``trusted_sender_keys`` maps each trusted installation's id to its signing public key (or
    to several, during a key change). Nothing is decrypted before the signature is verified.
    """
    envelope = _parse(data)
    sender = _party(envelope["sender"], field="sender")
    recipient = _party(envelope["recipient"], field="recipient")
    candidates = _candidate_keys(trusted_sender_keys, sender["installation"])
    if not candidates:
        raise PackageError(
            _("The package comes from an installation that is not trusted here."),
            field="sender",
        )
    signature = _unb64(envelope["signature"], field="signature")
    signed = _signed_part(envelope)
    for candidate in candidates:
        public = _key_from(candidate, Ed25519PublicKey.from_public_bytes, field="sender")
        try:
            public.verify(signature, signed)
        except InvalidSignature:
            continue
        break
    else:
        raise PackageError(
            _("The package's signature does not match: it was changed or not sent by %(name)s."),
            field="signature",
            params={"name": sender["installation"]},
        )
    own = _key_from(recipient_private_key, X25519PrivateKey.from_private_bytes, field="recipient")
    own_public = _raw_public(own.public_key())
    if recipient.get("key_id") != key_id(_b64(own_public)):
        raise PackageError(
            _("This package is addressed to another installation."), field="recipient"
        )
    key_part = envelope["key"]
    ephemeral_raw = _unb64(key_part["ephemeral_public_key"], field="key")
    ephemeral = _key_from(
        key_part["ephemeral_public_key"], X25519PublicKey.from_public_bytes, field="key"
    )
    try:
        kek = _kek(own.exchange(ephemeral), ephemeral_raw, own_public)
        content_key = AESGCM(kek).decrypt(
            _unb64(key_part["nonce"], field="key"),
            _unb64(key_part["wrapped_key"], field="key"),
            _wrap_aad(envelope),
        )
    except (InvalidTag, ValueError) as exc:
        raise PackageError(_("The package's key cannot be opened here."), field="key") from exc
    try:
        plaintext = AESGCM(content_key).decrypt(
            _unb64(envelope["cipher"]["nonce"], field="cipher"),
            _unb64(envelope["ciphertext"], field="ciphertext"),
            _payload_aad(envelope),
        )
        payload = json.loads(plaintext.decode("utf-8"))
    except (InvalidTag, ValueError) as exc:
        raise PackageError(_("The package's contents cannot be read."), field="ciphertext") from exc
    if not isinstance(payload, dict):
        raise PackageError(_("The package's contents cannot be read."), field="ciphertext")
    meta = {
        "id": envelope["id"],
        "created_at": envelope["created_at"],
        "sender": sender,
        "recipient": recipient,
        "version": envelope["version"],
    }
    return meta, payload
