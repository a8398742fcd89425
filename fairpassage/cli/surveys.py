"""`fairpassage sdg1071`: SDG indicator 10.7.1 of a survey table, as JSON (no database needed).
`fairpassage survey-import` (in ``survey_import``) imports exports into a stored survey.

``--by sex,programme`` gives two breakdowns; ``--by sex+programme`` crosses the two columns.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fairpassage.cli import survey_import
from fairpassage.cli.base import CommandError, Subcommands
from fairpassage.stats.messages import input_error_text
from fairpassage.stats.prepare import Currency
from fairpassage.stats.sdg import DEFAULT_MIN_CELL, indicator
from fairpassage.stats.tables import TableError, read_table, require_columns


def register(commands: Subcommands) -> None:
    sub = commands.add_parser(
        "sdg1071",
        help="SDG 10.7.1: recruitment cost as months of first-month earnings, by group (JSON)",
    )
    sub.add_argument("file", help="the survey table, FILE.csv (UTF-8) or FILE.xlsx (first sheet)")
    sub.add_argument("--cost", required=True, metavar="COL", help="column of the total cost")
    sub.add_argument(
        "--earnings", required=True, metavar="COL", help="column of the first month's earnings"
    )
    sub.add_argument("--weight", metavar="COL", help="column of the survey weight")
    sub.add_argument(
        "--by",
        default="",
        metavar="COL,...",
        help="breakdowns, comma-separated; join columns with + to cross them (sex+programme)",
    )
    sub.add_argument(
        "--min-cell",
        type=int,
        default=DEFAULT_MIN_CELL,
        metavar="N",
        help=f"suppress groups with fewer than N people (default {DEFAULT_MIN_CELL})",
    )
    sub.add_argument("--currency", metavar="CODE", help="convert amounts to this currency")
    sub.add_argument("--cost-currency", metavar="COL", help="column of the cost's currency code")
    sub.add_argument(
        "--earnings-currency", metavar="COL", help="column of the earnings' currency code"
    )
    sub.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="CODE=X",
        help="survey rate: X units of --currency per 1 CODE (repeatable)",
    )
    sub.add_argument("--cost-rate", metavar="COL", help="column of a per-row rate for the cost")
    sub.add_argument(
        "--earnings-rate", metavar="COL", help="column of a per-row rate for the earnings"
    )
    sub.add_argument(
        "--exclude-zero-cost",
        action="store_true",
        help="leave out people who paid nothing (as some pilots did); default keeps them as 0",
    )
    sub.add_argument(
        "--lang",
        dest="report_lang",
        choices=("vi", "ja", "en"),
        help="language of the reasons (default: the command's --lang)",
    )
    sub.set_defaults(handler=run)
    survey_import.register(commands)


def _breakdowns(text: str) -> list[list[str]]:
    return [
        [col.strip() for col in part.split("+") if col.strip()]
        for part in text.split(",")
        if part.strip()
    ]


def _currency(args: argparse.Namespace, lang: str) -> Currency | None:
    rates: dict[str, float] = {}
    for item in args.rate:
        code, _, value = item.partition("=")
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if not code.strip() or not rate > 0:
            raise CommandError(f"--rate: {input_error_text('rate', lang, {'detail': item})}")
        rates[code.strip().upper()] = rate
    uses = args.cost_currency or args.earnings_currency or rates
    if not uses:
        return None
    if not args.currency:
        raise CommandError(f"--currency: {input_error_text('target_currency', lang, {})}")
    return Currency(
        target=args.currency.strip().upper(),
        cost_currency=args.cost_currency,
        earnings_currency=args.earnings_currency,
        rates=rates,
        cost_rate=args.cost_rate,
        earnings_rate=args.earnings_rate,
    )


def run(args: argparse.Namespace) -> int:
    lang = args.report_lang or args.lang
    if args.min_cell < 1:
        raise CommandError(f"--min-cell: {input_error_text('min_cell', lang, {})}")
    path = Path(args.file)
    currency = _currency(args, lang)
    by = _breakdowns(args.by)
    try:
        table = read_table(path)
        columns = [args.cost, args.earnings, args.weight, *(c for cols in by for c in cols)]
        require_columns(table, [*columns, *(currency.columns() if currency else [])], path.name)
    except TableError as error:
        raise CommandError(error.message(lang)) from error
    report = indicator(
        table,
        cost=args.cost,
        earnings=args.earnings,
        weight=args.weight,
        by=by,
        min_cell=args.min_cell,
        currency=currency,
        exclude_zero_cost=args.exclude_zero_cost,
        lang=lang,
    )
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
