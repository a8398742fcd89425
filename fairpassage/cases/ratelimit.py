"""A small rate limiter for the public forms, counted in the database (shared by every process).

The client is known only by a keyed hash of its address; windows are fixed (one hour by default).
Limits: ``FAIRPASSAGE_RATE_LIMITS = {"grievance": 10, "track": 60}`` per window.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fairpassage.cases.models import RateBucket
from fairpassage.core import crypto
from fairpassage.core.errors import ApplicationError

DEFAULT_LIMITS = {"grievance": 10, "track": 60, "message": 30}
WINDOW_SECONDS = 3600


class TooManyRequests(ApplicationError):
    code = "rate_limited"
    status = 429
    default_message = _(
        "Too many requests from your connection. Please wait an hour and try again."
    )


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client address (``REMOTE_ADDR``, as the server saw it)."""
    return crypto.keyed_hash(str(request.META.get("REMOTE_ADDR", "")), purpose="rate-limit")


def limit_for(scope: str) -> int:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "FAIRPASSAGE_RATE_LIMITS", {})}
    return int(limits[scope])


def rate_limit_hit(*, scope: str, key_hash: str) -> None:
    """Count one request; raise :class:`TooManyRequests` once the window's limit is passed."""
    window = int(time.time() // WINDOW_SECONDS)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                bucket, _created = RateBucket.objects.get_or_create(
                    scope=scope, key_hash=key_hash, window=window
                )
                RateBucket.objects.filter(pk=bucket.pk).update(count=F("count") + 1)
                count = RateBucket.objects.values_list("count", flat=True).get(pk=bucket.pk)
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three collisions in a row
        count = limit_for(scope) + 1
    if count == 1:
        RateBucket.objects.filter(window__lt=window - 24).delete()
    if count > limit_for(scope):
        raise TooManyRequests()


def rate_limit_request(request: HttpRequest, scope: str) -> None:
    rate_limit_hit(scope=scope, key_hash=client_key(request))
