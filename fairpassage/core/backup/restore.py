"""Loading an archive into an empty, migrated database in one transaction, and its files.

A row the database cannot take (text with a NUL or a lone surrogate, refused the same on every
database; anything else the database refuses) stops the restore with the table, the row's id
and the column, and the transaction leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.utils.translation import gettext as _

from fairpassage.core import crypto
from fairpassage.core.backup.archive import (
    BATCH,
    SEEDED,
    Archive,
    ArchiveRefused,
    Progress,
    _columns,
    applied_migrations,
    backed_up_models,
    file_stores,
    store_label,
    stored_files,
)
from fairpassage.core.fields import EncryptedTextField
from fairpassage.core.services import audit_record
from fairpassage.core.validation import first_fault


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: int = 0
    files: int = 0
    per_model: dict[str, int] = field(default_factory=dict)


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
    for name, store in file_stores().items():
        if stored_files(store):
            raise ArchiveRefused(
                _("the %(name)s folder %(dir)s is not empty")
                % {"name": name, "dir": store_label(store)}
            )
    return models_now


def _row_id(model: type[models.Model], fields: list[Any], row: list[Any]) -> Any:
    pk = model._meta.pk
    names = [f.attname for f in fields]
    return row[names.index(pk.attname)] if pk is not None and pk.attname in names else "?"


def _refuse_row(part: dict[str, Any], row_id: Any, column: str, reason: str) -> ArchiveRefused:
    return ArchiveRefused(
        _("%(model)s, row id %(id)s, column %(column)s: %(reason)s; nothing was restored")
        % {"model": part["model"], "id": row_id, "column": column, "reason": reason}
    )


def _check_storable(
    part: dict[str, Any], model: type[models.Model], fields: list[Any], row: list[Any]
) -> None:
    """Refuse a row holding text no database stores (a NUL, which SQLite keeps but PostgreSQL
    refuses, or a lone surrogate), the same on every database, naming the table and row."""
    for f, value in zip(fields, row, strict=True):
        found = first_fault(value, f.attname) if value is not None else None
        if found is not None:
            reason = (
                _("the text holds a NUL character, which PostgreSQL cannot store")
                if found[1] == "nul"
                else _("the text holds an invalid character (a lone surrogate)")
            )
            raise _refuse_row(part, _row_id(model, fields, row), found[0], reason)


def _write_batch(
    part: dict[str, Any],
    model: type[models.Model],
    fields: list[Any],
    sql: str,
    batch: list[tuple[list[Any], list[Any]]],
    using: str,
) -> None:
    """Insert a batch in a savepoint; when the database refuses it, insert its rows one by one
    to name the row it refuses (the whole restore is still rolled back)."""
    connection = connections[using]
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.executemany(sql, [values for _row, values in batch])
        return
    except (DatabaseError, ValueError) as batch_error:
        error: BaseException = batch_error
    for row, values in batch:
        try:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute(sql, values)
        except (DatabaseError, ValueError) as exc:
            raise _refuse_row(part, _row_id(model, fields, row), "*", _first_line(exc)) from exc
    raise ArchiveRefused(
        _("%(model)s: a row cannot be stored in this database: %(error)s")
        % {"model": part["model"], "error": _first_line(error)}
    ) from error


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
    batch: list[tuple[list[Any], list[Any]]] = []
    for row in rows:
        _check_storable(part, model, fields, row)
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
        batch.append((row, values))
        done += 1
        if len(batch) >= BATCH:
            _write_batch(part, model, fields, sql, batch, using)
            batch = []
    if batch:
        _write_batch(part, model, fields, sql, batch, using)
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


def _write_files(archive: Archive) -> list[tuple[Storage, str]]:
    """Write the archive's files into their stores (checked empty before), through the storage
    API; what was written, to remove if the database part fails."""
    stores = file_stores()
    written: list[tuple[Storage, str]] = []
    try:
        for item in archive.manifest["files"]:
            store = stores.get(item["root"])
            if store is None:
                raise ArchiveRefused(
                    _("this version has no file store named %(name)r") % {"name": item["root"]}
                )
            saved = store.save(item["path"], File(archive.file_bytes(item), name=item["path"]))
            written.append((store, saved))
            if saved != item["path"]:
                raise ArchiveRefused(
                    _("the %(name)s folder %(dir)s is not empty")
                    % {"name": item["root"], "dir": store_label(store)}
                )
    except BaseException:
        _remove_files(written)
        raise
    return written


def _remove_files(written: list[tuple[Storage, str]]) -> None:
    for store, name in written:
        store.delete(name)


def backup_restore(
    *, path: Path, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> RestoreResult:
    """Load an archive into an empty, migrated database (one transaction) and its files."""
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    with Archive(path) as archive:
        manifest = archive.manifest
        models_now = _refuse_unless_ready(manifest, using)
        result = RestoreResult(manifest=manifest)
        written = _write_files(archive)
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
            _remove_files(written)
            raise ArchiveRefused(
                _("the archive's rows are inconsistent: %(error)s") % {"error": _first_line(exc)}
            ) from exc
        except BaseException:
            _remove_files(written)
            raise
        result.files = len(manifest["files"])
    ContentType.objects.clear_cache()
    return result
