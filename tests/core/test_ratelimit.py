"""The one rate limiter: one upsert per hit, shared by every server, no address in clear."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fairpassage.core import ratelimit
from fairpassage.core.errors import TooManyRequests
from fairpassage.core.models import RateCounter


@pytest.mark.django_db
def test_hits_count_per_client_and_scope() -> None:
    assert [ratelimit.hits(scope="s", key="10.0.0.1", window_seconds=3600) for _ in range(3)] == [
        1,
        2,
        3,
    ]
    assert ratelimit.hits(scope="s", key="10.0.0.2", window_seconds=3600) == 1
    assert ratelimit.hits(scope="other", key="10.0.0.1", window_seconds=3600) == 1


@pytest.mark.django_db
def test_the_limit_refuses_the_hit_after_it() -> None:
    for _ in range(4):
        ratelimit.rate_limit(scope="form", key="192.0.2.7", limit=4, window_seconds=60)
    with pytest.raises(TooManyRequests):
        ratelimit.rate_limit(scope="form", key="192.0.2.7", limit=4, window_seconds=60)


@pytest.mark.django_db
def test_a_hit_is_one_statement() -> None:
    ratelimit.hits(scope="s", key="198.51.100.1", window_seconds=3600)
    with CaptureQueriesContext(connection) as queries:
        assert ratelimit.hits(scope="s", key="198.51.100.1", window_seconds=3600) == 2
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db
def test_the_table_never_holds_the_address() -> None:
    ratelimit.hits(scope="s", key="203.0.113.99", window_seconds=3600)
    (counter,) = RateCounter.objects.all()
    assert "203.0.113.99" not in counter.key
    assert counter.expires_at > timezone.now()


@pytest.mark.django_db
def test_counters_of_ended_windows_are_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    RateCounter.objects.create(key="old:1:x", hits=9, expires_at=timezone.now().replace(year=2000))
    monkeypatch.setattr(ratelimit, "CLEANUP_ONE_IN", 1)
    ratelimit.hits(scope="s", key="198.51.100.2", window_seconds=3600)
    assert not RateCounter.objects.filter(key="old:1:x").exists()
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_all_counted() -> None:
    start = threading.Event()

    def hit(_: int) -> int:
        start.wait()
        try:
            return ratelimit.hits(scope="burst", key="192.0.2.50", window_seconds=3600)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(hit, i) for i in range(40)]
        start.set()
        counts = sorted(f.result() for f in futures)
    assert counts == list(range(1, 41))
