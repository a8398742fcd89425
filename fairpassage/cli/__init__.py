"""The ``fairpassage`` command. Each module adds its sub-commands; bad input exits with status 2.

Sub-commands that need the database start Django first; pure ones (the fee check) do not.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fairpassage import __version__
from fairpassage.cli import (
    backup,
    cases,
    channels,
    checks,
    core,
    knowledge,
    law,
    mfa,
    registry,
    surveys,
    tracker,
)
from fairpassage.cli.base import EXIT_BAD_INPUT, LANGUAGES, CommandError, Handler, default_language
from fairpassage.core.errors import ApplicationError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fairpassage",
        description="Fair Passage: fair recruitment checks for Vietnamese workers in Japan.",
    )
    parser.add_argument("--version", action="version", version=f"fairpassage {__version__}")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default_language(),
        help="language of messages and reports (default: vi, or FAIRPASSAGE_LANG)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    core.register(commands)
    backup.register(commands)
    checks.register(commands)
    law.register(commands)
    registry.register(commands)
    cases.register(commands)
    surveys.register(commands)
    knowledge.register(commands)
    tracker.register(commands)
    mfa.register(commands)
    channels.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CommandError as exc:
        sys.stderr.write(f"fairpassage: {exc}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        sys.stderr.close()
        return 0
    except ApplicationError as exc:
        field = f" [{exc.field}]" if exc.field else ""
        sys.stderr.write(f"fairpassage: {exc.rendered_message()}{field}\n")
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
