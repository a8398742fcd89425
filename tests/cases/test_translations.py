"""Two languages on one case (issue 16, item 5): every text shows its language; staff attach a
translation kept beside the original, marked with who made it, encrypted, audited; the worker's
tracking page shows a staff reply in the worker's language when a translation exists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation as django_translation

from fairpassage.cases import services
from fairpassage.cases.choices import Part
from fairpassage.cases.models import Message, Note, TimelineEvent, Translation
from fairpassage.cases.translations import translation_add, worker_thread
from fairpassage.core import services as core_services
from fairpassage.core.errors import Forbidden, InvalidInput, NotFound
from fairpassage.core.models import AuditEvent
from tests.cases.conftest import World, file_grievance
from tests.cases.test_permissions import refer
from tests.factories import login_verified

pytestmark = pytest.mark.django_db

REPLY_JA = "明日お電話します。"
REPLY_VI = "Ngày mai chúng tôi sẽ gọi cho bạn."


def test_messages_carry_their_language(world: World) -> None:
    case, _code = file_grievance(language="vi")
    mine = services.grievant_message_post(case=case, body="Xin chào")
    assert mine.language == "vi"
    with django_translation.override("ja"):
        reply = services.staff_message_post(
            actor=world.user("vn", "case_worker"), case=case, body=REPLY_JA
        )
    assert reply.language == "ja"
    with pytest.raises(InvalidInput) as refused:
        services.staff_message_post(
            actor=world.user("vn", "case_worker"), case=case, body="x", language="fr"
        )
    assert refused.value.field == "language"


def test_a_translation_is_kept_beside_the_original_encrypted_and_audited(world: World) -> None:
    case, _code = file_grievance()
    refer(world, case, [Part.STATEMENT, Part.MESSAGES])
    osaka = world.user("jp", "case_worker")
    made = translation_add(
        actor=osaka, case=case, language="ja", body="ソンホン社に1億5千万ドン払った"
    )
    assert made.of == "statement" and made.organisation == world.jp
    assert made.author_role == "case_worker"
    case.refresh_from_db()
    assert case.statement.startswith("Công ty thu")  # the original is untouched
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_translation")
        raw = str(cursor.fetchall())
    assert "ソンホン" not in raw
    event = AuditEvent.objects.get(action="case.translation")
    assert event.organisation == world.jp and "ソンホン" not in str(event.data)
    step = TimelineEvent.objects.get(case=case, kind="translation")
    assert step.data == {"of": "statement", "from": "vi", "to": "ja"}


def test_translation_refusals(world: World) -> None:
    case, _code = file_grievance()
    refer(world, case, [Part.MESSAGES])  # the statement is not shared with Osaka
    osaka = world.user("jp", "case_worker")
    hanoi = world.user("vn", "case_worker")
    with pytest.raises(Forbidden):
        translation_add(actor=osaka, case=case, language="ja", body="x")
    with pytest.raises(InvalidInput) as same:
        translation_add(actor=hanoi, case=case, language="vi", body="x")
    assert same.value.field == "language"
    note = services.note_add(actor=hanoi, case=case, body="Ghi chú nội bộ", language="vi")
    with pytest.raises(Forbidden):  # Hanoi's note is not shared: Osaka cannot see it
        translation_add(actor=osaka, case=case, language="ja", body="x", note=note)
    other, _code = file_grievance()
    elsewhere = services.grievant_message_post(case=other, body="khác")
    with pytest.raises(InvalidInput):
        translation_add(actor=hanoi, case=case, language="ja", body="x", message=elsewhere)
    with pytest.raises(NotFound):  # a reviewer opens no case
        translation_add(actor=world.user("vn", "reviewer"), case=case, language="ja", body="x")
    assert not Translation.objects.exists()


def test_the_worker_reads_the_reply_in_their_language(world: World) -> None:
    case, _code = file_grievance()
    hanoi = world.user("vn", "case_worker")
    reply = services.staff_message_post(actor=hanoi, case=case, body=REPLY_JA, language="ja")
    assert [m.body for m in worker_thread(case=case, language="vi")] == [REPLY_JA]
    translation_add(actor=hanoi, case=case, language="vi", body=REPLY_VI, message=reply)
    shown = worker_thread(case=case, language="vi")[0]
    assert (shown.body, shown.original, shown.original_language) == (REPLY_VI, REPLY_JA, "ja")
    assert "vn-support" in shown.translated_by or world.vn.name in shown.translated_by
    assert worker_thread(case=case, language="ja")[0].body == REPLY_JA


def test_the_tracking_page_shows_the_translation_and_the_original(world: World) -> None:
    case, code = file_grievance()
    hanoi = world.user("vn", "case_worker")
    reply = services.staff_message_post(actor=hanoi, case=case, body=REPLY_JA, language="ja")
    translation_add(actor=hanoi, case=case, language="vi", body=REPLY_VI, message=reply)
    page = Client().post("/vi/grievance/track/", {"code": code}).content.decode()
    assert REPLY_VI in page and REPLY_JA in page
    assert page.index(REPLY_VI) < page.index(REPLY_JA)  # the original below, folded
    assert 'class="original"' in page


def test_the_case_page_marks_languages_and_translates_through_a_form(world: World) -> None:
    case, _code = file_grievance()
    hanoi = world.user("vn", "case_worker")
    reply = services.staff_message_post(actor=hanoi, case=case, body=REPLY_JA, language="ja")
    client = Client()
    login_verified(client, hanoi)
    url = f"/vi/cases/{case.pk}/do/translate/"
    response = client.post(url, {"message": reply.pk, "language": "vi", "body": REPLY_VI})
    assert response.status_code == 302
    assert response["Location"] == f"/vi/cases/{case.pk}/?section=messages#s-messages"
    note = Note.objects.create(
        case=case, organisation=world.vn, author=hanoi, language="vi", body="Ghi chú"
    )
    response = client.post(url, {"note": note.pk, "language": "ja", "body": "メモ"})
    assert response["Location"].endswith("?section=notes#s-notes")
    page = client.get(f"/vi/cases/{case.pk}/").content.decode()
    assert '<p lang="ja">' in page and REPLY_VI in page and "メモ" in page
    assert page.count('class="translation"') == 2
    assert AuditEvent.objects.filter(action="case.read", object_id=str(case.pk)).exists()
    assert Message.objects.get(pk=reply.pk).body == REPLY_JA


def test_the_api_gives_languages_and_translations(world: World) -> None:
    case, _code = file_grievance()
    refer(world, case, [Part.STATEMENT, Part.MESSAGES])
    osaka = world.user("jp", "case_worker")
    _token, plaintext = core_services.api_token_create(actor=None, user=osaka, name="t")
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    sent = client.post(
        f"/api/cases/{case.pk}/messages",
        {"body": REPLY_JA, "language": "ja"},
        content_type="application/json",
    ).json()
    assert sent["language"] == "ja" and sent["translations"] == []
    made = client.post(
        f"/api/cases/{case.pk}/translations",
        {"language": "ja", "body": "ソンホン社"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["organisation"] == world.jp.slug
    refused = client.post(
        f"/api/cases/{case.pk}/translations",
        {"language": "vi", "body": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 422  # the statement is already in Vietnamese
    out = client.get(f"/api/cases/{case.pk}").json()
    assert out["statement_language"] == "vi"
    assert [t["body"] for t in out["statement_translations"]] == ["ソンホン社"]
    assert out["messages"][0]["language"] == "ja"
