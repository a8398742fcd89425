"""Files go through Django's storage API (issue 17, item 5): attachments and the files of a backup
run unchanged on a storage that is not a folder (Django's ``InMemoryStorage``, standing in for
object storage), nothing is written to the folders behind the API's back, and what the storage
holds is encrypted by us."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.test import override_settings
from django.utils import translation
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import storage
from fairpassage.cases.models import Attachment
from fairpassage.core import backup
from fairpassage.core.files import PrivateFolderStorage, walk
from tests.core.test_backup import PDF, cli, empty_the_database, populate

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "backups": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}


@pytest.fixture
def folders(settings: SettingsWrapper, tmp_path: Path) -> Iterator[Path]:
    """The folders the filesystem storages would use: they must stay empty."""
    settings.CASES_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.BACKUP_DIR = tmp_path / "backups"
    with override_settings(STORAGES=IN_MEMORY), translation.override("en"):
        yield tmp_path


def _written(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.suffix != ".backup"]


def test_the_named_storages_are_private_folders_by_default(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.CASES_ATTACHMENT_DIR = tmp_path / "here"
    store = storages["attachments"]
    assert isinstance(store, PrivateFolderStorage)
    assert Path(store.location) == (tmp_path / "here").resolve()
    with pytest.raises(ValueError, match="no URL"):
        store.url("x")


@pytest.mark.django_db
def test_attachments_go_through_the_storage_encrypted(folders: Path) -> None:
    made = populate()
    store = storages["attachments"]
    assert isinstance(store, InMemoryStorage)
    attachment: Attachment = made["attachment"]
    assert list(walk(store)) == [attachment.stored_name]
    with store.open(attachment.stored_name, "rb") as handle:
        sealed = handle.read()
    assert b"%PDF" not in sealed
    assert b"attachment-marker" not in sealed
    assert storage.read(attachment.stored_name) == PDF
    assert _written(folders) == [], "nothing written beside the storage API"


@pytest.mark.django_db(transaction=True)
def test_a_backup_round_trip_reads_and_writes_files_through_the_storage(folders: Path) -> None:
    made = populate()
    archive = folders / "fairpassage.backup"
    result = backup.backup_create(path=archive)
    assert [f["path"] for f in result.manifest["files"]] == [made["attachment"].stored_name]

    empty_the_database(folders)
    store = storages["attachments"]
    store.delete(made["attachment"].stored_name)
    assert list(walk(store)) == []
    restored = backup.backup_restore(path=archive)

    assert restored.files == 1
    assert list(walk(store)) == [made["attachment"].stored_name]
    assert storage.read(made["attachment"].stored_name) == PDF
    assert _written(folders) == [], "nothing written beside the storage API"


@pytest.mark.django_db
def test_a_restore_into_a_store_with_files_is_refused(folders: Path) -> None:
    populate()
    archive = folders / "fairpassage.backup"
    backup.backup_create(path=archive)
    with pytest.raises(backup.ArchiveRefused, match="not empty"):
        backup.backup_restore(path=archive)


@pytest.mark.django_db(transaction=True)
def test_the_command_stores_the_archive_and_restores_it_from_the_storage(
    folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = populate()
    assert cli(["backup", "nightly/fairpassage.backup", "--to-storage", "--quiet"]) == 0
    stored = storages["backups"]
    assert list(walk(stored)) == ["nightly/fairpassage.backup"]
    assert cli(["backup", "nightly/fairpassage.backup", "--to-storage", "--quiet"]) == 2
    capsys.readouterr()
    assert (
        cli(["--lang", "en", "restore", "nightly/fairpassage.backup", "--from-storage", "--check"])
        == 0
    )
    assert "storage:nightly/fairpassage.backup is intact" in capsys.readouterr().out

    empty_the_database(folders)
    storages["attachments"].delete(made["attachment"].stored_name)
    assert cli(["restore", "nightly/fairpassage.backup", "--from-storage", "--quiet"]) == 0
    assert storage.read(made["attachment"].stored_name) == PDF
    assert cli(["restore", "missing.backup", "--from-storage"]) == 2
    assert _written(folders) == [], "nothing written beside the storage API"
