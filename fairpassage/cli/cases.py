"""`fairpassage cases reminders`: claims due soon, as JSON (no personal data)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

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

    keys = sub.add_parser(
        "referral-keys", help="generate this installation's key pairs for referral packages"
    )
    keys.set_defaults(handler=_referral_keys)
    export = sub.add_parser(
        "referral-export", help="write a referral as a signed, encrypted package for a peer"
    )
    export.add_argument("referral", type=int, help="the referral's number")
    export.add_argument("--peer", required=True, help="the receiving installation's id")
    export.add_argument("--user", required=True, help="the case worker who exports it")
    export.add_argument("--out", required=True, type=Path, help="the package file to write")
    export.set_defaults(handler=_referral_export)
    imp = sub.add_parser("referral-import", help="file a received package as a new case")
    imp.add_argument("file", type=Path)
    imp.add_argument("--user", required=True, help="the case worker who imports it")
    imp.set_defaults(handler=_referral_import)


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


def _referral_keys(args: argparse.Namespace) -> int:
    from fairpassage.cases.package import keypair_generate  # noqa: PLC0415 - pure, but heavy

    keys = keypair_generate()
    print("# private: this installation's settings (keep secret)")
    print(f"REFERRAL_SIGNING_KEY={keys.signing_private_key}")
    print(f"REFERRAL_ENCRYPTION_KEY={keys.encryption_private_key}")
    print("# public: give these to the other installations for their REFERRAL_PEERS")
    print(
        json.dumps({"signing": keys.signing_public_key, "encryption": keys.encryption_public_key})
    )
    return 0


def _user(username: str) -> Any:
    from fairpassage.core.models import User  # noqa: PLC0415 - needs the app registry

    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--user: no user {username}")
    return user


def _referral_export(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.cases.models import Referral  # noqa: PLC0415
    from fairpassage.cases.transfer import referral_package_export  # noqa: PLC0415

    referral = Referral.objects.filter(pk=args.referral).first()
    if referral is None:
        raise CommandError(f"referral: no referral {args.referral}")
    data = referral_package_export(actor=_user(args.user), referral=referral, peer=args.peer)
    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(args.out)
    print(f"{args.out}: {len(data)} bytes")
    return 0


def _referral_import(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.cases.transfer import referral_package_import  # noqa: PLC0415

    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CommandError(f"{args.file}: {error.strerror}") from error
    case = referral_package_import(actor=_user(args.user), data=data)
    print(json.dumps({"case": case.pk, "reference": case.reference}))
    return 0
