"""Attachments: type sniffed from the first bytes, size limited, encrypted, stored privately.

Files live under ``CASES_ATTACHMENT_DIR`` (default ``var/attachments``), never under the static
or media URL, under a random name; the bytes are encrypted with the field keys. They are served
only by the download view, after the case access check.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.translation import gettext_lazy as _

from fairpassage.core import crypto
from fairpassage.core.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
# Content types recognised by their magic bytes; the file name and the browser's claim are ignored.
SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"WEBP", 8, "image/webp", "webp"),
)


def attachment_dir() -> Path:
    configured = getattr(settings, "CASES_ATTACHMENT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "attachments"


def storage() -> Storage:
    return FileSystemStorage(location=attachment_dir(), base_url=None)


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


def save(content: bytes) -> tuple[str, str, str]:
    """Store ``content`` encrypted; ``(stored_name, content_type, sha256)``."""
    check_size(len(content))
    content_type, extension = sniff(content)
    name = f"{secrets.token_hex(16)}.{extension}.enc"
    sealed = crypto.encrypt(base64.b64encode(content).decode("ascii"))
    stored = storage().save(name, ContentFile(sealed.encode("ascii")))
    return stored, content_type, hashlib.sha256(content).hexdigest()


def read(stored_name: str) -> bytes:
    with storage().open(stored_name, "rb") as handle:
        sealed = handle.read().decode("ascii")
    return base64.b64decode(crypto.decrypt(sealed))
