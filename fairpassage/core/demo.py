"""Demonstration organisations and users for a development machine (never in production).

Idempotent: a second run finds what the first created and changes nothing. Passwords are
random, kept in ``var/demo-users.json`` (git-ignored) and printed by ``fairpassage setup``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from fairpassage.core.models import (
    Country,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from fairpassage.core.services import Actor, membership_set, organisation_create


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    name_local: str
    kind: str
    country: str


@dataclass(frozen=True)
class DemoUser:
    username: str
    organisation: str | None
    role: str | None
    staff: bool = False


ORGANISATIONS = (
    DemoOrganisation(
        "demo-hanoi-support",
        "[Demo] Hanoi Migrant Worker Support Centre",
        "[Demo] Trung tâm Hỗ trợ Người lao động di cư Hà Nội",
        OrganisationKind.SUPPORT_ORGANISATION,
        Country.VIET_NAM,
    ),
    DemoOrganisation(
        "demo-sending-jsc",
        "[Demo] Song Hong Manpower JSC",
        "[Demo] Công ty Cổ phần Nhân lực Sông Hồng",
        OrganisationKind.SENDING_AGENCY,
        Country.VIET_NAM,
    ),
    DemoOrganisation(
        "demo-osaka-union",
        "[Demo] Osaka Migrant Workers Union",
        "[デモ] 大阪移住労働者ユニオン",
        OrganisationKind.SUPPORT_ORGANISATION,
        Country.JAPAN,
    ),
    DemoOrganisation(
        "demo-kanto-coop",
        "[Demo] Kanto Business Cooperative",
        "[デモ] 関東事業協同組合",
        OrganisationKind.SUPERVISING_ORGANISATION,
        Country.JAPAN,
    ),
)

USERS = (
    DemoUser("demo-admin", "demo-hanoi-support", Role.ORGANISATION_ADMIN),
    DemoUser("demo-caseworker", "demo-hanoi-support", Role.CASE_WORKER),
    DemoUser("demo-caseworker-jp", "demo-osaka-union", Role.CASE_WORKER),
    DemoUser("demo-analyst", "demo-hanoi-support", Role.ANALYST),
    DemoUser("demo-reviewer", "demo-osaka-union", Role.REVIEWER),
    DemoUser("demo-staff", None, None, staff=True),
)


def _passwords(path: Path) -> dict[str, str]:
    known: dict[str, str] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    changed = False
    for user in USERS:
        if user.username not in known:
            known[user.username] = secrets.token_urlsafe(12)
            changed = True
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(known, indent=2), "utf-8")
        path.chmod(0o600)
    return known


@transaction.atomic
def demo_create(*, actor: Actor, passwords_file: Path) -> dict[str, str]:
    """Create what is missing of the demo; return ``{username: password}``."""
    passwords = _passwords(passwords_file)
    for spec in ORGANISATIONS:
        if not Organisation.objects.filter(slug=spec.slug).exists():
            organisation_create(
                actor=actor,
                name=spec.name,
                name_local=spec.name_local,
                slug=spec.slug,
                kind=spec.kind,
                country=spec.country,
            )
    for spec_user in USERS:
        user, created = User.objects.get_or_create(
            username=spec_user.username,
            defaults={"is_staff": spec_user.staff, "is_superuser": spec_user.staff},
        )
        if created:
            user.set_password(passwords[spec_user.username])
            user.save()
        if spec_user.organisation and spec_user.role:
            organisation = Organisation.objects.get(slug=spec_user.organisation)
            held = Membership.objects.filter(
                user=user, organisation=organisation, role=spec_user.role
            )
            if not held.exists():
                membership_set(
                    actor=actor, user=user, organisation=organisation, role=spec_user.role
                )
    return {u.username: passwords[u.username] for u in USERS}
