"""*Report a problem* and *follow my report* in the chat: the web form's grievance (same
validation, routing and urgency), the tracking code once, then following it in the chat with the
worker's consent, or with the code as on the site."""

from __future__ import annotations

import json
import re

import pytest

from fairpassage.cases import codes
from fairpassage.cases import services as case_services
from fairpassage.cases.choices import MessageSender
from fairpassage.cases.models import Case
from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Organisation, Role, User
from tests.channels.dialogue_helpers import Chat, fresh_state, offered, translated
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}\b")


@pytest.fixture(autouse=True)
def _clean() -> None:
    fresh_state()


@pytest.fixture
def vn() -> Organisation:
    return OrganisationFactory.create(slug="vn-support", country=Country.VIET_NAM)


@pytest.fixture
def jp() -> Organisation:
    return OrganisationFactory.create(slug="jp-union", country=Country.JAPAN)


def _case_worker(organisation: Organisation) -> User:
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.CASE_WORKER
    )
    return user


def _code_in(text: str) -> str:
    found = CODE.search(text)
    assert found is not None, text
    return found.group(0)


def test_a_grievance_in_vietnamese_followed_in_the_chat(vn: Organisation, jp: Organisation) -> None:
    chat = Chat(vn.pk)
    chat.send("Xin chào")
    chat.tap("vi")
    chat.tap("report")
    chat.tap("no")  # not in danger now
    chat.tap("VN")
    chat.send("1, 2")  # fees and debt, deposit or penalty
    chat.tap("before_departure")
    chat.send("Công ty thu 150 triệu và giữ 30 triệu tiền cọc, không trả lại.")
    assert chat.state["data"]["key"]  # the submission key, kept until the grievance is filed
    done = chat.tap("skip")
    code = _code_in(done)
    case = Case.objects.get()
    assert case.tracking_hash == codes.tracking_hash(code)
    assert sorted(case.categories) == ["deposit_penalty", "fees_debt"]
    assert case.organisation == vn  # routed as the web form routes: Viet Nam's support group
    assert not case.urgent and case.stage == "before_departure" and case.language == "vi"
    assert case.statement.startswith("Công ty thu 150 triệu")
    # Neither the code nor the key that makes it stays in the conversation.
    stored = json.dumps(chat.state)
    assert codes.normalise(code) not in stored.replace("-", "") and "key" not in stored
    assert offered(chat.last) == ["yes", "no"]
    chat.tap("yes")
    assert chat.last.link_case_id == case.pk and chat.state["linked"] == case.pk
    # What she writes next joins her case; the staff reply is shown when she follows it.
    chat.send("Tôi còn giữ biên lai.")
    (mine,) = case.messages.filter(sender=MessageSender.GRIEVANT)
    assert mine.body == "Tôi còn giữ biên lai."
    worker = _case_worker(vn)
    case_services.staff_message_post(actor=worker, case=case, body="Chị gửi ảnh biên lai nhé.")
    status = chat.tap("follow")
    assert translated("vi", "Received") in status and "Chị gửi ảnh biên lai nhé." in status
    assert chat.state["linked"] == case.pk  # still linked after going back to the menu


def test_a_grievance_in_japanese_urgent_followed_with_the_code(
    vn: Organisation, jp: Organisation
) -> None:
    chat = Chat(jp.pk, sender_hash="j" * 64)
    chat.send("こんにちは")
    chat.tap("ja")
    chat.send("4")  # the menu's number: report a problem
    danger = chat.send("はい")
    assert "110" in danger and "119" in danger  # the emergency numbers at once
    chat.send("2")  # in Japan (the second of: Viet Nam, Japan, elsewhere)
    chat.send("7")  # violence or harassment
    chat.tap("in_japan")
    chat.send("寮で殴られました。パスポートも取られています。")
    done = chat.send("スキップ")
    code = _code_in(done)
    case = Case.objects.get()
    assert case.urgent and case.organisation == jp and case.categories == ["violence"]
    assert case.language == "ja"
    chat.send("いいえ")  # no consent: the chat stays unlinked
    assert chat.last.link_case_id is None and "linked" not in chat.state
    # Staff answer; she follows with the code as on the site, and replies once.
    worker = _case_worker(jp)
    case_services.staff_message_post(actor=worker, case=case, body="すぐに連絡します。")
    chat.tap("follow")
    wrong = chat.send("AAAA-BBBB-CCCC-DDDD-EEEE")
    assert translated("ja", "No grievance has this tracking code. Check each character.") in wrong
    status = chat.send(code.lower())
    assert translated("ja", "Received") in status and "すぐに連絡します。" in status
    assert chat.state["step"] == "reply"
    chat.send("ありがとうございます。")
    assert (
        case.messages.filter(sender=MessageSender.GRIEVANT).get().body == "ありがとうございます。"
    )
    assert chat.state == {"v": 1, "lang": "ja"}  # the case is not kept in the chat
    # Free text now is not a message to the case: she must give the code again.
    chat.send("もう一つ")
    assert case.messages.filter(sender=MessageSender.GRIEVANT).count() == 1


