"""The task queue around Django's tasks framework (``django-tasks``, database backend).

Every piece of background work is a ``@task`` in ``<app>/tasks.py`` and runs in a worker
process (``manage.py db_worker``), never in a thread of a web process. This module holds what
the tasks share:

- ``enqueue_on_commit``: queue a task once the current transaction commits (a rolled-back write
  queues nothing), passing the request id so the worker's log lines carry it;
- ``on_failure``: each task names the function that marks its domain object failed when the
  task ends without finishing (it raised, or its worker died);
- the workers' sign of life (``worker_register``, ``worker_beat``, ``worker_stop``) and the
  recovery sweep (``tasks_recover``): a task still "running" whose worker is gone (its process
  ended on this machine, or it gave no sign of life for ``TASK_WORKER_STALE_SECONDS``) is marked
  failed with the reason, and its domain object too, so the user sees it and can restart it.
  The workers run the sweep when they start and every ``TASK_SWEEP_SECONDS``; pages that show
  background work run it too, so the state is right even while no worker runs;
- ``queue_health``: the figures of ``/api/health`` and of the staff page.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from fairpassage.core import requestid
from fairpassage.core.models import TaskWorker

log = logging.getLogger(__name__)

#: ``failure(kwargs, reason)``: marks the task's domain object failed if it is still active.
FailureHandler = Callable[[dict[str, Any], str], None]
_FAILURE_HANDLERS: dict[str, FailureHandler] = {}
#: The exception recorded on a task whose worker died (the task result's exception class).
WORKER_LOST = "fairpassage.core.queue.WorkerLost"
WORKER_LOST_REASON = "worker_lost"
TASK_ERROR_REASON = "error"
#: How long the row of a worker that stopped or went silent is kept (the staff page lists it).
WORKER_ROWS_KEPT = dt.timedelta(days=7)


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished."""


def this_host() -> str:
    return socket.gethostname()


def this_runner() -> str:
    """``host:pid`` of this process, as a run records its owner."""
    return f"{this_host()}:{os.getpid()}"


# --- queueing --------------------------------------------------------------------------------


def enqueue_on_commit(task: Task[..., Any], **kwargs: Any) -> None:
    """Queue ``task(**kwargs)`` once the current transaction commits, with the request id."""
    kwargs.setdefault("request_id", requestid.current())
    transaction.on_commit(lambda: task.enqueue(**kwargs))


def on_failure(task: Task[..., Any]) -> Callable[[FailureHandler], FailureHandler]:
    """Register the function that marks ``task``'s domain object failed (decorator)."""

    def register(handler: FailureHandler) -> FailureHandler:
        _FAILURE_HANDLERS[task.module_path] = handler
        return handler

    return register


def _handler(task_path: str) -> FailureHandler | None:
    if task_path not in _FAILURE_HANDLERS:
        try:
            import_string(task_path)  # importing the task's module registers its handler
        except ImportError:
            return None
    return _FAILURE_HANDLERS.get(task_path)


def task_failed(*, task_path: str, kwargs: dict[str, Any], reason: str) -> None:
    """Tell the task's domain that it ended without finishing (``reason``: ``worker_lost`` or
    ``error``). A handler that fails is logged: the sweep goes on with the other tasks."""
    handler = _handler(task_path)
    if handler is None:
        return
    try:
        with requestid.bound(str(kwargs.get("request_id", ""))):
            handler(kwargs, reason)
    except Exception:
        log.exception("marking the object of task %s failed did not work", task_path)


# --- workers' sign of life -------------------------------------------------------------------


def worker_register(*, worker_id: str) -> TaskWorker:
    now = timezone.now()
    worker, _created = TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": this_host(),
            "pid": os.getpid(),
            "started_at": now,
            "beat_at": now,
            "stopped_at": None,
        },
    )
    return worker


def worker_beat(*, worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).update(beat_at=timezone.now())


