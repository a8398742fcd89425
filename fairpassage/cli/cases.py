"""`fairpassage cases reminders`: claims due soon, as JSON (no personal data)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from fairpassage.cli.base import CommandError, Subcommands, setup_django


def register(commands: Subcommands) -> None:
    cases = commands.add_parser("cases", help="grievances and cases")
    sub = cases.add_subparsers(dest="cases_command", required=True)
    reminders = sub.add_parser(
        "reminders", help="list open claims due within N days (and overdue ones) as JSON"
    )
    reminders.add_argument("--days", type=int, default=30, help="how far ahead (default 30)")
    reminders.add_argument("--today", help="the day to count from, YYYY-MM-DD (default today)")
    reminders.set_defaults(handler=_reminders)


def _reminders(args: argparse.Namespace) -> int:
    if args.days < 0:
        raise CommandError("--days: give a number of days, 0 or more")
    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError as error:
        raise CommandError("--today: give the date as YYYY-MM-DD") from error
    setup_django(args.lang)
    from django.utils import timezone  # noqa: PLC0415 - needs the app registry

    from fairpassage.cases.selectors import claims_due  # noqa: PLC0415

    due = claims_due(within_days=args.days, today=today or timezone.localdate())
    json.dump({"days": args.days, "claims": due}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
