"""Item 14: an attachment refused for its name left an orphan encrypted file behind. Nothing is
written before every check has passed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fairpassage.cases import services, storage
from fairpassage.cases.models import Attachment
from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import Role
from tests.cases.conftest import World, _private_attachments, file_grievance, world
from tests.factories import login_verified

__all__ = ["_private_attachments", "world"]

PDF = b"%PDF-1.4\n% contract\n%%EOF\n"


def _files() -> list[Path]:
    root = storage.attachment_dir()
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("name", ["x" * 300 + ".pdf", "contract\x00.pdf"])
def test_item_14_a_name_refused_leaves_no_file(world: World, name: str) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", Role.CASE_WORKER)
    with pytest.raises(InvalidInput) as refused:
        services.attachment_add(actor=worker, case=case, name=name, content=PDF)
    assert refused.value.field == "file"
    assert _files() == []
    assert not Attachment.objects.exists()


def test_item_14_a_refused_upload_on_the_page_leaves_no_file(client: Client, world: World) -> None:
    case, _code = file_grievance()
    login_verified(client, world.user("vn", Role.CASE_WORKER))
    upload = SimpleUploadedFile("y" * 300 + ".pdf", PDF, content_type="application/pdf")
    response = client.post(f"/vi/cases/{case.pk}/do/attach/", {"file": upload})
    assert response.status_code < 500
    assert _files() == []
    assert not Attachment.objects.exists()
    # A good name is stored, once, encrypted.
    good = SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf")
    client.post(f"/vi/cases/{case.pk}/do/attach/", {"file": good})
    assert Attachment.objects.count() == 1
    assert len(_files()) == 1
    assert PDF not in _files()[0].read_bytes()
