"""Issue 13, item 7: free text staff write about a case or a person is ciphertext at rest.

The reason of a status change, a certificate's name, a referral's decline reason and the title
of a saved fee check or earnings plan are written through the services; then the raw database
(the SQLite file and its write-ahead log, or ``pg_dump`` of the PostgreSQL database) and a
``fairpassage backup`` archive are searched for the text. The audit trail records that the
status changed and by whom, not why.
"""

from __future__ import annotations

import copy
import gzip
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import models as case_models
from fairpassage.cases import people, returns, services
from fairpassage.cases.choices import CertificateKind, Part, Status
from fairpassage.cases.models import Case, Certificate, Referral
from fairpassage.checks import services as checks_services
from fairpassage.checks.models import EarningsPlan, FeeCheck
from fairpassage.core import backup
from fairpassage.core import services as core_services
from fairpassage.core.models import AuditEvent, Country, Organisation, Role, User
from tests.cases.conftest import file_grievance
from tests.checks.conftest import EXAMPLE as FEE_INPUT
from tests.factories import OrganisationFactory, UserFactory

STATUS_REASON = "Lý do đổi trạng thái: anh Trần Văn Khải bị đe doạ ở Nagoya item07-status"
CERTIFICATE = "Chứng chỉ JLPT N3 của chị Phạm Thị Quyên item07-cert"
DECLINE = "Từ chối vì chị Đỗ Thị Hạnh đã về quê item07-decline"
FEE_TITLE = "Kiểm tra phí cho anh Bùi Văn Lộc item07-feecheck"
PLAN_TITLE = "Kế hoạch trả nợ của anh Vũ Đức Thắng item07-plan"
SECRETS = (STATUS_REASON, CERTIFICATE, DECLINE, FEE_TITLE, PLAN_TITLE)
#: Text stored in clear by design (docs/security.md): it proves the raw search reads the data.
CONTROL = "Cong ty item07-control-agency"

PLAN_INPUT: dict[str, Any] = {
    "scheme": "titp",
    "prefecture": "13",
    "on": "2026-04-01",
    "monthly_basic_wage": 200000,
    "hourly_wage": None,
    "debt": {"principal": 3000, "currency": "JPY", "annual_interest_rate": 0},
}


def _membership(user: User, organisation: Organisation, role: str) -> User:
    core_services.membership_set(actor=None, user=user, organisation=organisation, role=role)
    return user


def _write_everything(settings: SettingsWrapper) -> dict[str, Any]:
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 1000, "track": 1000, "message": 1000}
    vn = OrganisationFactory.create(slug="item07-vn", country=Country.VIET_NAM)
    jp = OrganisationFactory.create(slug="item07-jp", country=Country.JAPAN)
    worker = _membership(UserFactory.create(username="item07-vn-cw"), vn, Role.CASE_WORKER)
    jp_worker = _membership(UserFactory.create(username="item07-jp-cw"), jp, Role.CASE_WORKER)
    case, _code = file_grievance(agency_name=CONTROL)
    assert case.organisation == vn
    services.case_status_change(actor=worker, case=case, status=Status.ACTIVE, reason=STATUS_REASON)
    returns.certificate_add(
        actor=worker, case=case, kind=CertificateKind.JAPANESE_LEVEL, name=CERTIFICATE
    )
    consent = people.consent_record(
        actor=worker,
        case=case,
        purpose="referral",
        method="oral",
        organisations=[jp],
        parts=[Part.STATEMENT],
    )
    referral = people.referral_propose(
        actor=worker, case=case, to_org=jp, consent=consent, parts=[Part.STATEMENT]
    )
    people.referral_decide(actor=jp_worker, referral=referral, accept=False, reason=DECLINE)
    fee_check = checks_services.fee_check_save(
        actor=worker, organisation=vn, data=copy.deepcopy(FEE_INPUT), language="vi", title=FEE_TITLE
    )
    plan = EarningsPlan.objects.create(
        organisation=vn,
        created_by=worker,
        title=PLAN_TITLE,
        language="vi",
        rules_version="test",
        law_date="2026-04-01",
        status="ok",
        net_jpy=1,
        remit_jpy=1,
        input=PLAN_INPUT,
        result={},
    )
    return {"case": case, "referral": referral, "fee_check": fee_check, "plan": plan}


