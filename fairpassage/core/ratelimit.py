"""One rate limiter for every public form, search and login: fixed windows in the database.

Each hit is one statement, an upsert that returns the new count, so every application server
shares the counts and a hit costs one round trip. The key is hashed with the field-hash key: the
table never holds an address in clear. Counters of past windows are deleted now and then.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from fairpassage.core.crypto import keyed_hash
from fairpassage.core.errors import TooManyRequests
from fairpassage.core.models import RateCounter

# About one new counter in this many also deletes the counters of windows that have ended.
CLEANUP_ONE_IN = 50


def client_key(request: HttpRequest) -> str:
    """The client's address (the proxy's ``REMOTE_ADDR``; see docs/deployment.md)."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def _upsert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(RateCounter._meta.db_table)
    column = {f.name: quote(f.column or f.name) for f in RateCounter._meta.concrete_fields}
    key, hits, expires = column["key"], column["hits"], column["expires_at"]
    # The same statement on SQLite (3.35 and later) and PostgreSQL; only quoted names of our
    # own model are formatted in, every value is a parameter.
    return (
        f"INSERT INTO {table} ({key}, {hits}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {hits} = {table}.{hits} + 1 "
        f"RETURNING {hits}"
    )


def hits(*, scope: str, key: str, window_seconds: int) -> int:
    """Count one hit for ``key`` in ``scope`` and return the hits in the current window."""
    now = time.time()
    window = int(now) // window_seconds
    counter = f"{scope}:{window}:{keyed_hash(key, purpose='rate-limit')[:32]}"
    expires = dt.datetime.fromtimestamp((window + 1) * window_seconds, tz=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [counter, connection.ops.adapt_datetimefield_value(expires)])
        row = cursor.fetchone()
    count = int(row[0])
    if count == 1 and random.randrange(CLEANUP_ONE_IN) == 0:  # noqa: S311 - not a secret
        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


def rate_limit(*, scope: str, key: str, limit: int, window_seconds: int) -> None:
    """Raise :class:`TooManyRequests` (HTTP 429) once ``key`` exceeds ``limit`` in the window."""
    if hits(scope=scope, key=key, window_seconds=window_seconds) > limit:
        raise TooManyRequests()


def reset() -> None:
    """Forget every count (tests, and an operator lifting limits after an incident)."""
    RateCounter.objects.all().delete()
