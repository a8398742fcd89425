"""Archives kept in the ``backups`` storage (a folder, or object storage beside the attachments;
``core/files.py``): ``fairpassage backup --to-storage`` and ``fairpassage restore
--from-storage``. The archive is written and verified in a local temporary folder, then sent
through the storage API; restoring fetches it back the same way."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File

from fairpassage.core.files import private


def backup_store(*, path: Path, name: str) -> str:
    """Send the archive at ``path`` to the backups storage as ``name``; the name it got."""
    with path.open("rb") as handle:
        return private("backups").save(name, File(handle, name=name))


def backup_stored_exists(*, name: str) -> bool:
    return bool(private("backups").exists(name))


@contextmanager
def backup_fetched(*, name: str) -> Iterator[Path]:
    """The stored archive ``name`` as a local temporary file, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="fairpassage-restore-"))
    try:
        local = folder / Path(name).name
        with private("backups").open(name, "rb") as source, local.open("wb") as out:
            shutil.copyfileobj(source, out)
        yield local
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def local_archive() -> Iterator[Path]:
    """A local temporary path to write an archive to before it is stored."""
    folder = Path(tempfile.mkdtemp(prefix="fairpassage-backup-"))
    try:
        yield folder / "fairpassage.backup"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
