"""Issue 17, item 3: nothing is lost when a task worker dies.

A real worker (``manage.py db_worker``) runs on the test database in its own process. A batch
audit and a survey import are queued from the pages; while each runs, its worker gets SIGKILL.
A new worker starts; its recovery sweep marks the task failed and the audit (import) "failed"
with the reason; the page offers the restart, and the restarted run gives results identical to
an uninterrupted run of the same upload. On PostgreSQL (``DATABASE_URL``) the worker uses the
same test database.
"""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.checks.models import BatchAudit
from fairpassage.core import queue
from fairpassage.core import services as core_services
from fairpassage.core.models import AuditEvent, Organisation, Role, TaskWorker, User
from fairpassage.law.batch_io import frames_from_inputs
from fairpassage.surveys import services as survey_services
from fairpassage.surveys.models import Survey, SurveyImport, SurveyResult
from tests.checks.conftest import EXAMPLE
from tests.factories import OrganisationFactory, UserFactory, login_verified, second_factor_enrol
from tests.surveys.exports import RESPONDENTS, kobo_xlsx

pytestmark = pytest.mark.django_db(transaction=True)

#: Engagements in the audit: enough for a run of a second or more in the worker.
ENGAGEMENTS = 30_000
#: Respondents in the survey export: reading them takes a second or more.
RESPONDENTS_N = 1_000
WORKER = [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]
WORKER += ["--no-reload"]
TABLES = ("findings", "engagements", "agencies", "errors")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Workers:
    """Starts ``manage.py db_worker`` processes on the test database; stops them at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "FAIRPASSAGE_ENV": "test",
            "FAIRPASSAGE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "BATCH_AUDIT_DIR": str(settings.BATCH_AUDIT_DIR),
            "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
            "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
            "SECRET_KEY": settings.SECRET_KEY,
            "TASK_WORKER_HEARTBEAT_SECONDS": "0.5",
            "TASK_WORKER_STALE_SECONDS": "30",
            "TASK_SWEEP_SECONDS": "1",
        }
        log = (self.folder / f"worker-{len(self.started)}.log").open("wb")
        proc = subprocess.Popen(
            [*WORKER, "--worker-id", uuid.uuid4().hex],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(proc)
        _wait(lambda: TaskWorker.objects.filter(pid=proc.pid, stopped_at=None).exists(), "start")
        return proc

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.started:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("*.log")))


def _wait(done: Callable[[], bool], what: str, seconds: float = 120, step: float = 0.02) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def workers(settings: SettingsWrapper, tmp_path: Path) -> Iterator[Workers]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.BATCH_AUDIT_DIR = tmp_path / "batch"
    running = Workers(tmp_path)
    yield running
    running.stop_all()
    print(running.logs())  # shown by pytest when the test failed


def _staff(role: str) -> tuple[User, Organisation, Client]:
    organisation = OrganisationFactory.create()
    user = UserFactory.create()
    core_services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    second_factor_enrol(user)
    client = Client()
    login_verified(client, user)
    return user, organisation, client


def _kill_while(proc: subprocess.Popen[bytes], running: Callable[[], bool]) -> None:
    _wait(running, "the run to be under way", step=0.005)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


# --- a batch audit ---------------------------------------------------------------------------


def _batch_tables() -> tuple[bytes, bytes]:
    """``ENGAGEMENTS`` engagements: 60 distinct ones, repeated under new ids."""
    inputs = []
    for i in range(60):
        engagement = copy.deepcopy(EXAMPLE)
        engagement["payments"][0]["amount"] = 100_000_000 + i * 1_000_000
        engagement["monthly_basic_wage"]["amount"] = 150_000 + i * 1_000
        inputs.append((f"E{i}", f"A{i % 7}", engagement))
    engagements, payments = frames_from_inputs(inputs)
    copies = ENGAGEMENTS // 60
    renamed = [
        (
            engagements.with_columns(pl.col("engagement_id") + f"-{k}"),
            payments.with_columns(pl.col("engagement_id") + f"-{k}"),
        )
        for k in range(copies)
    ]
    return (
        pl.concat([e for e, _p in renamed]).write_csv().encode(),
        pl.concat([p for _e, p in renamed]).write_csv().encode(),
    )


def _upload(client: Client, organisation: Organisation, tables: tuple[bytes, bytes]) -> BatchAudit:
    before = set(BatchAudit.objects.values_list("pk", flat=True))
    response = client.post(
        "/en/fee-checks/batch/",
        {
            "organisation": organisation.pk,
            "engagements": SimpleUploadedFile("engagements.csv", tables[0]),
            "payments": SimpleUploadedFile("payments.csv", tables[1]),
        },
    )
    assert response.status_code == 302
    return BatchAudit.objects.exclude(pk__in=before).get()


def _audit_is(audit: BatchAudit, *statuses: str) -> Callable[[], bool]:
    def check() -> bool:
        audit.refresh_from_db()
        return audit.status in statuses

    return check


def _downloads(client: Client, audit: BatchAudit) -> dict[str, bytes]:
    tables = {}
    for table in TABLES:
        response: Any = client.get(f"/en/fee-checks/batch/{audit.pk}/{table}.csv")
        assert response.status_code == 200, table
        tables[table] = b"".join(response.streaming_content)
    return tables


def test_a_batch_audit_whose_worker_is_killed_fails_with_its_reason_and_restarts_to_the_same_result(
    workers: Workers,
) -> None:
    _user, organisation, client = _staff(Role.ANALYST)
    tables = _batch_tables()
    first = workers.start()

    reference = _upload(client, organisation, tables)  # an uninterrupted run
    _wait(_audit_is(reference, "done", "failed"), "the reference audit")
    assert reference.status == "done", reference.problem
    expected = _downloads(client, reference)
    assert expected["findings"].count(b"\n") > ENGAGEMENTS

    audit = _upload(client, organisation, tables)
    _kill_while(first, _audit_is(audit, "running"))
    audit.refresh_from_db()
    assert audit.status == "running"  # killed mid-run: nothing finished it
    assert client.get(f"/en/fee-checks/batch/{audit.pk}/findings.csv").status_code == 404
    task = DBTaskResult.objects.get(
        task_path="fairpassage.checks.tasks.batch_audit_run", args_kwargs__kwargs__audit_id=audit.pk
    )

    workers.start()  # its recovery sweep finds the task of the dead worker
    _wait(_audit_is(audit, "failed"), "the audit to be marked failed", seconds=30)
    assert "the process running it ended" in audit.problem
    task.refresh_from_db()
    assert (task.status, task.exception_class_path) == ("FAILED", queue.WORKER_LOST)
    assert AuditEvent.objects.filter(action="fee_check.batch_died", object_id=str(audit.pk))
    page = client.get(f"/en/fee-checks/batch/{audit.pk}/").content.decode()
    assert "the process running it ended" in page and "Start the audit again" in page
    assert "findings.csv" not in page  # no partial result is offered

    assert client.post(f"/en/fee-checks/batch/{audit.pk}/restart/").status_code == 302
    _wait(_audit_is(audit, "done", "failed"), "the restarted audit")
    assert (audit.status, audit.attempt) == ("done", 2), audit.problem
    assert _downloads(client, audit) == expected  # byte for byte
    folder = Path(settings.BATCH_AUDIT_DIR) / str(audit.pk)
    assert sorted(p.name for p in folder.iterdir()) == ["in", "out-2"]


# --- a survey import -------------------------------------------------------------------------


def _export() -> bytes:
    people = []
    for i in range(RESPONDENTS_N):
        person = copy.deepcopy(RESPONDENTS[i % len(RESPONDENTS)])
        person["uuid"] = str(uuid.UUID(int=i + 1))
        person["first_month_earnings"] = 150_000 + (i % 40) * 1_000
        people.append(person)
    return kobo_xlsx(people)


def _import_is(record: SurveyImport, *statuses: str) -> Callable[[], bool]:
    def check() -> bool:
        record.refresh_from_db()
        return record.status in statuses

    return check


def _figures(record: SurveyImport) -> dict[str, Any]:
    result = SurveyResult.objects.get(source=record)
    return {
        "respondents": record.respondents,
        "items": record.items,
        "report": result.report,
        "descriptive": result.descriptive,
        "distribution": result.distribution,
        "tables": [frame.to_dicts() for frame in survey_services.load_tables(record)],
    }


def test_a_survey_import_whose_worker_is_killed_fails_with_its_reason_and_restarts_to_the_same(
    workers: Workers,
) -> None:
    user, organisation, client = _staff(Role.ANALYST)
    survey = survey_services.survey_create(
        actor=user, organisation=organisation, title="Returnees", rates={"VND": 0.0061}, min_cell=1
    )
    export = _export()
    first = workers.start()

    def upload() -> SurveyImport:
        response = client.post(
            f"/en/surveys/{survey.pk}/",
            {"exports": SimpleUploadedFile("export.xlsx", export), "format": "auto"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        return SurveyImport.objects.filter(survey=survey).order_by("-pk").first()  # type: ignore[return-value]

    reference = upload()
    _wait(_import_is(reference, "done", "failed", "rejected"), "the reference import")
    assert reference.status == "done", reference.problems
    expected = _figures(reference)
    assert expected["respondents"] > RESPONDENTS_N // 2

    record = upload()
    _kill_while(first, _import_is(record, "processing"))
    record.refresh_from_db()
    assert record.status == "processing"
    assert not SurveyResult.objects.filter(source=record).exists()

    workers.start()
    _wait(_import_is(record, "failed"), "the import to be marked failed", seconds=30)
    assert record.problem == survey_services.WORKER_STOPPED and record.upload
    page = client.get(f"/en/surveys/imports/{record.pk}/").content.decode()
    assert "the worker running it ended" in page and "Start the import again" in page

    response = client.post(f"/en/surveys/imports/{record.pk}/restart/")
    assert response.status_code == 302
    _wait(_import_is(record, "done", "failed", "rejected"), "the restarted import")
    assert (record.status, record.attempt, record.upload) == ("done", 2, "")
    assert _figures(record) == expected
    assert Survey.objects.get(pk=survey.pk).results.count() == 2
