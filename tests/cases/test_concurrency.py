"""200 concurrent submissions of 100 grievances (each sent twice) make exactly 100 cases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection

from fairpassage.cases import services
from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.cases.models import Case
from fairpassage.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

GRIEVANCES = 100


def _submit(index: int, start: threading.Event) -> tuple[int, str, bool]:
    start.wait()
    try:
        case, code, created = services.grievance_submit(
            idempotency_key=f"concurrent-submission-{index:04d}",
            where_now=WhereNow.JAPAN,
            categories=[Category.WAGES],
            stage=Stage.IN_JAPAN,
            statement=f"Grievance number {index}",
        )
        return case.pk, code, created
    finally:
        connection.close()


def _workers(wanted: int) -> int:
    """As many threads as submissions, within what the database server accepts at once."""
    if connection.vendor != "postgresql":
        return wanted
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
    return max(2, min(wanted, limit - 20))


def test_two_hundred_concurrent_submissions_make_one_hundred_cases() -> None:
    jobs = [i for i in range(GRIEVANCES) for _twice in range(2)]
    start = threading.Event()
    close_old_connections()
    with ThreadPoolExecutor(max_workers=_workers(len(jobs))) as pool:
        futures = [pool.submit(_submit, i, start) for i in jobs]
        start.set()  # every thread waiting on the event leaves at once
        results = [f.result() for f in futures]
    assert Case.objects.count() == GRIEVANCES
    by_index: dict[int, set[tuple[int, str]]] = {}
    for index, (pk, code, _created) in zip(jobs, results, strict=True):
        by_index.setdefault(index, set()).add((pk, code))
    # both submissions of a grievance got the same case and the same tracking code
    assert all(len(answers) == 1 for answers in by_index.values())
    assert sum(created for _pk, _code, created in results) == GRIEVANCES
    assert AuditEvent.objects.filter(action="grievance.submit").count() == GRIEVANCES
