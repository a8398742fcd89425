"""Item 10: a NUL byte accepted by a staff page on SQLite made the backup impossible to restore
on PostgreSQL. Pages refuse it on both databases (items 9 and 17); a restore that meets a row it
cannot load, whichever database it runs on, names the table and the row and changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from fairpassage.core import backup
from fairpassage.core.models import AuditEvent, Organisation, Role
from tests.cases.conftest import World, _private_attachments, file_grievance, world
from tests.core.test_backup import empty_the_database
from tests.factories import login_verified

__all__ = ["_private_attachments", "world"]

DRIVER = textwrap.dedent(
    """
    import os, sys
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)
    from fairpassage.core.backup import backup_create
    from fairpassage.core.models import Organisation
    # What a page accepted on SQLite before the fix: a NUL inside a clear-text column.
    Organisation.objects.create(name="Good", slug="good", kind="support_organisation", country="VN")
    bad = Organisation.objects.create(
        name="Bad\\x00name", slug="bad", kind="support_organisation", country="VN"
    )
    print(bad.pk, flush=True)
    backup_create(path=sys.argv[1])
    """
)


def _sqlite_archive_with_a_nul(tmp_path: Path) -> tuple[Path, int]:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    archive = tmp_path / "nul.backup"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FAIRPASSAGE_VAR_DIR": str(tmp_path / "var"),
        "FAIRPASSAGE_ENV": "test",
        "PYTHONPATH": str(settings.BASE_DIR),  # this checkout's code, not the installed one
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
    }
    done = subprocess.run(
        [sys.executable, str(driver), str(archive)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return archive, int(done.stdout.split()[0])


@pytest.mark.django_db(transaction=True)
def test_item_10_a_restore_names_the_row_it_cannot_load_and_changes_nothing(
    tmp_path: Path,
) -> None:
    archive, bad_pk = _sqlite_archive_with_a_nul(tmp_path)
    empty_the_database(tmp_path)
    with pytest.raises(backup.ArchiveRefused) as refused:
        backup.backup_restore(path=archive)
    message = str(refused.value)
    assert "core.organisation" in message and f"id {bad_pk}" in message and "name" in message
    # One transaction: nothing of the archive was kept, not even the good rows before it.
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.filter(action="backup.restore").exists()


def test_item_10_a_staff_page_refuses_a_nul_on_every_database(client: Client, world: World) -> None:
    case, _code = file_grievance()
    login_verified(client, world.user("vn", Role.CASE_WORKER))
    response = client.post(
        f"/vi/cases/{case.pk}/do/status/",
        {"status": "triage", "reason": "called\x00back"},
    )
    assert response.status_code == 422
    assert "reason" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "intake"
