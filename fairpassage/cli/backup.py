"""`fairpassage backup FILE` and `fairpassage restore FILE`: the whole installation in one file.

Personal data stays encrypted in the archive; restoring needs the same FIELD_ENCRYPTION_KEYS and
FIELD_HASH_KEY. A refused archive or target exits with status 2 and one line saying why.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from fairpassage.cli.base import CommandError, Subcommands, setup_django


def register(commands: Subcommands) -> None:
    backup = commands.add_parser(
        "backup", help="write the database and private files to one archive (still encrypted)"
    )
    backup.add_argument("file", type=Path, help="the archive to write (e.g. fairpassage.backup)")
    backup.add_argument(
        "--overwrite", action="store_true", help="replace FILE if it exists (atomically)"
    )
    backup.add_argument("--quiet", action="store_true", help="no progress on standard error")
    backup.add_argument(
        "--to-storage",
        action="store_true",
        help="FILE is a name in the backups storage (STORAGES, docs/storage.md): write the "
        "archive in a temporary folder, then store it there",
    )
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore", help="load an archive into a new, empty, migrated database"
    )
    restore.add_argument("file", type=Path, help="an archive written by `fairpassage backup`")
    restore.add_argument(
        "--check",
        action="store_true",
        help="only verify the archive (manifest seal, every part's SHA-256); change nothing",
    )
    restore.add_argument("--quiet", action="store_true", help="no progress on standard error")
    restore.add_argument(
        "--from-storage",
        action="store_true",
        help="FILE is a name in the backups storage: fetch it, then check or restore it",
    )
    restore.set_defaults(handler=cmd_restore)


def _progress(quiet: bool) -> Callable[[str, int], None] | None:
    def show(label: str, count: int) -> None:
        if label != "archive":
            print(f"  {label}: {count}", file=sys.stderr)

    return None if quiet else show


def cmd_backup(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.core.backup.stored import (  # noqa: PLC0415
        backup_store,
        backup_stored_exists,
        local_archive,
    )

    if not args.to_storage:
        return _backup_to(args, args.file, shown=str(args.file))
    name = args.file.as_posix()
    if backup_stored_exists(name=name) and not args.overwrite:
        raise CommandError(
            _("file: %(path)s exists; choose another name or add --overwrite") % {"path": name}
        )
    with local_archive() as path:
        _backup_to(args, path, shown=f"storage:{name}", overwrite=True)
        stored = backup_store(path=path, name=name)
    if stored != name:
        print(f"storage:{stored}")
    return 0


def _backup_to(args: argparse.Namespace, path: Path, *, shown: str, overwrite: bool = False) -> int:
    from fairpassage.core.backup import ArchiveRefused, backup_create  # noqa: PLC0415

    if path.exists() and not (args.overwrite or overwrite):
        raise CommandError(
            _("file: %(path)s exists; choose another name or add --overwrite") % {"path": path}
        )
    try:
        result = backup_create(path=path, progress=_progress(args.quiet))
    except ArchiveRefused as exc:
        raise CommandError(f"file: {exc}") from exc
    print(
        "✓ "
        + _(
            "%(path)s: %(rows)d rows in %(parts)d tables and %(files)d files, "
            "personal data encrypted"
        )
        % {
            "path": shown,
            "rows": result.rows,
            "parts": len(result.manifest["parts"]),
            "files": len(result.manifest["files"]),
        }
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.core.backup.stored import backup_fetched, backup_stored_exists  # noqa: PLC0415

    if not args.from_storage:
        return _restore_from(args, args.file, shown=str(args.file))
    name = args.file.as_posix()
    if not backup_stored_exists(name=name):
        raise CommandError(_("file: %(path)s does not exist") % {"path": f"storage:{name}"})
    with backup_fetched(name=name) as path:
        return _restore_from(args, path, shown=f"storage:{name}")


def _restore_from(args: argparse.Namespace, path: Path, *, shown: str) -> int:
    from fairpassage.core.backup import (  # noqa: PLC0415
        ArchiveRefused,
        archive_check,
        backup_restore,
    )

    if not path.is_file():
        raise CommandError(_("file: %(path)s does not exist") % {"path": path})
    try:
        if args.check:
            manifest = archive_check(path=path)
            rows = sum(int(part["rows"]) for part in manifest["parts"])
            files = len(manifest["files"])
        else:
            result = backup_restore(path=path, progress=_progress(args.quiet))
            manifest, rows, files = result.manifest, result.rows, result.files
    except ArchiveRefused as exc:
        raise CommandError(f"file: {exc}") from exc
    message = (
        _("%(path)s is intact: %(rows)d rows and %(files)d files from %(created)s")
        if args.check
        else _("%(path)s restored: %(rows)d rows and %(files)d files from %(created)s")
    )
    print(
        "✓ "
        + message % {"path": shown, "rows": rows, "files": files, "created": manifest["created_at"]}
    )
    return 0
