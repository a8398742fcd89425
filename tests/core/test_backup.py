"""Backup and restore: same content back, personal data never in clear, bad archives refused.

Runs on the configured database: SQLite here, PostgreSQL too in CI (DATABASE_URL).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import people, services, storage
from fairpassage.cases.models import Attachment, Case, Worker
from fairpassage.cli import backup as backup_cli
from fairpassage.cli import build_parser, main
from fairpassage.cli.base import CommandError
from fairpassage.core import backup
from fairpassage.core import services as core_services
from fairpassage.core.models import AuditEvent, Organisation, Profile, Role
from tests.factories import OrganisationFactory, UserFactory

ORG_NAME = "Trung tâm Hỗ trợ Người lao động Bắc Ninh"
NAME = "Nguyễn Thị Hoa Mai"
STAFF_NAME = "Trần Văn Khánh"
PASSPORT = "C7654321"
PHONE = "+84 912 345 678"
STATEMENT = "Công ty Sao Bắc giữ hộ chiếu của tôi và đòi 150 triệu đồng"
PDF = b"%PDF-1.4\n% attachment-marker-QX7 contract page\n%%EOF\n"
SECRETS = (NAME, STAFF_NAME, PASSPORT, "912 345 678", "912345678", STATEMENT, "attachment-marker")


@pytest.fixture(autouse=True)
def _private_files(settings: SettingsWrapper, tmp_path: Path) -> Iterator[None]:
    settings.CASES_ATTACHMENT_DIR = tmp_path / "attachments"
    with translation.override("en"):  # the refusals are matched in English
        yield


def populate() -> dict[str, Any]:
    """An organisation, a case worker with a profile, a worker, a grievance with a file."""
    organisation = OrganisationFactory.create(name=ORG_NAME)
    user = UserFactory.create(username="hoa.caseworker")
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.CASE_WORKER
    )
    core_services.profile_update(actor=user, user=user, display_name=STAFF_NAME, phone=PHONE)
    worker = people.worker_create(
        actor=user,
        organisation=organisation,
        full_name=NAME,
        passport_number=PASSPORT,
        phone=PHONE,
        birth_date="1999-04-30",
    )
    case, code, _created = services.grievance_submit(
        idempotency_key="backup-test-key-0001",
        where_now="VN",
        categories=["fees_debt", "documents_held"],
        stage="before_departure",
        statement=STATEMENT,
        contact=PHONE,
    )
    assert case.organisation == organisation
    attachment = services.attachment_add(actor=user, case=case, name="hợp đồng.pdf", content=PDF)
    return {"user": user, "worker": worker, "case": case, "code": code, "attachment": attachment}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table through the ORM (decrypted), in primary-key order."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for model in backup.backed_up_models():
        names = [f.attname for f in model._meta.concrete_fields]
        queryset = model._base_manager.order_by("pk")
        if model is AuditEvent:
            queryset = queryset.exclude(action="backup.restore")
        rows[model._meta.label_lower] = list(queryset.values_list(*names))
    return rows


def archive_text(path: Path) -> bytes:
    """Everything a reader of the archive can see: manifest, unzipped parts, files."""
    chunks: list[bytes] = []
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            assert handle is not None
            data = handle.read()
            chunks.append(gzip.decompress(data) if member.name.endswith(".gz") else data)
    return b"\n".join(chunks)


def empty_the_database(tmp_path: Path) -> None:
    """A new, migrated database: flush re-creates what `migrate` creates."""
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted((tmp_path / "attachments").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def cli(argv: list[str]) -> int:
    """The `fairpassage` command, with backup and restore added when not yet wired in."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "backup" in sub.choices:
        return main(argv)
    backup_cli.register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except CommandError as exc:
        sys.stderr.write(f"fairpassage: {exc}\n")
        return 2


