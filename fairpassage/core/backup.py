"""Backups: the whole database and the private files in one portable archive, and back.

The archive is an uncompressed tar holding

- ``manifest.json``: format and version, when and from which database it was made, the applied
  migrations of every app, and for each part its model, columns, row count and SHA-256; the
  manifest carries an HMAC made with ``FIELD_HASH_KEY``, so an altered archive is refused;
- ``data/NNNN-<app>.<model>.jsonl.gz``: one gzip'd JSON-lines part per model (auto-created
  many-to-many tables included), in dependency order, one JSON array per row;
- ``files/<root>/<name>``: the private files (case attachments), copied as stored, i.e. still
  encrypted.

Encrypted columns are read as their stored ciphertext (a cast to plain text skips the field's
decryption), so personal data stays encrypted in the archive; restoring needs the same keys.
The archive is portable between SQLite and PostgreSQL: values are written as JSON and loaded
through each field's own conversion.

A restore goes into an empty, migrated database at the same migrations, in one transaction,
then resets PostgreSQL's sequences. This module is the only place of the backup with
database-specific SQL.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import hashlib
import hmac
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.duration import duration_string
from django.utils.translation import gettext as _

from fairpassage.core import crypto
from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.services import audit_record

FORMAT = "fairpassage-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rows that `migrate` creates by itself; a restore replaces them with the archive's.
SEEDED = ("auth.permission", "contenttypes.contenttype")
BATCH = 500
Progress = Callable[[str, int], None]
_PART_NAME = re.compile(r"^data/\d{4}-[a-z0-9_]+\.[a-z0-9_]+\.jsonl\.gz$")


class ArchiveRefused(Exception):
    """The archive or the target cannot be used; the message says why (one line)."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(int(part["rows"]) for part in self.manifest["parts"])


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: int = 0
    files: int = 0
    per_model: dict[str, int] = field(default_factory=dict)


# --- what is saved ---------------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every table of the product (managed, concrete), each after the tables it points to."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    found.sort(key=lambda m: m._meta.label_lower)
    by_label = {m._meta.label_lower: m for m in found}
    ordered: list[type[models.Model]] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(model: type[models.Model]) -> None:
        label = model._meta.label_lower
        if state.get(label) == 2:
            return
        if state.get(label) == 1:  # a cycle through a nullable key: the deferred check copes
            return
        state[label] = 1
        for f in model._meta.concrete_fields:
            target = getattr(f, "related_model", None)
            if f.is_relation and target is not None and target is not model:
                target_label = target._meta.label_lower
                if target_label in by_label:
                    visit(by_label[target_label])
        state[label] = 2
        ordered.append(model)

    for model in found:
        visit(model)
    return ordered


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def file_roots() -> dict[str, Path]:
    """Private file stores to copy beside the database, by name."""
    roots: dict[str, Path] = {}
    if apps.is_installed("fairpassage.cases"):
        from fairpassage.cases.storage import attachment_dir  # noqa: PLC0415 - optional app

        roots["attachments"] = attachment_dir()
    return roots


