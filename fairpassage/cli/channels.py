"""`fairpassage channels-purge` and `fairpassage channels-retry`: the chat channels' upkeep."""

from __future__ import annotations

import argparse
import json

from fairpassage.cli.base import Subcommands, setup_django


def register(commands: Subcommands) -> None:
    purge = commands.add_parser(
        "channels-purge",
        help="delete chat text, events and idle conversations older than CHANNEL_RETENTION_DAYS",
    )
    purge.set_defaults(handler=cmd_purge)
    retry = commands.add_parser(
        "channels-retry", help="send again the chat messages whose back-off has passed"
    )
    retry.set_defaults(handler=cmd_retry)


def cmd_purge(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.channels.services import channel_purge  # noqa: PLC0415

    print(json.dumps(channel_purge(), sort_keys=True))
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.channels.services import outbound_retry_due  # noqa: PLC0415

    print(json.dumps({"tried": outbound_retry_due()}))
    return 0
