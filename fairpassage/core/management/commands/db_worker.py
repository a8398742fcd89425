"""``manage.py db_worker``: the task queue's worker (``django-tasks-db``) with a sign of life.

The library's worker claims and runs the tasks; this command adds what it lacks for a worker
that may be killed: it registers the process (``core.TaskWorker``), stamps a heartbeat every
``TASK_WORKER_HEARTBEAT_SECONDS`` from a small side thread (which runs no task), and runs the
recovery sweep (``core.queue.tasks_recover``) when it starts and every ``TASK_SWEEP_SECONDS``,
so a task left "running" by a worker that died is marked failed with the reason. The options
are the library's (``--interval``, ``--queue-name``, ``--no-reload`` ...).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from fairpassage.core import queue, requestid

log = logging.getLogger("fairpassage.core.worker")


class SignOfLife:
    """The worker's heartbeat and periodic recovery sweep, beside the worker loop."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="task-worker-heartbeat", daemon=True)

    def _run(self) -> None:
        next_sweep = time.monotonic() + settings.TASK_SWEEP_SECONDS
        try:
            while not self.stopped.wait(settings.TASK_WORKER_HEARTBEAT_SECONDS):
                try:
                    queue.worker_beat(worker_id=self.worker_id)
                    if time.monotonic() >= next_sweep:
                        next_sweep = time.monotonic() + settings.TASK_SWEEP_SECONDS
                        queue.tasks_recover()
                except Exception:  # the worker goes on; a missed beat only looks stale later
                    log.exception("worker %s: heartbeat or sweep failed", self.worker_id)
        finally:
            connection.close()

    def __enter__(self) -> SignOfLife:
        queue.worker_register(worker_id=self.worker_id)
        lost = queue.tasks_recover()
        if lost:
            log.warning(
                "worker %s: %d task(s) of stopped workers marked failed", self.worker_id, lost
            )
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        try:
            queue.worker_stop(worker_id=self.worker_id)
        except Exception:
            log.exception("worker %s: could not record its stop", self.worker_id)


class Worker(db_worker.Worker):
    def run(self) -> None:
        with SignOfLife(self.worker_id):
            super().run()

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        """Run the task under the request id of the request that queued it (every log line)."""
        kwargs = db_task_result.args_kwargs.get("kwargs", {})
        with requestid.bound(str(kwargs.get("request_id", ""))):
            super().run_task(db_task_result)


class Command(db_worker.Command):
    help = "Run a task worker (the task queue's database worker, with heartbeat and recovery)"

    def handle(  # the library's, with our Worker
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloader's child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
