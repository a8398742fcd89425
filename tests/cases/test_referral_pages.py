"""Referral between installations from the staff pages: the package downloaded from the case
page is imported on the receiving side (here the same test installation, which lists itself
among its peers), refusals render as translated errors and store nothing, and who may do what."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import package, people
from fairpassage.cases.models import Case, Note, Referral, TimelineEvent, Worker
from fairpassage.cases.package import InstallationKeys, keypair_generate
from fairpassage.cases.services import note_add
from fairpassage.core.models import AuditEvent
from tests.cases.conftest import World, file_grievance
from tests.cases.staff_scene import SHARED, Scene, scene_build, statuses, upload
from tests.cases.test_permissions import expect
from tests.factories import login_verified

pytestmark = pytest.mark.django_db

HERE, ELSEWHERE, STRANGER = keypair_generate(), keypair_generate(), keypair_generate()
IMPORT = "/en/cases/referrals/import/"


def _public(keys: InstallationKeys) -> dict[str, str]:
    return {"signing": keys.signing_public_key, "encryption": keys.encryption_public_key}


@pytest.fixture
def configured(settings: SettingsWrapper) -> None:
    settings.REFERRAL_INSTALLATION_ID = "test-here"
    settings.REFERRAL_SIGNING_KEY = HERE.signing_private_key
    settings.REFERRAL_ENCRYPTION_KEY = HERE.encryption_private_key
    settings.REFERRAL_PEERS = {"test-here": _public(HERE), "jp-elsewhere": _public(ELSEWHERE)}


@pytest.fixture
def scene(world: World, configured: None) -> Scene:
    return scene_build(world)


def _form(scene: Scene, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "peer": "test-here",
        "to_org": scene.world.jp.slug,
        "consent": str(scene.consent.pk),
        "parts": list(SHARED),
    }
    data.update(overrides)
    return data


def _download(scene: Scene, **overrides: Any) -> bytes:
    client = Client()
    login_verified(client, scene.world.user("vn", "case_worker"))
    response = client.post(f"/en/cases/{scene.a.pk}/package/", _form(scene, **overrides))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="referral-')
    return response.content


def _stored() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        Worker.objects.count(),
        Note.objects.count(),
        TimelineEvent.objects.count(),
        AuditEvent.objects.filter(action="referral.import").count(),
    )


def test_case_page_offers_the_form_and_the_queue_the_import(scene: Scene, client: Client) -> None:
    login_verified(client, scene.world.user("vn", "case_worker"))
    html = client.get(f"/en/cases/{scene.a.pk}/").content.decode()
    assert 'id="referral-package-form"' in html
    assert '<option value="test-here">' in html and '<option value="jp-elsewhere">' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert f'href="{IMPORT}"' in client.get("/en/cases/").content.decode()


def test_download_then_import_files_the_consented_parts(scene: Scene, client: Client) -> None:
    vn = scene.world.user("vn", "case_worker")
    note_add(actor=vn, case=scene.a, body="Đã gọi lại cho người lao động.", language="vi")
    data = _download(scene)
    envelope = json.loads(data)
    assert envelope["format"] == "fairpassage-referral"
    assert envelope["recipient"]["organisation"] == scene.world.jp.slug
    assert "150 triệu".encode() not in data and b"4567" not in data  # encrypted
    assert scene.a.timeline.filter(kind="referral.exported").count() == 1
    assert Referral.objects.filter(case=scene.a).count() == 1  # the accepted one is reused

    login_verified(client, scene.world.user("jp", "case_worker"))
    before = Case.objects.count()
    response = upload(client, IMPORT, data)
    assert response.status_code == 302
    imported = Case.objects.exclude(pk=scene.a.pk).get()
    assert Case.objects.count() == before + 1
    assert response["Location"] == f"/en/cases/{imported.pk}/"
    assert imported.organisation == scene.world.jp
    assert imported.statement == scene.a.statement
    assert imported.contact == ""  # the contact was not consented
    assert [n.body for n in imported.notes.all()] == ["Đã gọi lại cho người lao động."]
    page = client.get(response["Location"]).content.decode()
    assert "The referral is imported as a new case." in page

    again = upload(client, IMPORT, _download(scene))  # a second download of the same referral
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Case.objects.count() == before + 1
    assert "imported before" in client.get(again["Location"]).content.decode()


def test_a_new_referral_is_proposed_under_the_consent(world: World, configured: None) -> None:
    vn = world.user("vn", "case_worker")
    case, _code = file_grievance()
    consent = people.consent_record(
        actor=vn,
        case=case,
        purpose="referral",
        method="oral",
        organisations=[world.jp],
        parts=["statement"],
    )
    scene = Scene(world, case, consent, referral=None)
    _download(scene, parts=["statement"])
    referral = Referral.objects.get(case=case)
    assert (referral.to_org, referral.parts, referral.status) == (
        world.jp,
        ["statement"],
        "proposed",
    )
    assert case.timeline.filter(kind="referral.exported").exists()


def _refused(client: Client, data: bytes, text: str) -> None:
    before = _stored()
    response = upload(client, IMPORT, data)
    html = response.content.decode()
    assert response.status_code == 422, html[:2000]
    assert text in html and 'role="alert"' in html
    assert _stored() == before


def test_tampered_unknown_and_foreign_packages_are_refused(scene: Scene, client: Client) -> None:
    good = _download(scene)
    login_verified(client, scene.world.user("jp", "case_worker"))

    envelope = json.loads(good)
    envelope["ciphertext"] = envelope["ciphertext"][:-8] + "AAAAAAA="
    _refused(client, json.dumps(envelope).encode(), "was changed or not sent by test-here")

    stranger = package.package_export(
        {"referral": {"id": 1}},
        sender_signing_key=STRANGER.signing_private_key,
        recipient_public_key=HERE.encryption_public_key,
        sender={"installation": "vn-stranger", "organisation": "x"},
        recipient={"installation": "test-here", "organisation": scene.world.jp.slug},
    )
    _refused(client, stranger, "comes from an installation that is not trusted here")

    for_elsewhere = _download(scene, peer="jp-elsewhere")
    _refused(client, for_elsewhere, "addressed to another installation")

    _refused(client, b"not a package", "This is not a referral package")


def test_refused_choices_come_back_on_the_form(scene: Scene, client: Client) -> None:
    login_verified(client, scene.world.user("vn", "case_worker"))
    url = f"/en/cases/{scene.a.pk}/package/"
    referrals = Referral.objects.count()
    unknown = client.post(url, _form(scene, to_org="nobody-here"))
    assert unknown.status_code == 422
    assert "No organisation has this identifier" in unknown.content.decode()
    other = client.post(url, _form(scene, to_org=scene.world.other.slug))
    assert other.status_code == 403
    assert "The consent does not name this organisation." in other.content.decode()
    bad_peer = client.post(url, _form(scene, peer="nowhere"))
    assert bad_peer.status_code == 422
    assert Referral.objects.count() == referrals
    assert not scene.a.timeline.filter(kind="referral.exported").exists()


def test_without_keys_the_pages_say_so(
    scene: Scene, client: Client, settings: SettingsWrapper
) -> None:
    settings.REFERRAL_SIGNING_KEY = ""
    login_verified(client, scene.world.user("vn", "case_worker"))
    assert (
        'id="referral-package-form"' not in client.get(f"/en/cases/{scene.a.pk}/").content.decode()
    )
    page = client.get(IMPORT).content.decode()
    assert "not configured here" in page and 'id="referral-import-form"' not in page
    refused = client.post(f"/en/cases/{scene.a.pk}/package/", _form(scene))
    assert refused.status_code == 503
    assert Referral.objects.count() == 1


def test_the_sender_cannot_import_for_the_receiver(scene: Scene, client: Client) -> None:
    data = _download(scene)
    login_verified(client, scene.world.user("vn", "case_worker"))
    before = _stored()
    response = upload(client, IMPORT, data)
    assert response.status_code == 403
    assert "Only case workers of the receiving organisation" in response.content.decode()
    assert _stored() == before


OWNER_WRITERS = expect(404, vn_writers=200, jp_readers=403)
IMPORTERS = expect(403, vn_writers=200, jp_writers=200, other_writers=200)


def test_permission_matrix_export_page(scene: Scene) -> None:
    url = f"/vi/cases/{scene.a.pk}/package/"
    assert statuses(scene.world, lambda c: c.get(url)) == OWNER_WRITERS


def test_permission_matrix_export_download(scene: Scene) -> None:
    url = f"/vi/cases/{scene.a.pk}/package/"
    assert statuses(scene.world, lambda c: c.post(url, _form(scene))) == OWNER_WRITERS
    assert scene.a.timeline.filter(kind="referral.exported").count() == 2


def test_permission_matrix_import_page(scene: Scene) -> None:
    assert statuses(scene.world, lambda c: c.get("/vi/cases/referrals/import/")) == IMPORTERS


def test_permission_matrix_import_upload(scene: Scene) -> None:
    data = _download(scene)
    seen = statuses(scene.world, lambda c: upload(c, "/vi/cases/referrals/import/", data))
    assert seen == expect(403, jp_writers=302)
    assert Case.objects.filter(organisation=scene.world.jp).count() == 1
