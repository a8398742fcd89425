"""Core API operations: health and the authenticated user."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest
from ninja import Router

from fairpassage.core import selectors
from fairpassage.core.auth import token_auth
from fairpassage.core.errors import Unavailable
from fairpassage.core.schemas import ErrorOut, HealthOut, MembershipOut, MeOut

router = Router(tags=["core"])


@router.get("/health", response={200: HealthOut, 503: ErrorOut}, summary="Service health")
def health(request: HttpRequest) -> HealthOut:
    """Answers 200 when the database is reachable; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        raise Unavailable() from exc
    return HealthOut(status="ok", database="ok", version=settings.FAIRPASSAGE_VERSION)


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    auth=token_auth,
    summary="The user behind the token",
)
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.get_username(),
        platform_staff=selectors.is_platform_staff(user),
        memberships=[
            MembershipOut(
                organisation=m.organisation.slug, organisation_name=m.organisation.name, role=m.role
            )
            for m in selectors.memberships_of(user=user)
        ],
    )
