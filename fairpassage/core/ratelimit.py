"""One rate limiter for every public form, search and login: fixed windows in the cache.

The key is hashed with the field-hash key, so the cache never holds an address in clear. With
several application servers, configure a shared cache (``CACHES``); the default local-memory
cache limits each process on its own.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from fairpassage.core.crypto import keyed_hash
from fairpassage.core.errors import TooManyRequests


def client_key(request: HttpRequest) -> str:
    """The client's address (the proxy's ``REMOTE_ADDR``; see docs/deployment.md)."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def hits(*, scope: str, key: str, window_seconds: int) -> int:
    """Count one hit for ``key`` in ``scope`` and return the hits in the current window."""
    window = int(time.time()) // window_seconds
    cache_key = f"rl:{scope}:{window}:{keyed_hash(key, purpose='rate-limit')[:32]}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return 1
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return 1


def rate_limit(*, scope: str, key: str, limit: int, window_seconds: int) -> None:
    """Raise :class:`TooManyRequests` (HTTP 429) once ``key`` exceeds ``limit`` in the window."""
    if hits(scope=scope, key=key, window_seconds=window_seconds) > limit:
        raise TooManyRequests()
