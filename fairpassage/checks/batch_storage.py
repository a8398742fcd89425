"""Batch audit tables at rest: encrypted like attachments, in the named storage ``batch``.

A table is stored as lines, each the encryption (``core.crypto``, the field keys, as for
attachments in ``cases/storage.py``) of up to 1 MiB of the file, base64 first; so a 200 MB
upload is sealed and read back in pieces instead of in one piece of memory. Nothing of an
uploaded or result table is ever handed to the storage in clear, whatever its backend (a private
folder by default, S3-compatible object storage with ``FILE_STORAGE=s3``: docs/storage.md).

Names are relative to the storage: ``<pk>/in/engagements.csv.sealed``,
``<pk>/out-<attempt>/findings.csv.sealed``. Only the storage API is used (``save``, ``open``,
``delete``, ``listdir``): no rename, so publication is made atomic by the audit's row instead
(``batch_services``).
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage

from fairpassage.core import crypto
from fairpassage.core.files import private, walk

#: The suffix of a sealed table: ``engagements.csv.sealed``.
SEALED = ".sealed"
CHUNK = 1 << 20
#: Sealed lines are gathered in memory up to this size, then in an (encrypted) temporary file.
SPOOL = 8 << 20


def store() -> Storage:
    """The ``batch`` storage (``STORAGES`` in settings)."""
    return private("batch")


def _line(data: bytes) -> bytes:
    return crypto.encrypt(base64.b64encode(data).decode("ascii")).encode("ascii") + b"\n"


def _save(name: str, handle: IO[bytes]) -> None:
    """Save ``handle`` under exactly ``name`` (what was there is replaced)."""
    handle.seek(0)
    storage = store()
    storage.delete(name)
    saved = storage.save(name, File(handle, name=name))
    if saved != name:  # another writer took the name meanwhile
        storage.delete(saved)
        raise FileExistsError(name)


def seal(chunks: Iterable[bytes], name: str) -> None:
    """Encrypt ``chunks`` and save them under ``name``."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as handle:
        pending = b""
        for chunk in chunks:
            pending += chunk
            while len(pending) >= CHUNK:
                handle.write(_line(pending[:CHUNK]))
                pending = pending[CHUNK:]
        if pending:
            handle.write(_line(pending))
        _save(name, handle)


def unsealed(name: str) -> Iterator[bytes]:
    """The clear bytes of a sealed table, piece by piece (for streaming a download)."""
    with store().open(name, "rb") as handle:
        for line in handle:
            if line.strip():
                yield base64.b64decode(crypto.decrypt(line.strip().decode("ascii")))


def read(name: str) -> bytes:
    return b"".join(unsealed(name))


def exists(name: str) -> bool:
    return store().exists(name)


def names(prefix: str) -> list[str]:
    """Every stored name under the folder ``prefix``, sorted (``listdir``, not the disk)."""
    return list(walk(store(), prefix))


def delete_all(prefix: str) -> int:
    """Delete every file under ``prefix``; the number deleted."""
    found = names(prefix)
    for name in found:
        store().delete(name)
    return len(found)


def reseal(name: str) -> None:
    """Re-encrypt a sealed table with the newest key (after ``FIELD_ENCRYPTION_KEYS`` changed)."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as handle:
        with store().open(name, "rb") as old:
            for line in old:
                if line.strip():
                    handle.write(crypto.rotate(line.strip().decode("ascii")).encode("ascii"))
                    handle.write(b"\n")
        _save(name, handle)


def seal_in_place(name: str, sealed: str | None = None) -> str:
    """Seal a clear file left by an earlier version (as ``sealed``, by default ``name`` with the
    suffix), then delete the clear one."""
    sealed = sealed or name + SEALED

    def pieces() -> Iterator[bytes]:
        with store().open(name, "rb") as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")

    seal(pieces(), sealed)
    store().delete(name)
    return sealed
