"""`fairpassage check-fees` and `fairpassage earnings`: the law engine's JSON reports.

Both are pure: they read a JSON file (or ``-`` for standard input) and need no database.
`fairpassage batch-purge` keeps the folder of the web pages' batch audits (docs/batch.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fairpassage import law
from fairpassage.cli.base import CommandError, Subcommands, setup_django
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
        batch = name == "check-fees"
        sub.add_argument(
            "file",
            nargs="?" if batch else None,
            help="the input as JSON, or - for standard input",
        )
        sub.add_argument(
            "--lang",
            dest="report_lang",
            choices=("vi", "ja", "en"),
            help="language of the report (default: the command's --lang)",
        )
        handler = _handler(engine)
        if batch:
            _add_batch_options(sub)
            handler = _with_batch(handler)
        sub.set_defaults(handler=handler)
    purge = commands.add_parser(
        "batch-purge",
        help="batch audits of the web pages: mark dead runs failed, delete tables older than "
        "BATCH_AUDIT_RETENTION_DAYS, re-encrypt the others with the newest key",
    )
    purge.set_defaults(handler=cmd_batch_purge)


def cmd_batch_purge(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.checks.batch_services import batch_audits_purge  # noqa: PLC0415

    counts = batch_audits_purge()
    print(json.dumps(counts, sort_keys=True))
    return 0


def _add_batch_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--batch",
        metavar="IN",
        help="check many engagements: a folder with engagements and payments tables "
        "(.parquet or .csv; columns in docs/batch.md) instead of one JSON file",
    )
    sub.add_argument(
        "--out",
        metavar="OUT",
        help="with --batch: the folder to create with findings, engagements, agencies and "
        "errors tables and manifest.json (written whole or not at all)",
    )
    sub.add_argument(
        "--format",
        choices=("parquet", "csv"),
        default="parquet",
        help="with --batch: the format of the result tables (default: parquet)",
    )


def _progress(stage: str, fraction: float) -> None:
    sys.stderr.write(f"[{fraction:4.0%}] {stage}\n")
    sys.stderr.flush()


def _with_batch(single: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        if args.batch is None:
            if args.file is None:
                raise CommandError("file: give a JSON file, or --batch IN --out OUT")
            return single(args)
        if args.file is not None:
            raise CommandError("file: give either a JSON file or --batch, not both")
        if not args.out:
            raise CommandError("--out: required with --batch")
        return _run_batch(
            Path(args.batch), Path(args.out), args.format, args.report_lang or args.lang
        )

    return run


def _run_batch(source: Path, out: Path, fmt: str, lang: str) -> int:
    from fairpassage.law.batch import run_batch  # noqa: PLC0415 (Polars only when needed)
    from fairpassage.law.batch_io import BatchFileError  # noqa: PLC0415

    try:
        result = run_batch(source, out, fmt=fmt, lang=lang, progress=_progress)
    except BatchFileError as error:
        raise CommandError(str(error)) from error
    stats = result.stats
    sys.stderr.write(
        f"{stats['checked']} engagements checked ({stats['single_path']} by the single check), "
        f"{stats['input_errors']} input errors, {stats['seconds']} s -> {out}\n"
    )
    json.dump(stats, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


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
