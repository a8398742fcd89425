"""Batch audit tables at rest: encrypted like attachments, written whole or not at all.

A table is stored as lines, each the encryption (``core.crypto``, the field keys, as for
attachments in ``cases/storage.py``) of up to 1 MiB of the file, base64 first; so a 200 MB
upload is sealed and read back in pieces instead of in one piece of memory. Nothing of an
uploaded or result table is ever written to disk in clear.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from fairpassage.core import crypto

#: The suffix of a sealed table: ``engagements.csv.sealed``.
SEALED = ".sealed"
CHUNK = 1 << 20


def _line(data: bytes) -> bytes:
    return crypto.encrypt(base64.b64encode(data).decode("ascii")).encode("ascii") + b"\n"


def seal(chunks: Iterable[bytes], path: Path) -> None:
    """Write ``chunks`` encrypted to ``path`` through a temporary file renamed at the end."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with temp.open("wb") as handle:
            pending = b""
            for chunk in chunks:
                pending += chunk
                while len(pending) >= CHUNK:
                    handle.write(_line(pending[:CHUNK]))
                    pending = pending[CHUNK:]
            if pending:
                handle.write(_line(pending))
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def unsealed(path: Path) -> Iterator[bytes]:
    """The clear bytes of a sealed table, piece by piece (for streaming a download)."""
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield base64.b64decode(crypto.decrypt(line.strip().decode("ascii")))


def read(path: Path) -> bytes:
    return b"".join(unsealed(path))


def reseal(path: Path) -> None:
    """Re-encrypt a sealed table with the newest key (after ``FIELD_ENCRYPTION_KEYS`` changed)."""
    lines = path.read_bytes().splitlines()
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with temp.open("wb") as handle:
        for line in lines:
            if line.strip():
                handle.write(crypto.rotate(line.strip().decode("ascii")).encode("ascii") + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(path)


def seal_in_place(path: Path) -> Path:
    """Seal a clear file left by an earlier version, then remove the clear one."""
    sealed = path.with_name(path.name + SEALED)

    def pieces() -> Iterator[bytes]:
        with path.open("rb") as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")

    seal(pieces(), sealed)
    path.unlink()
    return sealed
