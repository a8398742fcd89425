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
    restore.set_defaults(handler=cmd_restore)


def _progress(quiet: bool) -> Callable[[str, int], None] | None:
    def show(label: str, count: int) -> None:
        if label != "archive":
            print(f"  {label}: {count}", file=sys.stderr)

    return None if quiet else show


def cmd_backup(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.core.backup import ArchiveRefused, backup_create  # noqa: PLC0415

    path: Path = args.file
    if path.exists() and not args.overwrite:
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
            "path": path,
            "rows": result.rows,
            "parts": len(result.manifest["parts"]),
            "files": len(result.manifest["files"]),
        }
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.core.backup import (  # noqa: PLC0415
        ArchiveRefused,
        archive_check,
        backup_restore,
    )

    path: Path = args.file
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
        + message % {"path": path, "rows": rows, "files": files, "created": manifest["created_at"]}
    )
    return 0
