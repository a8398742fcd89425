"""Issue 13, item 11: a batch audit killed mid-run is detected, marked failed with its reason,
and restarts from its page to the results an uninterrupted run gives; its tables are encrypted
on disk and deleted after the retention period.

The run is killed for real: a separate process runs the audit on the test database, tells when
it is in the middle of the rules, and gets SIGKILL.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.checks import batch_services
from fairpassage.checks.models import BatchAudit
from fairpassage.cli import main as cli_main
from fairpassage.core import services as core_services
from fairpassage.core.models import AuditEvent, Organisation, Role, User
from fairpassage.law.batch_io import frames_from_inputs
from tests.checks.conftest import EXAMPLE
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    login_verified,
    second_factor_enrol,
)

#: Distinctive text in the uploaded tables: an engagement id, an agency id and a payment label.
ENGAGEMENT = "item11-engagement-Nguyen-Thi-Lan"
AGENCY = "item11-agency-Hoang-Long"
LABEL = "item11 phi moi gioi cho ong Tuan"

DRIVER = textwrap.dedent(
    """
    import os, sys, time
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from fairpassage.checks.batch_services import batch_audit_process

    def hold(stage, fraction):
        if stage == "rules":
            print("in the middle", flush=True)
            time.sleep(600)

    batch_audit_process(pk=int(sys.argv[1]), observer=hold)
    """
)


def _tables(n: int = 40) -> tuple[bytes, bytes]:
    inputs = []
    for i in range(n):
        engagement = copy.deepcopy(EXAMPLE)
        engagement["payments"][1]["label"] = f"{LABEL} {i}"
        engagement["payments"][0]["amount"] = 100_000_000 + i * 1_000_000
        inputs.append((f"{ENGAGEMENT}-{i}", AGENCY, engagement))
    engagements, payments = frames_from_inputs(inputs)
    return engagements.write_csv().encode(), payments.write_csv().encode()


def _staff() -> tuple[User, Organisation]:
    organisation = OrganisationFactory.create()
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.ANALYST
    )
    second_factor_enrol(user)  # staff pages may ask for the second factor
    return user, organisation


def _client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def _start(user: User, organisation: Organisation) -> BatchAudit:
    engagements, payments = _tables()
    return batch_services.batch_audit_start(
        actor=user,
        organisation=organisation,
        engagements=SimpleUploadedFile("engagements.csv", engagements),
        payments=SimpleUploadedFile("payments.csv", payments),
        language="en",
        background=False,
    )


def _on_disk(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _assert_nothing_in_clear(folder: Path) -> None:
    stored = _on_disk(folder)
    assert stored, "nothing stored"
    for text in (ENGAGEMENT, AGENCY, LABEL, "engagement_id", "rule_id"):
        assert text.encode() not in stored, text


def _downloads(client: Client, audit: BatchAudit) -> dict[str, bytes]:
    tables = {}
    for table in ("findings", "engagements", "agencies", "errors"):
        response: Any = client.get(f"/en/fee-checks/batch/{audit.pk}/{table}.csv")
        assert response.status_code == 200, table
        tables[table] = b"".join(response.streaming_content)
    return tables


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for(audit: BatchAudit, status: str, seconds: float = 120) -> BatchAudit:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        audit.refresh_from_db()
        if audit.status == status:
            return audit
        time.sleep(0.1)
    raise AssertionError(f"audit {audit.pk} is {audit.status}, not {status}: {audit.problem}")


@pytest.fixture(autouse=True)
def _private_folder(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.BATCH_AUDIT_DIR = tmp_path / "batch"


@pytest.mark.django_db(transaction=True)
def test_item_11_a_batch_audit_killed_mid_run_is_marked_failed_and_restarts_to_the_same_results(
    tmp_path: Path,
) -> None:
    user, organisation = _staff()
    client = _client(user)

    # An uninterrupted run of the same tables, for comparison.
    reference = _start(user, organisation)
    batch_services.batch_audit_process(pk=reference.pk)
    reference.refresh_from_db()
    assert reference.status == "done", reference.problem
    expected = _downloads(client, reference)
    assert ENGAGEMENT.encode() in expected["findings"]

    audit = _start(user, organisation)
    folder = Path(settings.BATCH_AUDIT_DIR) / str(audit.pk)
    _assert_nothing_in_clear(folder)  # the uploads are encrypted at rest

    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "FAIRPASSAGE_ENV": "test",
        "BATCH_AUDIT_DIR": str(settings.BATCH_AUDIT_DIR),
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    with subprocess.Popen(
        [sys.executable, str(driver), str(audit.pk)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "in the middle"
        audit.refresh_from_db()
        assert audit.status == "running" and audit.runner.endswith(f":{proc.pid}")
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    audit.refresh_from_db()
    assert audit.status == "running"  # nothing changed it yet: the killed run said nothing

    page = client.get(f"/en/fee-checks/batch/{audit.pk}/").content.decode()
    audit.refresh_from_db()
    assert audit.status == "failed"
    assert "the process running it ended" in audit.problem
    assert "Failed" in page and "the process running it ended" in page
    assert "Start the audit again" in page
    assert AuditEvent.objects.filter(action="fee_check.batch_died", object_id=str(audit.pk))

    response = client.post(f"/en/fee-checks/batch/{audit.pk}/restart/")
    assert response.status_code == 302
    audit = _wait_for(audit, "done")  # run by the page's background thread
    assert audit.attempt == 2 and audit.problem == ""
    assert _downloads(client, audit) == expected
    assert {k: v for k, v in audit.stats.items() if "seconds" not in k} == {
        k: v for k, v in reference.stats.items() if "seconds" not in k
    }
    _assert_nothing_in_clear(folder)  # results too
    assert sorted(p.name for p in folder.iterdir()) == ["in", "out-2"]
    # a finished audit cannot be restarted
    assert client.post(f"/en/fee-checks/batch/{audit.pk}/restart/").status_code == 409


@pytest.mark.django_db(transaction=True)
def test_item_11_a_run_whose_heartbeat_is_stale_is_marked_failed(
    settings: SettingsWrapper,
) -> None:
    """A run on another machine is judged by its heartbeat alone."""
    settings.BATCH_AUDIT_STALE_SECONDS = 120
    user, organisation = _staff()
    fresh, stale = _start(user, organisation), _start(user, organisation)
    now = timezone.now()
    BatchAudit.objects.filter(pk=fresh.pk).update(
        status="running", runner="another-host:4242", heartbeat_at=now - dt.timedelta(seconds=30)
    )
    BatchAudit.objects.filter(pk=stale.pk).update(
        status="running", runner="another-host:4242", heartbeat_at=now - dt.timedelta(seconds=300)
    )
    client = _client(user)
    page = client.get("/en/fee-checks/batch/").content.decode()
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert fresh.status == "running"
    assert stale.status == "failed" and "no sign of life for more than 120 seconds" in stale.problem
    assert "Failed" in page
    # the old run wakes up: it can no longer write over the restarted one
    batch_services.batch_audit_restart(actor=user, audit=stale, background=False)
    stale.refresh_from_db()
    assert (stale.status, stale.attempt) == ("queued", 2)
    assert BatchAudit.objects.filter(pk=stale.pk, attempt=1).update(status="done") == 0


@pytest.mark.django_db(transaction=True)
def test_item_11_tables_are_deleted_after_the_retention_period(
    settings: SettingsWrapper, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.BATCH_AUDIT_RETENTION_DAYS = 30
    user, organisation = _staff()
    old, recent = _start(user, organisation), _start(user, organisation)
    for audit in (old, recent):
        batch_services.batch_audit_process(pk=audit.pk)
    BatchAudit.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    root = Path(settings.BATCH_AUDIT_DIR)
    assert (root / str(old.pk)).is_dir()
    assert cli_main(["--lang", "en", "batch-purge"]) == 0
    assert '"deleted": 1' in capsys.readouterr().out
    assert not (root / str(old.pk)).exists()
    assert (root / str(recent.pk) / "in").is_dir()
    old.refresh_from_db()
    assert old.files_deleted_at is not None and old.status == "done"
    client = _client(user)
    page = client.get(f"/en/fee-checks/batch/{old.pk}/").content.decode()
    assert "deleted on" in page and "findings.csv" not in page
    assert client.get(f"/en/fee-checks/batch/{old.pk}/findings.csv").status_code == 404
    assert client.get(f"/en/fee-checks/batch/{recent.pk}/findings.csv").status_code == 200
    assert AuditEvent.objects.filter(action="fee_check.batch_purge", object_id=str(old.pk))


@pytest.mark.django_db(transaction=True)
def test_item_11_clear_tables_left_by_an_earlier_version_are_sealed(
    settings: SettingsWrapper,
) -> None:
    user, organisation = _staff()
    audit = _start(user, organisation)
    batch_services.batch_audit_process(pk=audit.pk)
    folder = Path(settings.BATCH_AUDIT_DIR) / str(audit.pk)
    engagements, _payments = _tables()
    (folder / "in" / "engagements.csv").write_bytes(engagements)  # as stored before
    assert ENGAGEMENT.encode() in _on_disk(folder)
    batch_services.batch_audits_purge()
    _assert_nothing_in_clear(folder)
