"""A small scene for the staff pages of the registry agency and referral packages, and a
permission-matrix runner (same visitors and expectations as tests/cases/test_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fairpassage.cases.choices import Part
from fairpassage.cases.models import Case, Consent, Referral
from fairpassage.core.models import User
from tests.cases.conftest import World, file_grievance
from tests.cases.test_permissions import VISITORS, refer
from tests.factories import login_verified

SHARED: list[str] = [Part.STATEMENT, Part.NOTES]


@dataclass
class Scene:
    """Case ``a`` of vn, referred to jp with the worker's consent and accepted there."""

    world: World
    a: Case
    consent: Consent
    referral: Referral | None


def scene_build(world: World) -> Scene:
    case, _code = file_grievance(agency_name="Cty Sao Mai")
    consent, referral = refer(world, case, SHARED)
    return Scene(world, case, consent, referral)


def visitor_user(world: World, visitor: str) -> User | None:
    return None if visitor == "anonymous" else world.users[visitor]


def statuses(
    world: World, request: Callable[[Client], Any], visitors: list[str] = VISITORS
) -> dict[str, int]:
    """The status each visitor gets from ``request(client)``, signed in with the second
    factor."""
    seen: dict[str, int] = {}
    for visitor in visitors:
        client = Client()
        user = visitor_user(world, visitor)
        if user is not None:
            login_verified(client, user)
        seen[visitor] = request(client).status_code
    return seen


def upload(client: Client, url: str, data: bytes, name: str = "referral.json") -> Any:
    """POST ``data`` as the package file of the import form."""
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


__all__ = ["SHARED", "VISITORS", "Scene", "scene_build", "statuses", "upload", "visitor_user"]