def test_another_sender_sees_nothing_of_a_linked_case(vn: Organisation) -> None:
    worker_chat = Chat(vn.pk, sender_hash="a" * 64)
    for step in ("hi", "vi", "report", "no", "VN", "1", "in_japan", "Bị nợ lương", "skip", "yes"):
        worker_chat.send(step)
    case = Case.objects.get()
    assert worker_chat.state["linked"] == case.pk
    case_services.staff_message_post(actor=_case_worker(vn), case=case, body="Bí mật của vụ việc")
    stranger = Chat(vn.pk, sender_hash="b" * 64)
    stranger.send("hi")
    stranger.tap("vi")
    answer = stranger.tap("follow")
    assert "Bí mật" not in answer and stranger.state["step"] == "code"
    stranger.send("menu")
    stranger.send("Xin chào")  # free text from an unlinked chat goes to no case
    assert not case.messages.filter(sender=MessageSender.GRIEVANT).exists()


def test_a_redelivered_last_answer_files_the_grievance_once(vn: Organisation) -> None:
    chat = Chat(vn.pk)
    for step in ("hi", "vi", "report", "no", "VN", "1", "in_japan", "Bị nợ lương"):
        chat.send(step)
    before = dict(chat.state)
    first = chat.send("skip")
    # The channel layer may run the same step twice (a retry after a failure to store the state).
    chat.state = before
    second = chat.send("skip")
    assert Case.objects.count() == 1
    assert _code_in(first) == _code_in(second)


def test_code_lookups_in_the_chat_count_against_the_tracking_limit(
    vn: Organisation, settings: object
) -> None:
    settings.FAIRPASSAGE_RATE_LIMITS = {"track": 2}  # type: ignore[attr-defined]
    chat = Chat(vn.pk)
    chat.send("hi")
    chat.tap("en")
    chat.tap("follow")
    for _n in range(2):
        assert "No grievance has this tracking code" in chat.send("AAAA-BBBB-CCCC-DDDD-EEEE")
    assert "Too many messages" in chat.send("AAAA-BBBB-CCCC-DDDD-EEEE")


def test_a_statement_the_service_would_refuse_is_asked_again(vn: Organisation) -> None:
    chat = Chat(vn.pk)
    for step in ("hi", "en", "report", "no", "VN", "1", "in_japan"):
        chat.send(step)
    asked = chat.send("They kept my passport \x00")
    assert chat.state["step"] == "statement" and "statement" not in chat.state["data"]
    assert "Tell us what happened" in asked
    chat.send("x" * 5001)  # longer than a chat statement may be
    assert chat.state["step"] == "statement"
    chat.send("They kept my passport.")
    chat.tap("skip")
    assert Case.objects.get().statement == "They kept my passport."


def test_in_danger_the_numbers_come_at_once_under_each_country(vn: Organisation) -> None:
    chat = Chat(vn.pk)
    chat.send("hi")
    chat.tap("vi")
    chat.tap("report")
    danger = chat.tap("yes")
    japan, viet_nam = translated("vi", "Japan"), translated("vi", "Viet Nam")
    assert danger.index(f"{japan}:") < danger.index("☎ 110") < danger.index(f"{viet_nam}:")
    assert danger.index(f"{viet_nam}:") < danger.index("☎ 113")
    assert chat.state["step"] == "where" and chat.state["data"]["urgent"] is True
