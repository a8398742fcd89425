"""`fairpassage agencies import` and `fairpassage agencies search`: the agency registry."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from fairpassage.cli.base import EXIT_BAD_INPUT, CommandError, Subcommands, setup_django


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: YYYY-MM-DD") from None


def register(commands: Subcommands) -> None:
    agencies = commands.add_parser("agencies", help="the agency registry: import lists, search")
    sub = agencies.add_subparsers(dest="agencies_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="import an official list (CSV or XLSX); all or nothing, with a row-by-row report",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--source",
        default="generic",
        help="column mapping of the list: generic, dolab, otit, isa_rso (see docs/registry.md)",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    imp.add_argument(
        "--as-of",
        type=_date,
        help="date of the list; status changes take effect on it (default: today)",
    )
    imp.set_defaults(handler=cmd_import)

    search = sub.add_parser("search", help="find an organisation however its name is typed")
    search.add_argument("text")
    search.add_argument("--country", choices=("VN", "JP"), help="only organisations of a country")
    search.add_argument("--on", type=_date, help="licence status on this date (default: today)")
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(handler=cmd_search)

    build = sub.add_parser(
        "build-index",
        help="build the shared search index now and store it for every server (a worker does "
        "it after each registry change)",
    )
    build.add_argument(
        "--force", action="store_true", help="build even if this version is stored already"
    )
    build.set_defaults(handler=cmd_build_index)


class _Progress:
    """Progress on standard error: a line that rewrites itself on a terminal, every 10% if not."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = -1
        self.seen: tuple[str, int] = ("", -1)

    def __call__(self, phase: str, done: int, total: int) -> None:
        if (phase, done) == self.seen:
            return
        if phase != self.seen[0]:
            self.last = -1
        self.seen = (phase, done)
        percent = 100 * done // total if total else 100
        label = _("reading") if phase == "read" else _("writing")
        if self.tty:
            sys.stderr.write(f"\r{label}: {done}/{total} ({percent}%)")
            if done >= total:
                sys.stderr.write("\n")
        elif percent // 10 != self.last // 10 or done >= total:
            sys.stderr.write(f"{label}: {done}/{total} ({percent}%)\n")
        self.last = percent


def cmd_import(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.registry.imports import agencies_import  # noqa: PLC0415 - needs Django

    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CommandError(f"{args.file}: {error.strerror}") from error
    report = agencies_import(
        actor=None,
        data=data,
        filename=args.file.name,
        source=args.source,
        as_of=args.as_of,
        dry_run=args.dry_run,
        progress=_Progress(),
    )
    json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    summary = report.as_dict()
    if report.errors:
        sys.stderr.write(
            _("fairpassage: %(n)s problems found; nothing was changed.") % {"n": len(report.errors)}
            + "\n"
        )
        return EXIT_BAD_INPUT
    sys.stderr.write(
        _(
            "%(verb)s: %(created)s new, %(updated)s updated, %(status)s status changes, "
            "%(unchanged)s unchanged."
        )
        % {
            "verb": _("Would change (dry run)") if args.dry_run else _("Imported"),
            "created": summary["created"],
            "updated": summary["updated"],
            "status": summary["status_changes"],
            "unchanged": summary["unchanged"],
        }
        + "\n"
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.registry.selectors import agencies_search  # noqa: PLC0415 - needs Django

    if not args.text.strip():
        raise CommandError(_("text: write a name or a licence number"))
    matches = agencies_search(
        text=args.text,
        on=args.on or timezone.localdate(),
        country=args.country or "",
        limit=max(1, min(args.limit, 100)),
    )
    json.dump([m.as_dict() for m in matches], sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_build_index(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.registry.search_index import search_index_build  # noqa: PLC0415

    row = search_index_build(force=args.force)
    out = (
        {"built": False}
        if row is None
        else {
            "built": True,
            "version": row.version,
            "organisations": row.organisations,
            "seconds": row.build_seconds,
            "bytes": len(row.blob),
        }
    )
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0
