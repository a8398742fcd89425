"""`fairpassage check-fees` and `fairpassage earnings`: the law engine's JSON reports.

Both are pure: they read a JSON file (or ``-`` for standard input) and need no database.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fairpassage import law
from fairpassage.cli.base import CommandError, Subcommands
from fairpassage.law.messages import input_error_text

Engine = Callable[[Any, str], dict[str, Any]]


def register(commands: Subcommands) -> None:
    for name, engine, help_text in (
        (
            "check-fees",
            law.check_fees,
            "check a worker's payments against the law in force on the contract date",
        ),
        (
            "earnings",
            law.plan_earnings,
            "plan net pay in Japan after deductions and the months needed to repay the debt",
        ),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("file", help="the input as JSON, or - for standard input")
        sub.add_argument(
            "--lang",
            dest="report_lang",
            choices=("vi", "ja", "en"),
            help="language of the report (default: the command's --lang)",
        )
        sub.set_defaults(handler=_handler(engine))


def _read(name: str, lang: str) -> object:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text("utf-8")
    except OSError as error:
        raise CommandError(f"{name}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"(input): {input_error_text('json', lang, {'line': 1})}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        detail = input_error_text("json", lang, {"line": error.lineno})
        raise CommandError(f"(input): {detail}") from error


def _handler(engine: Engine) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        lang = args.report_lang or args.lang
        data = _read(args.file, lang)
        try:
            report = engine(data, lang)
        except law.InputError as error:
            raise CommandError(f"{error.field}: {error.message(lang)}") from error
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0

    return run
