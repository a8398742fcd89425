"""Private file stores: every file the project keeps (attachments, batch audit tables, backups)
goes through a named Django storage (``STORAGES`` in settings), so an installation may put them on
S3-compatible object storage (``FILE_STORAGE=s3``, see docs/storage.md) instead of a folder.

What goes in is already encrypted by us (``core.crypto``): the backend never sees a clear byte,
whichever it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFolderStorage(FileSystemStorage):
    """A folder named by a setting, read at each use (an operator's setting, or a test's), with
    no URL: private files are served only by views that check who asks."""

    def __init__(self, *, setting: str, **kwargs: Any) -> None:
        self.setting = setting
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(getattr(settings, self.setting))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL")

    def delete(self, name: str) -> None:
        """Delete the file, then the folders it leaves empty (an object storage has none)."""
        super().delete(name)
        root = Path(self.location)
        folder = Path(self.path(name)).parent
        while folder != root and root in folder.parents:
            try:
                folder.rmdir()
            except OSError:  # not empty (or already gone): stop
                break
            folder = folder.parent


def private(name: str) -> Storage:
    """The named private storage (``attachments``, ``backups``)."""
    return storages[name]


def walk(store: Storage, folder: str = "") -> Iterator[str]:
    """Every file name under ``folder`` of ``store``, sorted, through the storage API only."""
    try:
        folders, files = store.listdir(folder)
    except FileNotFoundError:  # a folder never written to
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from walk(store, f"{folder}/{sub}" if folder else sub)
