"""The batch audit page: two tables uploaded, audited in the background, results downloaded by
the organisation's staff only."""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fairpassage import law
from fairpassage.checks.batch_services import batch_audit_process
from fairpassage.checks.models import BatchAudit
from fairpassage.core import services as core_services
from fairpassage.core.models import Role, User
from fairpassage.law.batch_io import frames_from_inputs
from tests.checks.conftest import EXAMPLE
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db


def _tables() -> tuple[bytes, bytes]:
    second = copy.deepcopy(EXAMPLE)
    second["payments"] = second["payments"][:1]
    engagements, payments = frames_from_inputs([("E1", "A1", EXAMPLE), ("E2", "A1", second)])
    return engagements.write_csv().encode(), payments.write_csv().encode()


def _staff(role: str = Role.ANALYST) -> tuple[User, Any]:
    organisation = OrganisationFactory.create()
    user = UserFactory.create()
    core_services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    return user, organisation


def _csv_rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture(autouse=True)
def _private_folder(settings: Any, tmp_path: Path) -> None:
    settings.BATCH_AUDIT_DIR = tmp_path


def test_upload_audit_and_download_the_same_findings_as_the_single_check(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user, organisation = _staff()
    login_verified(client, user)
    engagements, payments = _tables()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/en/fee-checks/batch/",
            {
                "organisation": organisation.pk,
                "engagements": SimpleUploadedFile("engagements.csv", engagements),
                "payments": SimpleUploadedFile("payments.csv", payments),
            },
        )
    audit = BatchAudit.objects.get()
    assert response.status_code == 302
    assert "Waiting to start" in client.get(f"/en/fee-checks/batch/{audit.pk}/").content.decode()
    batch_audit_process(pk=audit.pk)  # what the background thread runs
    audit.refresh_from_db()
    assert audit.status == "done", audit.problem
    page = client.get(f"/en/fee-checks/batch/{audit.pk}/").content.decode()
    assert "findings.csv" in page
    download = client.get(f"/en/fee-checks/batch/{audit.pk}/findings.csv")
    assert download.status_code == 200
    rows = _csv_rows(download)
    single = law.check_fees(copy.deepcopy(EXAMPLE), "en")
    expected = sorted((f["rule"], f["status"]) for f in single["findings"])
    got = sorted((r["rule_id"], r["status"]) for r in rows if r["engagement_id"] == "E1")
    assert got == expected


def test_only_the_organisations_staff_see_an_audit(client: Client) -> None:
    user, organisation = _staff()
    login_verified(client, user)
    engagements, payments = _tables()
    client.post(
        "/en/fee-checks/batch/",
        {
            "organisation": organisation.pk,
            "engagements": SimpleUploadedFile("engagements.csv", engagements),
            "payments": SimpleUploadedFile("payments.csv", payments),
        },
    )
    audit = BatchAudit.objects.get()
    batch_audit_process(pk=audit.pk)
    other, _org = _staff()
    login_verified(client, other)
    assert client.get(f"/en/fee-checks/batch/{audit.pk}/").status_code == 404
    assert client.get(f"/en/fee-checks/batch/{audit.pk}/findings.csv").status_code == 404
    client.logout()
    assert client.get(f"/en/fee-checks/batch/{audit.pk}/").status_code == 302


def test_a_file_that_is_not_a_table_is_refused_by_content(client: Client) -> None:
    user, organisation = _staff(Role.CASE_WORKER)
    login_verified(client, user)
    response = client.post(
        "/en/fee-checks/batch/",
        {
            "organisation": organisation.pk,
            "engagements": SimpleUploadedFile("engagements.parquet", b"not parquet"),
            "payments": SimpleUploadedFile("payments.csv", b"engagement_id\n"),
        },
    )
    assert response.status_code == 422
    assert "not a Parquet file" in response.content.decode()
    assert BatchAudit.objects.count() == 0


def test_engagements_that_cannot_be_checked_are_listed_with_the_field(client: Client) -> None:
    user, organisation = _staff()
    login_verified(client, user)
    client.post(
        "/en/fee-checks/batch/",
        {
            "organisation": organisation.pk,
            "engagements": SimpleUploadedFile("engagements.csv", b"engagement_id\nE1\n"),
            "payments": SimpleUploadedFile("payments.csv", b"engagement_id,amount\nE1,5\n"),
        },
    )
    audit = batch_audit_process(pk=BatchAudit.objects.get().pk)
    assert audit.status == "done"
    errors = client.get(f"/en/fee-checks/batch/{audit.pk}/errors.csv")
    rows = _csv_rows(errors)
    assert [r["engagement_id"] for r in rows] == ["E1"]
    assert rows[0]["field"]
