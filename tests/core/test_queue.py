"""Issue 17, items 1, 3 and 7: background work through the queue, the recovery sweep, the queue
in ``/api/health`` and on the staff page, and the request id across web and worker."""

from __future__ import annotations

import copy
import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.checks import batch_services
from fairpassage.checks.models import BatchAudit
from fairpassage.checks.tasks import batch_audit_run
from fairpassage.core import queue, requestid
from fairpassage.core import services as core_services
from fairpassage.core.management.commands.db_worker import Worker
from fairpassage.core.models import Organisation, Role, TaskWorker, User
from fairpassage.law.batch_io import frames_from_inputs
from tests.checks.conftest import EXAMPLE
from tests.factories import OrganisationFactory, UserFactory, login_verified

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _private_folder(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.BATCH_AUDIT_DIR = tmp_path / "batch"


def _analyst() -> tuple[User, Organisation]:
    organisation = OrganisationFactory.create()
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.ANALYST
    )
    return user, organisation


def _start(user: User, organisation: Organisation, *, background: bool = True) -> BatchAudit:
    engagements, payments = frames_from_inputs([("E1", "A1", copy.deepcopy(EXAMPLE))])
    return batch_services.batch_audit_start(
        actor=user,
        organisation=organisation,
        engagements=SimpleUploadedFile("e.csv", engagements.write_csv().encode()),
        payments=SimpleUploadedFile("p.csv", payments.write_csv().encode()),
        language="en",
        background=background,
    )


def _worker(worker_id: str, *, host: str, pid: int, beat_ago: float) -> TaskWorker:
    now = timezone.now()
    return TaskWorker.objects.create(
        worker_id=worker_id,
        host=host,
        pid=pid,
        started_at=now - dt.timedelta(hours=1),
        beat_at=now - dt.timedelta(seconds=beat_ago),
    )


def _claim(result_id: uuid.UUID | str, worker_id: str) -> DBTaskResult[Any, Any]:
    row = DBTaskResult.objects.get(pk=result_id)
    row.claim(worker_id)
    return row


# --- item 1: queued on commit, the same task inline in tests ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_batch_audit_is_queued_only_when_its_transaction_commits(
    settings: SettingsWrapper,
) -> None:
    settings.TASKS = DATABASE_BACKEND
    user, organisation = _analyst()
    audit = _start(user, organisation)
    task = DBTaskResult.objects.get()
    assert task.task_path == "fairpassage.checks.tasks.batch_audit_run"
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["kwargs"] == {
        "audit_id": audit.pk,
        "attempt": 1,
        "request_id": "",
    }
    with pytest.raises(RuntimeError), transaction.atomic():
        _start(user, organisation)
        raise RuntimeError("rolled back")
    assert DBTaskResult.objects.count() == 1  # the rolled-back audit queued nothing


@pytest.mark.django_db(transaction=True)
def test_with_the_inline_backend_the_audit_runs_through_the_same_task_at_commit() -> None:
    user, organisation = _analyst()
    audit = _start(user, organisation)  # ImmediateBackend: the task runs at commit
    audit.refresh_from_db()
    assert audit.status == "done", audit.problem
    assert audit.runner == queue.this_runner()
    assert DBTaskResult.objects.count() == 0  # nothing stored: it ran inline


@pytest.mark.django_db
def test_an_old_attempts_task_leaves_a_restarted_audit_alone() -> None:
    user, organisation = _analyst()
    audit = _start(user, organisation, background=False)
    BatchAudit.objects.filter(pk=audit.pk).update(attempt=2)
    assert batch_audit_run.call(audit_id=audit.pk, attempt=1) == "queued"
    assert batch_audit_run.call(audit_id=audit.pk, attempt=2) == "done"


