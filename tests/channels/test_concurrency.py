"""200 concurrent webhook deliveries (100 distinct events of the three providers, each sent
twice) against the live server: every delivery answered 200, exactly one stored event and one
processing task per distinct id; then 200 concurrent processing runs answer each event once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import close_old_connections, connection
from django.test import override_settings
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django_tasks.signals import task_enqueued

from fairpassage.channels import services
from fairpassage.channels.models import ChannelAccount, ChannelEvent, EventStatus, OutboundMessage
from fairpassage.core import ratelimit
from tests.channels import payloads as p
from tests.channels.conftest import DUMMY_TASKS, EchoDialogue, _account
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

DISTINCT = 100


class WideServer(ThreadedWSGIServer):
    """The test server with a listen queue as long as a production server's: the default (5)
    resets connections beyond it, which says nothing about the application."""

    request_queue_size = 512


class WideServerThread(LiveServerThread):
    server_class = WideServer


@pytest.fixture
def server() -> Iterator[str]:
    thread = WideServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def accounts() -> dict[str, ChannelAccount]:
    ratelimit.reset()
    org = OrganisationFactory.create()
    return {name: _account(org, name) for name in ("line", "zalo", "messenger")}


@pytest.fixture
def enqueued() -> Iterator[list[str]]:
    names: list[str] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    with override_settings(TASKS=DUMMY_TASKS):
        yield names
    task_enqueued.disconnect(record)


def _delivery(n: int, accounts: dict[str, ChannelAccount]) -> tuple[str, bytes, dict[str, str]]:
    """The n-th distinct event: its address, signed body and headers."""
    provider = ("line", "zalo", "messenger")[n % 3]
    account = accounts[provider]
    if provider == "line":
        raw = p.line_body(p.line_text(f"tin {n}", event_id=f"01HC{n:04d}", user=f"U{n}"))
        headers = p.line_headers(raw)
    elif provider == "zalo":
        event = p.zalo_event("user_send_text", msg_id=f"z{n}", user=f"{n}", message={"text": "a"})
        raw = p.body(event)
        headers = p.zalo_headers(raw, timestamp=str(event["timestamp"]))
    else:
        raw = p.messenger_body(p.messenger_item(psid=f"{n}", message={"mid": f"m{n}", "text": "b"}))
        headers = p.messenger_headers(raw)
    headers["Content-Type"] = "application/json"
    return f"/channels/{provider}/{account.pk}/", raw, headers


def _workers(wanted: int) -> int:
    if connection.vendor != "postgresql":
        return wanted
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
    return max(2, min(wanted, (limit - 20) // 2))


def test_two_hundred_concurrent_deliveries_store_each_event_once(
    server: str, accounts: dict[str, ChannelAccount], enqueued: list[str]
) -> None:
    jobs = [_delivery(n, accounts) for n in range(DISTINCT) for _twice in range(2)]
    start = threading.Event()

    def send(job: tuple[str, bytes, dict[str, str]]) -> tuple[int, float]:
        path, raw, headers = job
        start.wait()
        began = time.monotonic()
        answer = requests.post(server + path, data=raw, headers=headers, timeout=60)
        return answer.status_code, time.monotonic() - began

    close_old_connections()
    with ThreadPoolExecutor(max_workers=_workers(len(jobs))) as pool:
        futures = [pool.submit(send, job) for job in jobs]
        start.set()
        results = [f.result() for f in futures]
    assert [status for status, _ in results] == [200] * len(jobs)
    assert ChannelEvent.objects.count() == DISTINCT
    assert ChannelEvent.objects.filter(status=EventStatus.PENDING).count() == DISTINCT
    assert sorted(enqueued) == ["process_event"] * DISTINCT
    slowest = max(seconds for _, seconds in results)
    print(f"200 concurrent deliveries on {connection.vendor}: slowest answer {slowest:.2f} s")

    # every stored event processed by two workers at once: each answered exactly once
    echo = EchoDialogue()
    lock = threading.Lock()

    def respond(**kwargs: Any) -> Any:
        with lock:
            return echo(**kwargs)

    def process(pk: int) -> str:
        start.wait()
        try:
            return services.event_process(event_id=pk, respond=respond)
        finally:
            connection.close()

    start.clear()
    pks = list(ChannelEvent.objects.values_list("pk", flat=True)) * 2
    close_old_connections()
    with ThreadPoolExecutor(max_workers=_workers(len(pks))) as pool:
        runs = [pool.submit(process, pk) for pk in pks]
        start.set()
        statuses = [f.result() for f in runs]
    assert sorted(set(statuses)) == ["done", "skipped"]
    assert statuses.count("done") == DISTINCT and len(echo.seen) == DISTINCT
    assert OutboundMessage.objects.count() == DISTINCT