@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_the_same_rows_and_files(tmp_path: Path) -> None:
    made = populate()
    archive = tmp_path / "fairpassage.backup"
    result = backup.backup_create(path=archive)
    before = snapshot()
    assert before["cases.worker"] and before["cases.attachment"] and before["core.profile"]
    assert result.rows == sum(len(rows) for rows in before.values())
    assert len(result.manifest["files"]) == 1

    empty_the_database(tmp_path)
    assert not Worker.objects.exists() and not Case.objects.exists()
    restored = backup.backup_restore(path=archive)

    assert restored.rows == result.rows
    after = snapshot()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert AuditEvent.objects.filter(action="backup.restore").count() == 1
    # Decrypted through the model again, and the file reads back through the case service.
    worker = Worker.objects.get(pk=made["worker"].pk)
    assert (worker.full_name, worker.passport_number) == (NAME, PASSPORT)
    assert Profile.objects.get(user_id=made["user"].pk).display_name == STAFF_NAME
    attachment = Attachment.objects.get(pk=made["attachment"].pk)
    assert storage.read(attachment.stored_name) == PDF
    assert services.grievance_find(code=made["code"]).pk == made["case"].pk
    # Sequences continue after the restored keys (PostgreSQL's were reset by the flush).
    newer = OrganisationFactory.create()
    assert newer.pk > max(Organisation.objects.exclude(pk=newer.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_archive_holds_no_personal_data_in_clear(tmp_path: Path) -> None:
    populate()
    archive = tmp_path / "fairpassage.backup"
    backup.backup_create(path=archive)
    seen = archive_text(archive)
    assert ORG_NAME.encode() in seen  # the search does find what is stored in clear
    for secret in SECRETS:
        assert secret.encode() not in seen, secret
        assert json.dumps(secret).encode() not in seen, secret
    manifest = backup.archive_check(path=archive)
    worker_part = next(p for p in manifest["parts"] if p["model"] == "cases.worker")
    assert {"full_name", "passport_number", "phone"} <= set(worker_part["encrypted"])


@pytest.mark.django_db
def test_restore_into_a_database_with_data_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    populate()
    archive = tmp_path / "fairpassage.backup"
    assert cli(["--lang", "en", "backup", str(archive), "--quiet"]) == 0
    assert "personal data encrypted" in capsys.readouterr().out
    assert cli(["--lang", "en", "backup", str(archive)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    workers = Worker.objects.count()
    assert cli(["--lang", "en", "restore", str(archive)]) == 2
    error = capsys.readouterr().err
    assert "not empty" in error and "cases.worker (1 rows)" in error
    assert Worker.objects.count() == workers
    assert cli(["--lang", "en", "restore", "--check", str(archive)]) == 0
    assert "is intact" in capsys.readouterr().out


def _flip_byte_in(archive: Path, member_name: str) -> None:
    with tarfile.open(archive) as tar:
        offset = tar.getmember(member_name).offset_data
    with archive.open("r+b") as handle:
        handle.seek(offset + 12)
        byte = handle.read(1)
        handle.seek(offset + 12)
        handle.write(bytes([byte[0] ^ 0x01]))


@pytest.mark.django_db(transaction=True)
def test_truncated_or_altered_archives_are_refused_and_change_nothing(tmp_path: Path) -> None:
    populate()
    good = tmp_path / "good.backup"
    manifest = backup.backup_create(path=good).manifest
    empty_the_database(tmp_path)
    data = good.read_bytes()

    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(backup.ArchiveRefused, match=r"incomplete|truncated|readable"):
        backup.backup_restore(path=truncated)

    altered_part = tmp_path / "altered-part.backup"
    altered_part.write_bytes(data)
    worker_part = next(p for p in manifest["parts"] if p["model"] == "cases.worker")
    _flip_byte_in(altered_part, worker_part["name"])
    with pytest.raises(backup.ArchiveRefused, match="SHA-256"):
        backup.backup_restore(path=altered_part)

    altered_file = tmp_path / "altered-file.backup"
    altered_file.write_bytes(data)
    _flip_byte_in(altered_file, manifest["files"][0]["name"])
    with pytest.raises(backup.ArchiveRefused, match="SHA-256"):
        backup.backup_restore(path=altered_file)

    # Rewriting the manifest to match an altered part breaks its seal.
    altered_manifest = tmp_path / "altered-manifest.backup"
    with tarfile.open(good) as src, tarfile.open(altered_manifest, "w") as dst:
        for member in src.getmembers():
            handle = src.extractfile(member)
            assert handle is not None
            body = handle.read()
            if member.name == backup.MANIFEST:
                doc = json.loads(body)
                doc["parts"][0]["rows"] += 1
                body = json.dumps(doc).encode()
                member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    with pytest.raises(backup.ArchiveRefused, match="seal"):
        backup.backup_restore(path=altered_manifest)

    assert not Worker.objects.exists() and not Attachment.objects.exists()
    assert not list((tmp_path / "attachments").glob("*"))
    assert backup.backup_restore(path=good).rows == sum(p["rows"] for p in manifest["parts"])


@pytest.mark.django_db(transaction=True)
def test_restore_needs_the_same_keys_and_migrations(
    tmp_path: Path, settings: SettingsWrapper
) -> None:
    populate()
    archive = tmp_path / "fairpassage.backup"
    backup.backup_create(path=archive)
    empty_the_database(tmp_path)
    from cryptography.fernet import Fernet  # noqa: PLC0415

    original_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(backup.ArchiveRefused, match="cannot be decrypted"):
        backup.backup_restore(path=archive)
    assert not Worker.objects.exists() and not Organisation.objects.exists()
    settings.FIELD_ENCRYPTION_KEYS = original_keys

    original_hash_key = settings.FIELD_HASH_KEY
    settings.FIELD_HASH_KEY = "another-installation"
    with pytest.raises(backup.ArchiveRefused, match="seal"):
        backup.backup_restore(path=archive)
    settings.FIELD_HASH_KEY = original_hash_key

    # An archive from another version (resealed, as that version would have) is refused.
    other = tmp_path / "other-version.backup"
    with tarfile.open(archive) as src, tarfile.open(other, "w") as dst:
        for member in src.getmembers():
            handle = src.extractfile(member)
            assert handle is not None
            body = handle.read()
            if member.name == backup.MANIFEST:
                doc = json.loads(body)
                doc["migrations"]["cases"].append("9999_from_the_future")
                backup._seal(doc)
                body = json.dumps(doc).encode()
                member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    with pytest.raises(backup.ArchiveRefused, match=r"migrations differ .* cases"):
        backup.backup_restore(path=other)
    assert not Worker.objects.exists()


DRIVER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)
    from fairpassage.core.backup import archive_check, backup_create
    from fairpassage.core.models import AuditEvent, Profile, User
    if not AuditEvent.objects.filter(action="load.test").exists():
        AuditEvent.objects.bulk_create(
            AuditEvent(actor_label="system", action="load.test", data={"n": n})
            for n in range(3000)
        )
        user = User.objects.create(username="sqlite.user")
        Profile.objects.create(user=user, display_name=os.environ["NAME_TO_KEEP"])
    def hold(label, count):
        if label == "archive":
            print("writing", flush=True)
            time.sleep(600)
    path = Path(sys.argv[1])
    if sys.argv[2] == "hold":
        backup_create(path=path, progress=hold)
    else:
        backup_create(path=path)
        manifest = archive_check(path=path)
        print("rows", sum(p["rows"] for p in manifest["parts"]), flush=True)
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_backup_killed_mid_way_leaves_no_archive(tmp_path: Path) -> None:
    """A killed backup leaves nothing under the final name; the next one is whole, and it
    restores here (from SQLite into PostgreSQL when the suite runs on PostgreSQL)."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    archive = tmp_path / "fairpassage.backup"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FAIRPASSAGE_VAR_DIR": str(tmp_path / "var"),
        "FAIRPASSAGE_ENV": "test",
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
        "NAME_TO_KEEP": NAME,
        # the driver imports this checkout, not whichever one the environment has installed
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    command = [sys.executable, str(driver), str(archive)]
    with subprocess.Popen(
        [*command, "hold"], cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        partial = tmp_path / f".fairpassage.backup.{proc.pid}.partial"
        assert partial.stat().st_size > 0  # the archive is being written
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    assert not archive.exists()

    done = subprocess.run(
        [*command, "complete"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert int(done.stdout.split()[-1]) > 3000
    assert archive.exists()
    assert not partial.exists()  # the next backup removed what the killed one left

    empty_the_database(tmp_path)
    restored = backup.backup_restore(path=archive)
    assert restored.manifest["database"] == "sqlite"
    assert AuditEvent.objects.filter(action="load.test").count() == 3000
    assert Profile.objects.get(user__username="sqlite.user").display_name == NAME