# --- item 3: the recovery sweep --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_sweep_marks_a_task_of_a_silent_worker_failed_and_its_audit_with_the_reason(
    settings: SettingsWrapper,
) -> None:
    settings.TASKS = DATABASE_BACKEND
    settings.TASK_WORKER_STALE_SECONDS = 60
    user, organisation = _analyst()
    silent, alive = _start(user, organisation), _start(user, organisation)
    tasks = {r.args_kwargs["kwargs"]["audit_id"]: r for r in DBTaskResult.objects.all()}
    _worker("silent", host="another-host", pid=4242, beat_ago=300)
    _worker("alive", host="another-host", pid=4343, beat_ago=5)
    _claim(tasks[silent.pk].pk, "silent")
    _claim(tasks[alive.pk].pk, "alive")
    BatchAudit.objects.filter(pk=silent.pk).update(status="running", runner="another-host:4242")

    assert queue.tasks_recover() == 1
    failed = DBTaskResult.objects.get(pk=tasks[silent.pk].pk)
    assert (failed.status, failed.exception_class_path) == ("FAILED", queue.WORKER_LOST)
    assert "another-host:4242 stopped" in failed.traceback
    assert DBTaskResult.objects.get(pk=tasks[alive.pk].pk).status == "RUNNING"
    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.status == "failed" and "the process running it ended" in silent.problem
    assert alive.status == "queued"
    assert queue.tasks_recover() == 0  # once
    _worker("long-gone", host="another-host", pid=1, beat_ago=8 * 24 * 3600)
    queue.tasks_recover()
    assert set(TaskWorker.objects.values_list("worker_id", flat=True)) == {"silent", "alive"}


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_worker_whose_process_ended_on_this_machine_is_failed_at_once(
    settings: SettingsWrapper,
) -> None:
    settings.TASKS = DATABASE_BACKEND
    user, organisation = _analyst()
    audit = _start(user, organisation)
    _worker("gone", host=queue.this_host(), pid=2**22 + 12345, beat_ago=0)  # no such process
    _claim(DBTaskResult.objects.get().pk, "gone")
    assert queue.tasks_recover() == 1
    audit.refresh_from_db()
    assert audit.status == "failed"


@pytest.mark.django_db
def test_a_task_that_raised_marks_its_audit_failed_instead_of_leaving_it_running() -> None:
    user, organisation = _analyst()
    audit = _start(user, organisation, background=False)
    queue.task_failed(
        task_path=batch_audit_run.module_path,
        kwargs={"audit_id": audit.pk, "attempt": 1},
        reason=queue.TASK_ERROR_REASON,
    )
    audit.refresh_from_db()
    assert (audit.status, audit.problem) == ("failed", "The audit failed unexpectedly.")


@pytest.mark.django_db
def test_a_queued_audit_is_never_judged_dead_by_its_age(settings: SettingsWrapper) -> None:
    """It waits for a worker; /api/health shows how long the oldest task has waited."""
    user, organisation = _analyst()
    audit = _start(user, organisation, background=False)
    BatchAudit.objects.filter(pk=audit.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(days=1)
    )
    assert batch_services.batch_audits_fail_dead() == 0


# --- item 7: health, the staff page, the request id ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_health_reports_the_oldest_waiting_task_and_the_failures_of_the_last_hour(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.TASKS = DATABASE_BACKEND
    user, organisation = _analyst()
    for _n in range(4):
        _start(user, organisation)
    waiting, failed_now, failed_before, running = DBTaskResult.objects.order_by("enqueued_at")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=now - dt.timedelta(seconds=90))
    DBTaskResult.objects.filter(pk=failed_now.pk).update(status="FAILED", finished_at=now)
    DBTaskResult.objects.filter(pk=failed_before.pk).update(
        status="FAILED", finished_at=now - dt.timedelta(hours=2)
    )
    DBTaskResult.objects.filter(pk=running.pk).update(status="RUNNING", started_at=now)
    _worker("w1", host="h", pid=1, beat_ago=1)
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    figures = body["queue"]
    assert 90 <= figures["oldest_waiting_seconds"] < 150
    assert figures["waiting"] == 1
    assert figures["failed_last_hour"] == 1
    assert figures["running"] == 1
    assert figures["workers_alive"] == 1


@pytest.mark.django_db
def test_health_with_an_empty_queue(client: Client) -> None:
    assert client.get("/api/health").json()["queue"] == {
        "waiting": 0,
        "running": 0,
        "oldest_waiting_seconds": 0.0,
        "failed_last_hour": 0,
        "workers_alive": 0,
    }


