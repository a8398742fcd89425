"""Sub-commands of the surveys."""

from __future__ import annotations

from fairpassage.cli.base import Subcommands


def register(commands: Subcommands) -> None:
    """Add this app's sub-commands (none yet)."""
