"""What every sub-command shares: the error type, the language, Django start-up."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

import django
from django.utils import translation

Handler = Callable[[argparse.Namespace], int]
Subcommands = Any  # argparse's private _SubParsersAction
LANGUAGES = ("vi", "ja", "en")
EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A one-line reason; the command exits with status 2."""


def default_language() -> str:
    for candidate in (os.environ.get("FAIRPASSAGE_LANG", ""), os.environ.get("LANG", "")):
        code = candidate[:2].lower()
        if code in LANGUAGES:
            return code
    return "vi"


def setup_django(language: str) -> None:
    """Start Django for the commands that use the database, in the given language."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    translation.activate(language)
