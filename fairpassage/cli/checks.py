"""`fairpassage check-fees FILE.json|-`: the fee-check report as JSON (pure: no database)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fairpassage import law
from fairpassage.cli.base import CommandError, Subcommands
from fairpassage.law.messages import input_error_text


def register(commands: Subcommands) -> None:
    check = commands.add_parser(
        "check-fees",
        help="check a worker's payments against the law in force on the contract date",
    )
    check.add_argument("file", help="the engagement as JSON, or - for standard input")
    check.add_argument(
        "--lang",
        dest="report_lang",
        choices=("vi", "ja", "en"),
        help="language of the report (default: the command's --lang)",
    )
    check.set_defaults(handler=cmd_check_fees)


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


def cmd_check_fees(args: argparse.Namespace) -> int:
    lang = args.report_lang or args.lang
    data = _read(args.file, lang)
    try:
        report = law.check_fees(data, lang)  # type: ignore[arg-type]
    except law.InputError as error:
        raise CommandError(f"{error.field}: {error.message(lang)}") from error
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
