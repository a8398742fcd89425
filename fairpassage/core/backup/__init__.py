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
then resets PostgreSQL's sequences. This package is the only place of the backup with
database-specific SQL.
"""

from fairpassage.core.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SEEDED,
    Archive,
    ArchiveRefused,
    _seal,
    applied_migrations,
    archive_check,
    backed_up_models,
    file_stores,
)
from fairpassage.core.backup.create import BackupResult, backup_create
from fairpassage.core.backup.restore import RestoreResult, backup_restore

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "SEEDED",
    "Archive",
    "ArchiveRefused",
    "BackupResult",
    "RestoreResult",
    "_seal",
    "applied_migrations",
    "archive_check",
    "backed_up_models",
    "backup_create",
    "backup_restore",
    "file_stores",
]
