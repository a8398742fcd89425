"""The conversation's frame: the language first, the menu from anywhere, anything unexpected
answered with the menu, never an exception; the state small and plain JSON."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from fairpassage.channels.dialogue import respond
from fairpassage.registry.services import help_directory_load
from tests.channels.dialogue_helpers import Chat, fresh_state, offered, translated
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MENU = ["agency", "fees", "help", "report", "follow"]
QUESTION = "What would you like to do? Tap a button or type its number."


@pytest.fixture(autouse=True)
def _clean() -> None:
    fresh_state()


@pytest.fixture
def chat() -> Chat:
    return Chat(OrganisationFactory.create().pk)


def test_the_first_message_offers_the_three_languages(chat: Chat) -> None:
    first = chat.send("", kind="follow")
    assert offered(chat.last) == ["vi", "ja", "en"]
    for language in ("vi", "ja", "en"):
        assert translated(language, "Hello. This is Fair Passage. Choose your language.") in first
    assert "lang" not in chat.state
    chat.send("something else")  # not a language: asked again
    assert offered(chat.last) == ["vi", "ja", "en"]
    menu = chat.send("Tiếng Việt")
    assert chat.state["lang"] == "vi" and translated("vi", QUESTION) in menu
    assert offered(chat.last) == MENU


@pytest.mark.parametrize(
    ("language", "word"), [("vi", "bắt đầu"), ("vi", "MENU"), ("ja", "メニュー"), ("en", "menu")]
)
def test_menu_words_return_to_the_menu_from_any_question(
    chat: Chat, language: str, word: str
) -> None:
    chat.send("hi")
    chat.tap(language)
    chat.tap("fees")
    chat.tap("ssw")
    assert chat.state["flow"] == "fees"
    answer = chat.send(word)
    assert translated(language, QUESTION) in answer
    assert chat.state == {"v": 1, "lang": language} and offered(chat.last) == MENU


def test_the_language_can_be_changed(chat: Chat) -> None:
    chat.send("hi")
    chat.tap("vi")
    chat.send("ngôn ngữ")
    assert offered(chat.last) == ["vi", "ja", "en"] and chat.state["lang"] == "vi"
    chat.tap("ja")
    assert chat.state == {"v": 1, "lang": "ja"}
    assert translated("ja", "Check my fees", "chat button") in chat.send("menu")


def test_unexpected_text_gets_the_menu_and_media_a_polite_answer(chat: Chat) -> None:
    chat.send("hi")
    chat.tap("en")
    answer = chat.send("what is this?")
    assert "I did not understand." in answer and QUESTION in answer
    chat.tap("fees")
    chat.tap("titp")
    step = dict(chat.state)
    media = chat.send("", kind="unsupported")
    assert "only text messages" in media
    assert chat.state == step  # the question is still open


@pytest.mark.parametrize(
    "state",
    [
        {"lang": "vi", "flow": "fees", "step": "kind", "data": {"pay": 5}},
        {"lang": "vi", "flow": "fees", "step": "amount", "data": {"pay": "x"}},
        {"lang": "vi", "flow": "report", "step": "agency", "data": {}},
        {"lang": "vi", "flow": "follow", "step": "reply", "data": {"case": "nothing"}},
        {"lang": "vi", "flow": "nowhere", "step": "?", "data": []},
        {"lang": "xx"},
        {"lang": "vi", "linked": 987654},
    ],
)
def test_a_broken_state_never_raises(state: dict[str, Any]) -> None:
    reply = respond(
        state=state,
        incoming=Chat(1).incoming("done"),
        organisation_id=1,
        site_url="https://example.org",
    )
    assert reply.messages and reply.messages[-1].text
    json.dumps(reply.state)


def test_states_stay_small_json_and_buttons_short(chat: Chat) -> None:
    steps = ["hi", "vi", "fees", "titp", "titp1", "36", "180.000", "01/06/2025"]
    for n in range(20):
        steps += [f"{n + 1}.000.000", "Phí đào tạo tiếng Nhật ở trung tâm Hà Nội"]
    for text in steps:
        chat.send(text)
        assert len(json.dumps(chat.state, ensure_ascii=False)) < 2500
        for message in chat.last.messages:
            assert all(len(q.label) <= 20 for q in message.quick_replies)
    assert chat.last.messages[-1].url  # twenty payments: the check ran by itself


@pytest.mark.parametrize("seed", range(6))
def test_random_taps_and_words_never_break_the_conversation(
    seed: int, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 1000, "track": 1000, "message": 1000}
    help_directory_load(data_dir=settings.FAIRPASSAGE_DATA_DIR)
    pick = random.Random(seed)
    words = ["done", "1", "2", "xong", "skip", "yes", "không", "120.000.000", "18万円", "36"]
    words += ["01/06/2025", "abc", "", "0", "ngôn ngữ", "AAAA-BBBB-CCCC-DDDD-EEEE", "vi"]
    chat = Chat(OrganisationFactory.create().pk)
    chat.send("hi")
    for _step in range(150):
        payloads = offered(chat.last)
        if payloads and pick.random() < 0.7:
            chat.send(pick.choice(payloads), kind="postback")
        else:
            chat.send(pick.choice(words))
        assert chat.last.messages and all(m.text for m in chat.last.messages)
        json.dumps(chat.state)
    assert not [r for r in caplog.records if r.levelname == "ERROR"], caplog.text
