"""`fairpassage mfa reset USERNAME`: remove a user's second factor (a lost phone)."""

from __future__ import annotations

import argparse

from django.utils.translation import gettext as _

from fairpassage.cli.base import CommandError, Subcommands, setup_django


def register(commands: Subcommands) -> None:
    mfa = commands.add_parser("mfa", help="the second factor of staff accounts")
    sub = mfa.add_subparsers(dest="mfa_command", metavar="ACTION", required=True)
    reset = sub.add_parser(
        "reset", help="remove a user's authenticator; they enrol again at the next sign-in"
    )
    reset.add_argument("username")
    reset.set_defaults(handler=cmd_reset)


def cmd_reset(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.core.models import User  # noqa: PLC0415 - needs the app registry
    from fairpassage.mfa.services import device_reset  # noqa: PLC0415

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise CommandError(_("username: no user %(name)s") % {"name": args.username})
    existed = device_reset(actor=None, user=user)
    print(_("Second factor removed.") if existed else _("This user had no second factor."))
    return 0
