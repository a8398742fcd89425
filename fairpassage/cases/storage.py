"""Attachments: type sniffed from the first bytes, size limited, encrypted, stored privately.

Files go through the ``attachments`` storage (``STORAGES`` in settings: the folder
``CASES_ATTACHMENT_DIR``, default ``var/attachments``, or S3-compatible object storage; see
docs/storage.md), never under the static or media URL, under a random name; the bytes are
encrypted with the field keys before the storage sees them. They are served only by the download
view, after the case access check.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.translation import gettext_lazy as _

from fairpassage.core import crypto
from fairpassage.core.errors import InvalidInput
from fairpassage.core.files import private

MAX_BYTES = 5 * 1024 * 1024
# Content types recognised by their magic bytes; the file name and the browser's claim are ignored.
SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"WEBP", 8, "image/webp", "webp"),
)


def attachment_dir() -> Path:
    """The folder of the attachments when they are stored on the filesystem."""
    return Path(settings.CASES_ATTACHMENT_DIR)


def storage() -> Storage:
    return private("attachments")


def sniff(content: bytes) -> tuple[str, str]:
    """``(content_type, extension)`` from the first bytes; refuses anything else."""
    for magic, offset, content_type, extension in SIGNATURES:
        if content[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and not content.startswith(b"RIFF"):
                continue
            return content_type, extension
    raise InvalidInput(
        _("Only PDF, JPEG, PNG or WebP files can be attached."), field="file", code="file_type"
    )


def check_size(size: int) -> None:
    if size <= 0:
        raise InvalidInput(_("The file is empty."), field="file")
    if size > MAX_BYTES:
        raise InvalidInput(
            _("The file is larger than %(mb)d MB."),
            field="file",
            code="file_size",
            params={"mb": MAX_BYTES // (1024 * 1024)},
        )


@dataclass(frozen=True)
class Prepared:
    """A file checked and sealed but not yet written: ``write`` stores it under ``name``."""

    name: str
    content_type: str
    sha256: str
    sealed: bytes


def prepare(content: bytes) -> Prepared:
    """Check ``content`` (size, type by its first bytes) and encrypt it; nothing is written."""
    check_size(len(content))
    content_type, extension = sniff(content)
    return Prepared(
        name=f"{secrets.token_hex(16)}.{extension}.enc",
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        sealed=crypto.encrypt(base64.b64encode(content).decode("ascii")).encode("ascii"),
    )


def write(prepared: Prepared) -> str:
    """Write a prepared file: call it last, once every other check has passed."""
    return storage().save(prepared.name, ContentFile(prepared.sealed))


def discard(name: str) -> None:
    """Remove a written file whose record was rolled back."""
    store = storage()
    if store.exists(name):
        store.delete(name)


def save(content: bytes) -> tuple[str, str, str]:
    """Check, encrypt and store ``content`` at once; ``(stored_name, content_type, sha256)``."""
    prepared = prepare(content)
    return write(prepared), prepared.content_type, prepared.sha256


def read(stored_name: str) -> bytes:
    with storage().open(stored_name, "rb") as handle:
        sealed = handle.read().decode("ascii")
    return base64.b64decode(crypto.decrypt(sealed))
