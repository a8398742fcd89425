"""The archive format: what is saved, values as JSON, the sealed manifest, the checked reader."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import hashlib
import hmac
import json
import re
import tarfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from django.utils.duration import duration_string
from django.utils.translation import gettext as _

from fairpassage.core import crypto
from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.files import private, walk

FORMAT = "fairpassage-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rows that `migrate` creates by itself; a restore replaces them with the archive's.
SEEDED = ("auth.permission", "contenttypes.contenttype")
# The task queue's state (tasks and workers) belongs to the running installation, not to its
# data: it is not saved. Work queued or running when the backup was made shows, once restored,
# as failed on its page with a restart offered (``core/queue.py``, ``task_lost``).
OPERATIONAL = ("django_tasks_database.dbtaskresult", "core.taskworker")
BATCH = 500
Progress = Callable[[str, int], None]
_PART_NAME = re.compile(r"^data/\d{4}-[a-z0-9_]+\.[a-z0-9_]+\.jsonl\.gz$")


class ArchiveRefused(Exception):
    """The archive or the target cannot be used; the message says why (one line)."""


# --- what is saved ---------------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every table of the product (managed, concrete), each after the tables it points to."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
        and not m._meta.proxy
        and not m._meta.swapped
        and m._meta.label_lower not in OPERATIONAL
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


def file_stores() -> dict[str, Storage]:
    """Private file stores to copy beside the database, by name (named storages: a folder or
    object storage; ``core/files.py``)."""
    stores: dict[str, Storage] = {}
    if apps.is_installed("fairpassage.cases"):
        stores["attachments"] = private("attachments")
    return stores


def stored_files(store: Storage) -> list[str]:
    return list(walk(store))


def store_label(store: Storage) -> str:
    """Where a store keeps its files, for a message: its folder, else its kind."""
    return str(getattr(store, "location", "") or type(store).__name__)


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
