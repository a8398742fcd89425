"""PostgreSQL restarted while grievances are being filed: every grievance that was acknowledged
(its tracking code returned) is still there afterwards, and filing works again.

It needs a command that restarts the test server: CI's `.ci/run` starts a throw-away cluster and
gives it in ``FAIRPASSAGE_TEST_PG_RESTART``. On SQLite (no server) the test does not apply.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
import time

import pytest
from django.db import connection

from fairpassage.cases.choices import Category, Stage, WhereNow
from fairpassage.cases.services import grievance_find, grievance_submit

RESTART = os.environ.get("FAIRPASSAGE_TEST_PG_RESTART", "")
WORKERS, PER_WORKER = 4, 40

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not RESTART,
        reason="needs PostgreSQL and FAIRPASSAGE_TEST_PG_RESTART (the PostgreSQL suite in CI)",
    ),
]


def test_no_acknowledged_grievance_is_lost_when_the_database_restarts() -> None:
    acknowledged: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def file_grievances(worker: int) -> None:
        for n in range(PER_WORKER):
            try:
                _case, code, _created = grievance_submit(
                    idempotency_key=f"restart-{worker:02d}-{n:04d}-abcdefghij",
                    where_now=WhereNow.JAPAN,
                    categories=[Category.FEES_DEBT],
                    stage=Stage.IN_JAPAN,
                    statement=f"grievance {worker}/{n}",
                )
            except Exception as error:  # the server went away: not acknowledged
                with lock:
                    failures.append(type(error).__name__)
                connection.close()
                time.sleep(0.05)
                continue
            with lock:
                acknowledged.append(code)
            time.sleep(0.01)
        connection.close()

    threads = [threading.Thread(target=file_grievances, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    restarted = subprocess.run(  # the new server must not hold our pipes open
        shlex.split(RESTART),
        cwd="/",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )
    for thread in threads:
        thread.join(timeout=300)
    assert restarted.returncode == 0
    connection.close()
    print(f"\n{len(acknowledged)} acknowledged, {len(failures)} refused during the restart")
    assert acknowledged, "no grievance was filed at all"
    for code in acknowledged:
        assert grievance_find(code=code, client="test").statement.startswith("grievance ")
    _case, code, _created = grievance_submit(
        idempotency_key="restart-after-abcdefghijkl",
        where_now=WhereNow.JAPAN,
        categories=[Category.FEES_DEBT],
        stage=Stage.IN_JAPAN,
        statement="after the restart",
    )
    assert grievance_find(code=code, client="test").statement == "after the restart"
