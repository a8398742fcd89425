"""Batch audit tables go through Django's storage API (issue 17, item 5): a whole audit (upload,
task, download, purge) runs on a storage that is not a folder (``InMemoryStorage``, standing in
for object storage), nothing is written to ``BATCH_AUDIT_DIR``, what the storage holds is
encrypted by us, and only the attempt the audit's row published is ever downloaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.checks import batch_storage
from fairpassage.checks.models import BatchAudit
from fairpassage.cli import main as cli_main
from fairpassage.core.files import PrivateFolderStorage, walk
from tests.checks.test_batch_page import _csv_rows, _staff, _tables
from tests.factories import login_verified

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "backups": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "batch": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
TABLES = ("agencies", "engagements", "errors", "findings")


@pytest.fixture
def folder(settings: SettingsWrapper, tmp_path: Path) -> Iterator[Path]:
    """The folder the filesystem storage would use: it must stay empty."""
    settings.BATCH_AUDIT_DIR = tmp_path / "batch"
    with override_settings(STORAGES=IN_MEMORY):
        yield tmp_path


def _written(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_the_batch_storage_is_the_private_folder_by_default(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.BATCH_AUDIT_DIR = tmp_path / "here"
    store = storages["batch"]
    assert isinstance(store, PrivateFolderStorage)
    assert Path(store.location) == (tmp_path / "here").resolve()


@pytest.mark.django_db(transaction=True)
def test_a_whole_batch_audit_runs_through_the_storage(
    folder: Path, client: Client, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    store = storages["batch"]
    assert isinstance(store, InMemoryStorage)
    user, organisation = _staff()
    login_verified(client, user)
    engagements, payments = _tables()
    response = client.post(  # the task runs when the upload's transaction commits
        "/en/fee-checks/batch/",
        {
            "organisation": organisation.pk,
            "engagements": SimpleUploadedFile("engagements.csv", engagements),
            "payments": SimpleUploadedFile("payments.csv", payments),
        },
    )
    assert response.status_code == 302
    audit = BatchAudit.objects.get()
    assert (audit.status, audit.attempt) == ("done", 1), audit.problem
    pk = audit.pk
    assert list(walk(store)) == [
        f"{pk}/in/engagements.csv.sealed",
        f"{pk}/in/payments.csv.sealed",
        *(f"{pk}/out-1/{t}.csv.sealed" for t in TABLES),
    ]
    for name in walk(store):
        with store.open(name, "rb") as handle:
            stored = handle.read()
        assert b"engagement_id" not in stored and engagements[:30] not in stored, name

    download = client.get(f"/en/fee-checks/batch/{pk}/findings.csv")
    assert download.status_code == 200
    rows = _csv_rows(download)
    assert rows and {r["engagement_id"] for r in rows} == {"E1", "E2"}

    # the tables of an attempt the row did not publish are never offered
    batch_storage.seal([b"engagement_id,rule_id\nFORGED,x\n"], f"{pk}/out-2/findings.csv.sealed")
    assert _csv_rows(client.get(f"/en/fee-checks/batch/{pk}/findings.csv")) == rows
    BatchAudit.objects.filter(pk=pk).update(attempt=2, status="running")
    assert client.get(f"/en/fee-checks/batch/{pk}/findings.csv").status_code == 404
    BatchAudit.objects.filter(pk=pk).update(attempt=1, status="done")

    # purge after the retention period: deleted by listing the storage
    settings.BATCH_AUDIT_RETENTION_DAYS = 30
    BatchAudit.objects.filter(pk=pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert cli_main(["--lang", "en", "batch-purge"]) == 0
    assert '"deleted": 1' in capsys.readouterr().out
    assert list(walk(store)) == []
    assert client.get(f"/en/fee-checks/batch/{pk}/findings.csv").status_code == 404
    assert _written(folder) == [], "nothing written beside the storage API"
