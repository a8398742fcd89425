"""`fairpassage tracker seed` and `fairpassage tracker list`: the recommendation tracker."""

from __future__ import annotations

import argparse
import json
import sys

from django.utils.translation import gettext as _

from fairpassage.cli.base import CommandError, Subcommands, setup_django


def register(commands: Subcommands) -> None:
    tracker = commands.add_parser(
        "tracker", help="the recommendation tracker: load consultations, list recommendations"
    )
    sub = tracker.add_subparsers(dest="tracker_command", metavar="ACTION", required=True)
    seed = sub.add_parser(
        "seed", help="load the consultations shipped in data/consultations (safe to repeat)"
    )
    seed.set_defaults(handler=cmd_seed)
    listing = sub.add_parser("list", help="recommendations with their current status, as JSON")
    listing.add_argument("--theme", default="")
    listing.add_argument("--stakeholder", default="")
    listing.add_argument("--status", default="")
    listing.set_defaults(handler=cmd_list)


def cmd_seed(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.tracker.services import tracker_seed_load  # noqa: PLC0415 - needs Django

    tracker_seed_load(
        progress=lambda name, state: print(
            "✓ " + _("consultation %(name)s: %(state)s") % {"name": name, "state": state}
        )
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.tracker import selectors  # noqa: PLC0415 - needs Django
    from fairpassage.tracker.models import Stakeholder, Status, Theme  # noqa: PLC0415

    for name, value, allowed in (
        ("theme", args.theme, Theme.values),
        ("stakeholder", args.stakeholder, Stakeholder.values),
        ("status", args.status, Status.values),
    ):
        if value and value not in allowed:
            raise CommandError(f"--{name}: {value!r} ({', '.join(allowed)})")
    rows = [
        {
            "id": r.pk,
            "consultation": r.consultation.slug,
            "number": r.number,
            "theme": r.theme,
            "stakeholders": sorted(a.stakeholder for a in r.addressees.all()),
            "text": {lang: getattr(r, f"text_{lang}") for lang in ("vi", "ja", "en")},
            "pending_proceedings": r.pending_proceedings,
            "current_status": r.current_status,  # type: ignore[attr-defined]
            "current_status_date": (
                r.current_status_date.isoformat()  # type: ignore[attr-defined]
                if r.current_status_date  # type: ignore[attr-defined]
                else None
            ),
        }
        for r in selectors.recommendations_list(
            theme=args.theme, stakeholder=args.stakeholder, status=args.status
        )
    ]
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
