"""Demonstration agencies for a development machine: two lists, the second revoking a licence.

Idempotent (imports are); never run in production.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fairpassage.registry.imports import agencies_import

DEMO_LIST = Path(__file__).with_name("demo_agencies.csv")
REVOKED = "903/LĐTBXH-GP"


def demo_create() -> None:
    data = DEMO_LIST.read_bytes()
    agencies_import(actor=None, data=data, filename=DEMO_LIST.name, as_of=dt.date(2024, 1, 1))
    later = data.replace(f"{REVOKED},active".encode(), f"{REVOKED},revoked".encode())
    agencies_import(actor=None, data=later, filename=DEMO_LIST.name, as_of=dt.date(2026, 6, 1))
