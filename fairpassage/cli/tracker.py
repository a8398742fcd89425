"""Sub-commands of the recommendation tracker."""

from __future__ import annotations

from fairpassage.cli.base import Subcommands


def register(commands: Subcommands) -> None:
    """Add this app's sub-commands (none yet)."""