@pytest.mark.django_db(transaction=True)
def test_the_staff_page_lists_tasks_with_state_age_and_error_for_platform_staff_only(
    settings: SettingsWrapper,
) -> None:
    settings.TASKS = DATABASE_BACKEND
    user, organisation = _analyst()
    _start(user, organisation)
    _start(user, organisation)
    first, _second = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=first.pk).update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="builtins.ValueError",
        traceback="Traceback ...\nValueError: the table has no engagement_id column\n",
    )
    staff = UserFactory.create(is_staff=True)
    client = Client()
    login_verified(client, staff)
    page = client.get("/en/staff/tasks/").content.decode()
    assert page.count("batch_audit_run") >= 2
    assert "Failed" in page and "Ready" in page
    assert "ValueError: the table has no engagement_id column" in page
    member = Client()
    login_verified(member, user)
    assert member.get("/en/staff/tasks/").status_code == 403
    assert Client().get("/en/staff/tasks/").status_code == 302


@pytest.mark.django_db
def test_a_valid_incoming_request_id_is_kept_and_an_invalid_one_replaced(client: Client) -> None:
    kept = client.get("/api/health", headers={"X-Request-ID": "lb-0123456789abcdef"})
    assert kept["X-Request-ID"] == "lb-0123456789abcdef"
    replaced = client.get("/api/health", headers={"X-Request-ID": "bad id\nwith a newline"})
    assert requestid.valid(replaced["X-Request-ID"])
    assert replaced["X-Request-ID"] != "bad id\nwith a newline"
    assert requestid.valid(client.get("/api/health")["X-Request-ID"])


@pytest.mark.django_db(transaction=True)
def test_the_request_id_travels_with_the_task_and_marks_the_workers_log_lines(
    client: Client, settings: SettingsWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    settings.TASKS = DATABASE_BACKEND
    user, organisation = _analyst()
    login_verified(client, user)
    engagements, payments = frames_from_inputs([("E1", "A1", copy.deepcopy(EXAMPLE))])
    response = client.post(
        "/en/fee-checks/batch/",
        {
            "organisation": organisation.pk,
            "engagements": SimpleUploadedFile("e.csv", engagements.write_csv().encode()),
            "payments": SimpleUploadedFile("p.csv", payments.write_csv().encode()),
        },
        headers={"X-Request-ID": "upload-request-0001"},
    )
    assert response["X-Request-ID"] == "upload-request-0001"
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["kwargs"]["request_id"] == "upload-request-0001"

    seen: list[tuple[str, str]] = []

    class Remember(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append((record.name, getattr(record, "request_id", "")))

    handler = Remember()
    handler.addFilter(requestid.RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:  # the worker itself, in this process: claims the task, runs it, exits when none is left
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="in-process",
            excluded_queue_names=[],
        ).run()
    finally:
        root.removeHandler(handler)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert BatchAudit.objects.get().status == "done"
    task_lines = [rid for name, rid in seen if name == "django_tasks"]
    assert task_lines and set(task_lines) == {"upload-request-0001"}
    assert TaskWorker.objects.get(worker_id="in-process").stopped_at is not None


def test_the_log_format_carries_the_request_id() -> None:
    from django.conf import settings  # noqa: PLC0415

    config: dict[str, Any] = settings.LOGGING
    assert "%(request_id)s" in config["formatters"]["plain"]["format"]
    assert all("request_id" in h["filters"] for h in config["handlers"].values())


@pytest.mark.django_db(transaction=True)
def test_a_queued_audit_whose_task_is_gone_is_failed_with_a_restart_offered(
    settings: SettingsWrapper,
) -> None:
    """What a restore leaves: the queue's tables are not in backups (below)."""
    settings.TASKS = DATABASE_BACKEND
    settings.TASK_WORKER_STALE_SECONDS = 60
    user, organisation = _analyst()
    orphan, waiting, fresh = (_start(user, organisation) for _n in range(3))
    DBTaskResult.objects.filter(args_kwargs__kwargs__audit_id__in=[orphan.pk, fresh.pk]).delete()
    BatchAudit.objects.filter(pk__in=[orphan.pk, waiting.pk]).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert batch_services.batch_audits_fail_dead() == 1
    for audit in (orphan, waiting, fresh):
        audit.refresh_from_db()
    assert orphan.status == "failed" and batch_services.inputs_kept(orphan)
    assert (waiting.status, fresh.status) == ("queued", "queued")


def test_backups_leave_out_the_queues_tables() -> None:
    from fairpassage.core.backup import backed_up_models  # noqa: PLC0415

    labels = {m._meta.label_lower for m in backed_up_models()}
    assert "checks.batchaudit" in labels
    assert DBTaskResult._meta.label_lower not in labels
    assert TaskWorker._meta.label_lower not in labels
