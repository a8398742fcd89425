"""Operator sub-commands: setup, keys, tokens, the OpenAPI schema."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.translation import gettext as _

from fairpassage.cli.base import CommandError, Subcommands, setup_django


def register(commands: Subcommands) -> None:
    setup = commands.add_parser(
        "setup", help="migrate the database, load reference data and (in development) a demo"
    )
    setup.add_argument("--no-demo", action="store_true", help="do not create demo users")
    setup.add_argument(
        "--force-reference",
        action="store_true",
        help="reload reference data even when the files have not changed",
    )
    setup.set_defaults(handler=cmd_setup)

    rotate = commands.add_parser(
        "rotate-keys", help="re-encrypt personal data with the first key of FIELD_ENCRYPTION_KEYS"
    )
    rotate.set_defaults(handler=cmd_rotate_keys)

    generate = commands.add_parser("generate-key", help="print a new field-encryption key")
    generate.set_defaults(handler=cmd_generate_key)

    token = commands.add_parser("create-token", help="issue an API token for a user (shown once)")
    token.add_argument("username")
    token.add_argument("--name", default="cli", help="a name to recognise the token by")
    token.set_defaults(handler=cmd_create_token)

    openapi = commands.add_parser("openapi", help="print the OpenAPI schema the code generates")
    openapi.add_argument(
        "--check",
        metavar="FILE",
        type=Path,
        help="exit 1 when FILE differs from the generated schema",
    )
    openapi.set_defaults(handler=cmd_openapi)


def cmd_setup(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.cases.demo import demo_create as cases_demo_create  # noqa: PLC0415
    from fairpassage.core.demo import demo_create  # noqa: PLC0415 - needs the app registry
    from fairpassage.knowledge.services import knowledge_seed_load  # noqa: PLC0415
    from fairpassage.reference.services import reference_data_load  # noqa: PLC0415
    from fairpassage.registry.demo import demo_create as registry_demo_create  # noqa: PLC0415
    from fairpassage.registry.services import help_directory_load  # noqa: PLC0415
    from fairpassage.surveys.demo import demo_create as surveys_demo_create  # noqa: PLC0415
    from fairpassage.tracker.services import tracker_seed_load  # noqa: PLC0415

    call_command("migrate", interactive=False, verbosity=0)
    print("✓ " + _("database migrated"))
    reference_data_load(
        actor=None,
        data_dir=settings.FAIRPASSAGE_DATA_DIR,
        force=args.force_reference,
        progress=lambda name, state: print(
            "✓ " + _("reference data %(name)s: %(state)s") % {"name": name, "state": state}
        ),
    )
    help_directory_load(
        data_dir=settings.FAIRPASSAGE_DATA_DIR,
        progress=lambda name, state: print(
            "✓ " + _("reference data %(name)s: %(state)s") % {"name": name, "state": state}
        ),
    )
    tracker_seed_load(
        progress=lambda name, state: print(
            "✓ " + _("consultation %(name)s: %(state)s") % {"name": name, "state": state}
        )
    )
    counts = knowledge_seed_load(progress=None)
    print(
        "✓ "
        + _("guide articles: %(n)s files, %(v)s new versions")
        % {"n": counts["files"], "v": counts["versions"]}
    )
    if args.no_demo or settings.PRODUCTION:
        return 0
    passwords = demo_create(actor=None, passwords_file=settings.VAR_DIR / "demo-users.json")
    registry_demo_create()
    cases_demo_create()
    survey = surveys_demo_create()
    if survey is not None:
        print(
            "✓ "
            + _("demo survey (generated answers, marked as demo): %(title)s")
            % {"title": survey.title}
        )
    print("\n" + _("Demo accounts (development only; passwords kept in var/demo-users.json):"))
    for username, password in passwords.items():
        print(f"  {username:<20} {password}")
    return 0


def cmd_rotate_keys(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.core.services import encrypted_fields_rotate  # noqa: PLC0415

    counts = encrypted_fields_rotate(
        actor=None, progress=lambda label, done: print(f"  {label}: {done}…", file=sys.stderr)
    )
    for label, done in counts.items():
        print(
            "✓ "
            + _("%(model)s: %(rows)d rows re-encrypted with the newest key")
            % {"model": label, "rows": done}
        )
    return 0


def cmd_generate_key(args: argparse.Namespace) -> int:
    print(Fernet.generate_key().decode("ascii"))
    return 0


def cmd_create_token(args: argparse.Namespace) -> int:
    setup_django(args.lang)
    from fairpassage.core.models import username_normalise  # noqa: PLC0415
    from fairpassage.core.services import api_token_create  # noqa: PLC0415

    names = {args.username, username_normalise(args.username)}
    user = get_user_model().objects.filter(username__in=names).first()
    if user is None:
        raise CommandError(_("username: there is no user named %(name)r") % {"name": args.username})
    _token, plaintext = api_token_create(actor=None, user=user, name=args.name)
    print(plaintext)
    return 0


def generated_openapi() -> str:
    from config.api import api  # noqa: PLC0415 - needs the app registry

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def cmd_openapi(args: argparse.Namespace) -> int:
    setup_django("en")
    generated = generated_openapi()
    if args.check is None:
        sys.stdout.write(generated)
        return 0
    committed = args.check.read_text("utf-8") if args.check.exists() else ""
    if committed == generated:
        print(f"✓ {args.check} matches the code")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            generated.splitlines(keepends=True),
            fromfile=str(args.check),
            tofile="generated",
        )
    )
    print(
        f"✗ {args.check} differs from the code: run `make openapi` and commit it", file=sys.stderr
    )
    return 1
