"""``fairpassage law status``: the parts of the encoded law to read, for a date and a horizon."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from fairpassage.cli.base import CommandError, Subcommands
from fairpassage.law.status import law_status, status_text


def register(commands: Subcommands) -> None:
    law = commands.add_parser("law", help="the encoded law: what is open, ending or secondary")
    actions = law.add_subparsers(dest="law_command", required=True)
    status = actions.add_parser(
        "status",
        help="every parameter whose values end, are unknown or only secondary within the horizon",
    )
    status.add_argument("--on", default=None, help="the date to look from (default: today)")
    status.add_argument(
        "--horizon", type=int, default=365, help="days to look ahead (default: 365)"
    )
    status.add_argument("--json", action="store_true", help="JSON instead of text")
    status.set_defaults(handler=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    try:
        on = dt.date.fromisoformat(args.on) if args.on else dt.date.today()
    except ValueError:
        raise CommandError("--on: the date must be YYYY-MM-DD") from None
    if not 0 <= args.horizon <= 36500:
        raise CommandError("--horizon: between 0 and 36500 days")
    status = law_status(on, args.horizon)
    if args.json:
        sys.stdout.write(json.dumps(status, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(status_text(status))
    return 0  # the calendar never fails the command: the output is for people to act on