def _files_under(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


# --- values as JSON --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A column value as JSON; each field's ``to_python`` reads it back."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _rows(model: type[models.Model], using: str) -> Iterator[list[Any]]:
    """Rows in primary-key order; encrypted columns as their stored ciphertext."""
    names: list[str] = []
    raw: dict[str, Cast] = {}
    for n, f in enumerate(_columns(model)):
        if isinstance(f, EncryptedTextField):
            alias = f"stored_ciphertext_{n}"
            raw[alias] = Cast(f.attname, output_field=models.TextField())
            names.append(alias)
        else:
            names.append(f.attname)
    queryset = model._base_manager.using(using).annotate(**raw).order_by("pk").values_list(*names)
    for row in queryset.iterator(chunk_size=2000):
        yield [_plain(v) for v in row]


# --- the manifest ----------------------------------------------------------------------------


def _canonical(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    return json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def _seal(manifest: dict[str, Any]) -> None:
    manifest["hmac"] = crypto.keyed_hash(_canonical(manifest), purpose="backup-manifest")


def _sealed(manifest: dict[str, Any]) -> bool:
    expected = crypto.keyed_hash(_canonical(manifest), purpose="backup-manifest")
    return isinstance(manifest.get("hmac"), str) and _equal(manifest["hmac"], expected)


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


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


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
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
                "name": f"files/{root_name}/{p.relative_to(root).as_posix()}",
                "root": root_name,
                "path": p.relative_to(root).as_posix(),
                "bytes": p.stat().st_size,
                "sha256": _sha256_file(p),
            }
            for root_name, root in file_roots().items()
            for p in _files_under(root)
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
    roots = file_roots()
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
                    source = roots[item["root"]] / item["path"]
                    with source.open("rb") as handle:
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


# --- reading an archive ----------------------------------------------------------------------


class Archive:
    """An opened archive whose manifest and every member were checked against their digests."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.tar = tarfile.open(self.path, mode="r:")  # noqa: SIM115 - closed by close()
        except (OSError, tarfile.TarError) as exc:
            raise ArchiveRefused(
                _("%(file)s is not a readable backup archive") % {"file": self.path.name}
            ) from exc
        try:
            self.manifest = self._read_manifest()
            self._verify_members()
        except BaseException:
            self.tar.close()
            raise

    def close(self) -> None:
        self.tar.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _member(self, name: str) -> IO[bytes]:
        try:
            handle = self.tar.extractfile(name)
        except (KeyError, OSError, tarfile.TarError, EOFError) as exc:
            raise ArchiveRefused(
                _("the archive is incomplete: %(part)s cannot be read") % {"part": name}
            ) from exc
        if handle is None:
            raise ArchiveRefused(
                _("the archive is incomplete: %(part)s is not a file") % {"part": name}
            )
        return handle

    def _read_manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self._member(MANIFEST).read())
        except (ValueError, OSError, tarfile.TarError, EOFError) as exc:
            raise ArchiveRefused(_("the archive's manifest cannot be read")) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveRefused(
                _("%(file)s is not a Fair Passage backup") % {"file": self.path.name}
            )
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ArchiveRefused(
                _("archive format version %(found)s is not supported (this version reads %(ours)s)")
                % {"found": manifest.get("format_version"), "ours": FORMAT_VERSION}
            )
        if not _sealed(manifest):
            raise ArchiveRefused(
                _(
                    "the manifest's seal does not match: the archive was altered, or it was "
                    "made with another FIELD_HASH_KEY"
                )
            )
        return manifest

    def _verify_members(self) -> None:
        for part in self.manifest["parts"]:
            if not _PART_NAME.match(part["name"]):
                raise ArchiveRefused(
                    _("the archive names an unexpected part %(part)r") % {"part": part["name"]}
                )
            self._check_digest(part["name"], part["sha256"])
        for item in self.manifest["files"]:
            relative = Path(item["path"])
            if relative.is_absolute() or ".." in relative.parts:
                raise ArchiveRefused(
                    _("the archive names an unsafe file path %(path)r") % {"path": item["path"]}
                )
            self._check_digest(item["name"], item["sha256"])

    def _check_digest(self, name: str, expected: str) -> None:
        digest = hashlib.sha256()
        handle = self._member(name)
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise ArchiveRefused(
                _("the archive is truncated: %(part)s is incomplete") % {"part": name}
            ) from exc
        if digest.hexdigest() != expected:
            raise ArchiveRefused(
                _("%(part)s does not match its SHA-256: the archive was altered") % {"part": name}
            )

    def rows(self, part: dict[str, Any]) -> Iterator[list[Any]]:
        try:
            with gzip.GzipFile(fileobj=self._member(part["name"]), mode="rb") as gz:
                for line in gz:
                    row = json.loads(line)
                    if not isinstance(row, list) or len(row) != len(part["columns"]):
                        raise ArchiveRefused(
                            _("%(part)s: a row has the wrong shape") % {"part": part["name"]}
                        )
                    yield row
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            raise ArchiveRefused(
                _("%(part)s cannot be read: %(error)s") % {"part": part["name"], "error": exc}
            ) from exc

    def file_bytes(self, item: dict[str, Any]) -> IO[bytes]:
        return self._member(item["name"])


def archive_check(*, path: Path) -> dict[str, Any]:
    """Open and verify an archive without writing anything; its manifest."""
    with Archive(path) as archive:
        return archive.manifest


# --- restore ---------------------------------------------------------------------------------


def _refuse_unless_ready(manifest: dict[str, Any], using: str) -> dict[str, type[models.Model]]:
    current = applied_migrations(using)
    if not current:
        raise ArchiveRefused(
            _("the database is not migrated: migrate it first (python manage.py migrate)")
        )
    if current != manifest["migrations"]:
        apps_differing = sorted(
            app
            for app in set(current) | set(manifest["migrations"])
            if current.get(app) != manifest["migrations"].get(app)
        )
        raise ArchiveRefused(
            _(
                "the database's migrations differ from the archive's for %(apps)s: restore "
                "with the version that made the backup, then upgrade"
            )
            % {"apps": ", ".join(apps_differing)}
        )
    models_now = {m._meta.label_lower: m for m in backed_up_models()}
    in_archive = {part["model"] for part in manifest["parts"]}
    if set(models_now) != in_archive:
        diff = sorted(set(models_now) ^ in_archive)
        raise ArchiveRefused(
            _("the archive's tables differ from this version's: %(tables)s")
            % {"tables": ", ".join(diff)}
        )
    for part in manifest["parts"]:
        columns = [f.attname for f in _columns(models_now[part["model"]])]
        if columns != part["columns"]:
            raise ArchiveRefused(
                _("%(model)s: the archive's columns differ from this version's")
                % {"model": part["model"]}
            )
    filled = [
        _("%(table)s (%(rows)d rows)")
        % {"table": label, "rows": model._base_manager.using(using).count()}
        for label, model in models_now.items()
        if label not in SEEDED and model._base_manager.using(using).exists()
    ]
    if filled:
        raise ArchiveRefused(
            _("the database is not empty: %(tables)s; restore only into a new, migrated database")
            % {"tables": ", ".join(filled[:5]) + (" …" if len(filled) > 5 else "")}
        )
    for name, root in file_roots().items():
        if _files_under(root):
            raise ArchiveRefused(
                _("the %(name)s folder %(dir)s is not empty") % {"name": name, "dir": root}
            )
    return models_now


def _insert(
    part: dict[str, Any], model: type[models.Model], rows: Iterator[list[Any]], using: str
) -> int:
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = _columns(model)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from our own models
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    checked: set[str] = set()
    done = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            values: list[Any] = []
            for f, value in zip(fields, row, strict=True):
                if isinstance(f, EncryptedTextField):
                    if value and f.attname not in checked:
                        _check_readable(part, f.attname, value)
                        checked.add(f.attname)
                    values.append(value)
                elif value is None:
                    values.append(None)
                else:
                    values.append(f.get_db_prep_save(f.to_python(value), connection))
            batch.append(values)
            done += 1
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    if done != int(part["rows"]):
        raise ArchiveRefused(
            _("%(part)s holds %(rows)d rows, the manifest says %(expected)s")
            % {"part": part["name"], "rows": done, "expected": part["rows"]}
        )
    return done


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _check_readable(part: dict[str, Any], column: str, token: str) -> None:
    try:
        crypto.decrypt(token)
    except ImproperlyConfigured as exc:
        raise ArchiveRefused(
            _(
                "%(model)s.%(column)s cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
                "configure the keys the backup was made with"
            )
            % {"model": part["model"], "column": column}
        ) from exc


def _stage_files(archive: Archive) -> dict[str, Path]:
    """Extract the archive's files next to their final folders; ``{root name: staging dir}``."""
    roots = file_roots()
    staging: dict[str, Path] = {}
    try:
        for item in archive.manifest["files"]:
            root = roots.get(item["root"])
            if root is None:
                raise ArchiveRefused(
                    _("this version has no file store named %(name)r") % {"name": item["root"]}
                )
            if item["root"] not in staging:
                root.parent.mkdir(parents=True, exist_ok=True)
                staging[item["root"]] = Path(
                    tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent)
                )
            target = staging[item["root"]] / item["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                shutil.copyfileobj(archive.file_bytes(item), out)
    except BaseException:
        for directory in staging.values():
            shutil.rmtree(directory, ignore_errors=True)
        raise
    return staging


def _place_files(staging: dict[str, Path]) -> None:
    roots = file_roots()
    for name, directory in staging.items():
        root = roots[name]
        if root.exists():
            root.rmdir()  # checked empty before the restore began
        directory.replace(root)


def backup_restore(
    *, path: Path, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> RestoreResult:
    """Load an archive into an empty, migrated database (one transaction) and its files."""
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    with Archive(path) as archive:
        manifest = archive.manifest
        models_now = _refuse_unless_ready(manifest, using)
        result = RestoreResult(manifest=manifest)
        staging = _stage_files(archive)
        try:
            connection = connections[using]
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    for label in SEEDED:
                        table = connection.ops.quote_name(models_now[label]._meta.db_table)
                        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table
                for part in manifest["parts"]:
                    model = models_now[part["model"]]
                    try:
                        done = _insert(part, model, archive.rows(part), using)
                    except DatabaseError as exc:
                        raise ArchiveRefused(
                            _("%(model)s: a row cannot be stored in this database: %(error)s")
                            % {"model": part["model"], "error": _first_line(exc)}
                        ) from exc
                    result.per_model[part["model"]] = done
                    result.rows += done
                    if progress is not None:
                        progress(part["model"], done)
                statements = connection.ops.sequence_reset_sql(
                    no_style(), list(models_now.values())
                )
                if statements:
                    with connection.cursor() as cursor:
                        for statement in statements:
                            cursor.execute(statement)
                audit_record(
                    actor=None,
                    action="backup.restore",
                    data={
                        "file": Path(path).name,
                        "created_at": manifest["created_at"],
                        "rows": result.rows,
                    },
                )
        except DatabaseError as exc:  # a deferred constraint checked at commit
            for directory in staging.values():
                shutil.rmtree(directory, ignore_errors=True)
            raise ArchiveRefused(
                _("the archive's rows are inconsistent: %(error)s") % {"error": _first_line(exc)}
            ) from exc
        except BaseException:
            for directory in staging.values():
                shutil.rmtree(directory, ignore_errors=True)
            raise
        _place_files(staging)
        result.files = len(manifest["files"])
    ContentType.objects.clear_cache()
    return result
