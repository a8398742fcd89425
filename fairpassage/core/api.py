"""Core API operations: health and the authenticated user."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest
from ninja import Router

from fairpassage.core import queue, selectors
from fairpassage.core.auth import token_auth
from fairpassage.core.errors import Unavailable
from fairpassage.core.schemas import ErrorOut, HealthOut, MembershipOut, MeOut, QueueOut

router = Router(tags=["core"])


@router.get("/health", response={200: HealthOut, 503: ErrorOut}, summary="Service health")
def health(request: HttpRequest) -> HealthOut:
    """Answers 200 when the database is reachable (503 otherwise), with the task queue's
    figures: a growing ``oldest_waiting_seconds`` or no ``workers_alive`` means no worker takes
    the work; ``failed_last_hour`` counts tasks that failed, their workers' deaths included."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        figures = queue.queue_health()
    except DatabaseError as exc:
        raise Unavailable() from exc
    return HealthOut(
        status="ok",
        database="ok",
        version=settings.FAIRPASSAGE_VERSION,
        queue=QueueOut(**dataclasses.asdict(figures)),
    )


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