def worker_stop(*, worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(seconds=settings.TASK_WORKER_STALE_SECONDS)


def worker_gone(worker: TaskWorker | None, *, now: dt.datetime) -> bool:
    """Whether a worker is certainly gone: stopped, its process ended on this machine, or
    silent for longer than ``TASK_WORKER_STALE_SECONDS``."""
    if worker is None:
        return True
    if worker.stopped_at is not None:
        return True
    if worker.host == this_host() and not process_alive(worker.pid):
        return True
    return worker.beat_at < stale_before(now)


def runner_last_beat(runner: str) -> dt.datetime | None:
    """The last sign of life of the worker process ``host:pid``, if it is a worker."""
    host, _sep, pid = runner.rpartition(":")
    if not host or not pid.isdigit():
        return None
    return (
        TaskWorker.objects.filter(host=host, pid=int(pid))
        .order_by("-started_at")
        .values_list("beat_at", flat=True)
        .first()
    )


# --- the recovery sweep ----------------------------------------------------------------------


def tasks_recover(*, now: dt.datetime | None = None) -> int:
    """Mark failed every running task whose worker is gone, and its domain object; the number.

    A task is never run twice by itself: its domain object shows "failed" with the reason and
    the user starts it again (a task that kills its worker would otherwise loop for ever).
    """
    now = now or timezone.now()
    TaskWorker.objects.filter(beat_at__lt=now - WORKER_ROWS_KEPT).delete()
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING))
    if not running:
        return 0
    ids = {r.worker_ids[-1] for r in running if r.worker_ids}
    workers = {w.worker_id: w for w in TaskWorker.objects.filter(worker_id__in=ids)}
    lost = 0
    for result in running:
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        worker = workers.get(worker_id)
        if worker is None and result.started_at and result.started_at >= stale_before(now):
            continue  # a worker that has not registered yet: give it the stale period
        if not worker_gone(worker, now=now):
            continue
        where = f"{worker.host}:{worker.pid}" if worker else worker_id or "unknown"
        changed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_LOST,
            traceback=f"WorkerLost: the worker {where} stopped before the task finished\n",
        )
        if changed:
            lost += 1
            log.warning("task %s (%s): its worker %s stopped", result.pk, result.task_path, where)
            task_failed(
                task_path=result.task_path,
                kwargs=dict(result.args_kwargs.get("kwargs", {})),
                reason=WORKER_LOST_REASON,
            )
    return lost


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueHealth:
    waiting: int
    running: int
    oldest_waiting_seconds: float
    failed_last_hour: int
    workers_alive: int


def queue_health(*, now: dt.datetime | None = None) -> QueueHealth:
    now = now or timezone.now()
    ready = DBTaskResult.objects.ready()
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=now - dt.timedelta(hours=1)
    ).count()
    alive = TaskWorker.objects.filter(stopped_at__isnull=True, beat_at__gte=stale_before(now))
    return QueueHealth(
        waiting=ready.count(),
        running=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        oldest_waiting_seconds=round(max(0.0, (now - oldest).total_seconds()), 1)
        if oldest
        else 0.0,
        failed_last_hour=failed,
        workers_alive=alive.count(),
    )


def _on_task_finished(sender: object, task_result: Any, **kwargs: Any) -> None:
    """A task that raised (in a worker, or inline in tests): its domain object must not stay
    "running". Connected to the task framework's ``task_finished`` in ``CoreConfig.ready``."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    task_failed(
        task_path=task_result.task.module_path,
        kwargs=dict(task_result.kwargs),
        reason=TASK_ERROR_REASON,
    )


def task_lost(*, task: Task[..., Any], since: dt.datetime, **match: Any) -> bool:
    """Whether the task for an object still waiting or running is gone: the object is older
    than the stale period and no task with these keyword arguments waits or runs. This happens
    after a restore (the queue's tables are not in backups) or if queuing failed after the
    commit. False with a backend that keeps no tasks (inline in tests)."""
    if not isinstance(task.get_backend(), DatabaseBackend) or since >= stale_before():
        return False
    lookup = {f"args_kwargs__kwargs__{key}": value for key, value in match.items()}
    return not DBTaskResult.objects.filter(
        task_path=task.module_path,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
        **lookup,
    ).exists()
