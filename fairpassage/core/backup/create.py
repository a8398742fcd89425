"""Writing an archive: rows read in one transaction, parts staged, the file renamed at the end."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairpassage.core.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ArchiveRefused,
    Progress,
    _columns,
    _rows,
    _seal,
    applied_migrations,
    backed_up_models,
    file_stores,
    stored_files,
)
from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.services import audit_record


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(int(part["rows"]) for part in self.manifest["parts"])


# --- backup ----------------------------------------------------------------------------------


def _partial_name(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.{pid}.partial")


def _remove_stale_partials(path: Path) -> None:
    """Remove what a killed earlier backup to the same file left (its process is gone)."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.partial$")
    if not path.parent.is_dir():
        return
    for sibling in path.parent.iterdir():
        match = pattern.match(sibling.name)
        if match is None:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            sibling.unlink(missing_ok=True)
        except PermissionError:  # alive, someone else's
            continue


def _stage_part(model: type[models.Model], using: str) -> tuple[IO[bytes], int, str, int]:
    """The model's rows gzip'd in an anonymous temporary file: (file, rows, sha256, bytes)."""
    staged = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller
    rows = 0
    with gzip.GzipFile(fileobj=staged, mode="wb", mtime=0) as gz:
        for row in _rows(model, using):
            gz.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            rows += 1
    size = staged.tell()
    staged.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: staged.read(1 << 20), b""):
        digest.update(chunk)
    staged.seek(0)
    return staged, rows, digest.hexdigest(), size


def _sha256_stored(store: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with store.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add(tar: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, handle)


def backup_create(
    *, path: Path, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> BackupResult:
    """Write the archive to ``path`` atomically (a temporary file renamed at the end).

    The rows are read in one read-only transaction (a consistent snapshot on PostgreSQL; on
    SQLite writers wait for the few seconds it takes). A killed backup leaves no file at
    ``path``; the next backup to the same path removes the partial file it left.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ArchiveRefused(_("%(dir)s is not a folder") % {"dir": path.parent})
    _remove_stale_partials(path)
    connection = connections[using]
    with transaction.atomic(using=using):
        audit_record(actor=None, action="backup.create", data={"file": path.name})
    staged: list[tuple[dict[str, Any], IO[bytes]]] = []
    try:
        outer = connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and not outer:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            migrations = applied_migrations(using)
            for n, model in enumerate(backed_up_models(), start=1):
                label = model._meta.label_lower
                handle, rows, sha, size = _stage_part(model, using)
                columns = _columns(model)
                part = {
                    "name": f"data/{n:04d}-{label}.jsonl.gz",
                    "model": label,
                    "table": model._meta.db_table,
                    "columns": [f.attname for f in columns],
                    "encrypted": [f.attname for f in columns if isinstance(f, EncryptedTextField)],
                    "rows": rows,
                    "bytes": size,
                    "sha256": sha,
                }
                staged.append((part, handle))
                if progress is not None:
                    progress(label, rows)
        files = [
            {
                "name": f"files/{root_name}/{name}",
                "root": root_name,
                "path": name,
                "bytes": store.size(name),
                "sha256": _sha256_stored(store, name),
            }
            for root_name, store in file_stores().items()
            for name in stored_files(store)
        ]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "fairpassage_version": settings.FAIRPASSAGE_VERSION,
            "database": connection.vendor,
            "migrations": migrations,
            "parts": [part for part, _handle in staged],
            "files": files,
        }
        _seal(manifest)
        _write_archive(path, manifest, staged, progress)
    finally:
        for _part, handle in staged:
            handle.close()
    return BackupResult(path=path, manifest=manifest)


def _write_archive(
    path: Path,
    manifest: dict[str, Any],
    staged: list[tuple[dict[str, Any], IO[bytes]]],
    progress: Progress | None,
) -> None:
    partial = _partial_name(path, os.getpid())
    stores = file_stores()
    try:
        with partial.open("wb") as out:
            partial.chmod(0o600)
            with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                _add(tar, MANIFEST, io.BytesIO(body), len(body))
                written = 1
                for part, handle in staged:
                    _add(tar, part["name"], handle, int(part["bytes"]))
                    written += 1
                    if progress is not None:
                        progress("archive", written)
                for item in manifest["files"]:
                    with stores[item["root"]].open(item["path"], "rb") as handle:
                        _add(tar, item["name"], handle, int(item["bytes"]))
                    written += 1
                    if progress is not None:
                        progress("archive", written)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