def _raw_database() -> bytes:
    """The database as an attacker who copied it reads it: file bytes or a ``pg_dump``."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(settings_dict["NAME"])
        return b"".join(
            p.read_bytes()
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
            if p.exists()
        )
    assert connection.vendor == "postgresql", connection.vendor
    command = ["pg_dump", "--no-owner", "--data-only", "-d", settings_dict["NAME"]]
    for option, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings_dict.get(key):
            command += [option, str(settings_dict[key])]
    env = {"PGPASSWORD": settings_dict.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, capture_output=True, check=True, env=env, timeout=120).stdout


def _archive_text(path: Path) -> bytes:
    found: list[bytes] = []
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            if handle is None:
                continue
            data = handle.read()
            found.append(gzip.decompress(data) if member.name.endswith(".gz") else data)
    return b"\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_item_07_free_text_about_a_person_never_reaches_the_raw_database_or_backup(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.CASES_ATTACHMENT_DIR = tmp_path / "attachments"
    written = _write_everything(settings)
    raw = _raw_database()
    assert CONTROL.encode() in raw  # the search does read the stored rows
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
        assert secret.split(" item07")[0].encode() not in raw, secret
    archive = tmp_path / "item07.backup"
    backup.backup_create(path=archive)
    archived = _archive_text(archive)
    assert CONTROL.encode() in archived
    for secret in SECRETS:
        assert secret.encode() not in archived, secret

    # Read back through the models, the text is whole.
    case: Case = written["case"]
    change = case_models.StatusChange.objects.get(case=case)
    assert (change.reason, change.from_status, change.to_status) == (
        STATUS_REASON,
        Status.INTAKE,
        Status.ACTIVE,
    )
    assert Certificate.objects.get(case=case).name == CERTIFICATE
    assert Referral.objects.get(pk=written["referral"].pk).reason == DECLINE
    assert FeeCheck.objects.get(pk=written["fee_check"].pk).title == FEE_TITLE
    assert EarningsPlan.objects.get(pk=written["plan"].pk).title == PLAN_TITLE

    # The trail says what changed and who did it, never why in words.
    status_event = AuditEvent.objects.get(action="case.status")
    assert status_event.actor_label == "item07-vn-cw" and status_event.reason == ""
    assert status_event.data["status_change"] == change.pk
    decline_event = AuditEvent.objects.get(action="referral.decline")
    assert decline_event.reason == ""
    for event in AuditEvent.objects.all():
        for secret in SECRETS:
            assert secret not in event.reason + str(event.data), (event.action, secret)


@pytest.mark.django_db
def test_item_07_rotate_keys_covers_the_new_encrypted_fields(settings: SettingsWrapper) -> None:
    covered = {
        f"{model._meta.label}.{name}"
        for model, names in core_services.encrypted_fields()
        for name in names
    }
    for field in (
        "cases.StatusChange.reason",
        "cases.Certificate.name",
        "cases.Referral.reason",
        "checks.FeeCheck.title",
        "checks.EarningsPlan.title",
    ):
        assert field in covered, field
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]):
        written = _write_everything(settings)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        core_services.encrypted_fields_rotate(actor=None)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert case_models.StatusChange.objects.get(case=written["case"]).reason == STATUS_REASON
        assert Certificate.objects.get(case=written["case"]).name == CERTIFICATE
        assert Referral.objects.get(pk=written["referral"].pk).reason == DECLINE
        assert FeeCheck.objects.get(pk=written["fee_check"].pk).title == FEE_TITLE
        assert EarningsPlan.objects.get(pk=written["plan"].pk).title == PLAN_TITLE


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_item_07_migration_encrypts_clear_values_and_redacts_the_trail(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    """Data written before the fix (clear columns, reasons in the trail) is encrypted by the
    migration, and the trail keeps that a reason was given, not its words."""
    settings.CASES_ATTACHMENT_DIR = tmp_path / "attachments"
    written = _write_everything(settings)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    mine = [node for node in latest if node[0] in ("cases", "checks")]
    try:
        _migrate([("cases", "0003_case_earnings_plan"), ("checks", "0004_earnings_plan")])
        raw = _raw_database()
        for secret in (CERTIFICATE, DECLINE, FEE_TITLE, PLAN_TITLE):
            assert secret.encode() in raw, secret  # the reverse migration gave clear columns
        old_reason = "Lý do cũ: chị Lâm Thị Mai đã bị giữ hộ chiếu item07-old-reason"
        AuditEvent.objects.create(
            actor_label="item07-vn-cw",
            action="case.status",
            object_type="cases.case",
            object_id=str(written["case"].pk),
            organisation=written["case"].organisation,
            reason=old_reason,
            data={"from": "active", "to": "resolved", "close_reason": ""},
        )
        AuditEvent.objects.create(
            actor_label="item07-jp-cw",
            action="referral.decline",
            object_type="cases.referral",
            object_id=str(written["referral"].pk),
            reason=DECLINE,
        )
    finally:
        _migrate(mine)
    raw = _raw_database()
    for secret in (*SECRETS, old_reason):
        assert secret.encode() not in raw, secret
    assert Certificate.objects.get(case=written["case"]).name == CERTIFICATE
    assert Referral.objects.get(pk=written["referral"].pk).reason == DECLINE
    assert FeeCheck.objects.get(pk=written["fee_check"].pk).title == FEE_TITLE
    assert EarningsPlan.objects.get(pk=written["plan"].pk).title == PLAN_TITLE
    moved = case_models.StatusChange.objects.get(case=written["case"], to_status="resolved")
    assert moved.reason == old_reason and moved.from_status == "active"
    event = AuditEvent.objects.get(action="case.status", data__to="resolved")
    assert event.reason == "" and event.data["redacted"] == "cases.0004"
    assert event.data["status_change"] == moved.pk and event.data["reason_given"] is True
    assert not AuditEvent.objects.exclude(reason="").filter(action__startswith="referral.")
