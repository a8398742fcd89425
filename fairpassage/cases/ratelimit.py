"""Limits of the public grievance forms, counted by the one rate limiter of the project.

Limits per hour and address: ``FAIRPASSAGE_RATE_LIMITS = {"grievance": 10, "track": 60,
"message": 30}``. ``track`` counts every lookup of a tracking code, whatever asks (the tracking
page, the API's status and message operations, a consent withdrawn with the code): the lookup
itself counts it (``services.grievance_find``), so no endpoint has a limit of its own to guess
codes with. ``message`` limits, on top, how many messages one address sends.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from fairpassage.core.ratelimit import client_key, rate_limit

DEFAULT_LIMITS = {"grievance": 10, "track": 60, "message": 30}
WINDOW_SECONDS = 3600


def limit_for(scope: str) -> int:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "FAIRPASSAGE_RATE_LIMITS", {})}
    return int(limits[scope])


def code_lookup_count(*, client: str) -> None:
    """Count one tracking-code lookup from ``client``; 429 once the hour's limit is passed."""
    rate_limit(
        scope="cases-track", key=client, limit=limit_for("track"), window_seconds=WINDOW_SECONDS
    )


def rate_limit_request(request: HttpRequest, scope: str) -> None:
    """Count one request of ``scope`` from this address; 429 once the hour's limit is passed."""
    rate_limit(
        scope=f"cases-{scope}",
        key=client_key(request),
        limit=limit_for(scope),
        window_seconds=WINDOW_SECONDS,
    )
