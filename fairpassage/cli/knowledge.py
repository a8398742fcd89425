"""Sub-commands of the worker's guide: load the articles, refresh review flags, search."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fairpassage.cli.base import CommandError, Subcommands, setup_django


def register(commands: Subcommands) -> None:
    guide = commands.add_parser("guide", help="the worker's guide: load articles, flags, search")
    actions = guide.add_subparsers(dest="guide_command", required=True)

    load = actions.add_parser("load", help="load the article files (new versions when changed)")
    load.add_argument(
        "--dir", type=Path, default=None, help="a folder of article files (default: the seed)"
    )
    load.set_defaults(handler=cmd_load)

    flags = actions.add_parser(
        "review-flags", help="flag the articles whose cited law parameters changed"
    )
    flags.set_defaults(handler=cmd_review_flags)

    find = actions.add_parser("search", help="search the articles (JSON out)")
    find.add_argument("text")
    find.add_argument(
        "--in", dest="guide_lang", default=None, choices=("vi", "ja", "en", "ja-easy")
    )
    find.set_defaults(handler=cmd_search)


def cmd_load(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.knowledge.content import ContentError  # noqa: PLC0415 - needs Django
    from fairpassage.knowledge.services import knowledge_seed_load  # noqa: PLC0415

    if args.dir is not None and not args.dir.is_dir():
        raise CommandError(f"--dir: {args.dir} is not a folder")
    try:
        counts = knowledge_seed_load(
            directory=args.dir, progress=lambda slug, state: print(f"{state:<10} {slug}")
        )
    except ContentError as error:
        raise CommandError(str(error)) from error
    print(json.dumps(counts))
    return 0


def cmd_review_flags(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.knowledge.services import articles_review_flags_refresh  # noqa: PLC0415

    flagged = articles_review_flags_refresh()
    print(json.dumps({"flagged": flagged}))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.knowledge import selectors  # noqa: PLC0415

    found = selectors.articles_search(query=args.text, language=args.guide_lang or args.lang)
    out = [{"slug": r.article.slug, "language": r.shown, "title": r.version.title} for r in found]
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
