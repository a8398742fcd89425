"""*Check an agency* and *help now* in the chat: the agency page's search and warnings, the
help directory's numbers for where the worker is."""

from __future__ import annotations

import pytest
from django.conf import settings

from fairpassage.registry.imports import agencies_import
from fairpassage.registry.services import help_directory_load
from tests.channels.dialogue_helpers import Chat, fresh_state, translated
from tests.factories import OrganisationFactory
from tests.registry.conftest import csv_bytes
from tests.registry.test_imports import NOV_1, NOV_20, SAKURA, SAO_MAI

pytestmark = pytest.mark.django_db

NOT_LISTED = "nhan luc quoc te abc"
NOT_FOUND = "No agency named “%(q)s” is on the lists we hold."
DO_NOT_PAY = "do not pay this agency"


@pytest.fixture(autouse=True)
def _clean() -> None:
    fresh_state()


@pytest.fixture
def listed() -> None:
    """Sao Mai licensed on 1 November, revoked on 20 November; Sakura licensed."""
    agencies_import(actor=None, data=csv_bytes(SAO_MAI, SAKURA), filename="l.csv", as_of=NOV_1)
    revoked = SAO_MAI.replace(",active,", ",revoked,")
    agencies_import(actor=None, data=csv_bytes(revoked, SAKURA), filename="l.csv", as_of=NOV_20)


def _chat(language: str) -> Chat:
    chat = Chat(OrganisationFactory.create().pk)
    chat.send("hi")
    chat.tap(language)
    return chat


def test_a_name_not_on_the_lists_gets_the_page_warning_in_vietnamese(listed: None) -> None:
    chat = _chat("vi")
    chat.tap("agency")
    answer = chat.send(NOT_LISTED)
    assert translated("vi", NOT_FOUND) % {"q": NOT_LISTED} in answer
    assert translated("vi", "Similar names, not the same agency") in answer
    assert answer.index(translated("vi", NOT_FOUND) % {"q": NOT_LISTED}) < answer.index("Sao Mai")
    assert chat.state["flow"] == "agency"  # another name searches again


def test_a_revoked_licence_says_do_not_pay(listed: None) -> None:
    chat = _chat("vi")
    chat.tap("agency")
    answer = chat.send("123/LĐTBXH-GP")
    assert "Công ty Cổ phần Nhân lực Sao Mai" in answer
    assert translated("vi", DO_NOT_PAY) in answer
    assert translated("vi", "Same licence number") in answer
    assert "https://fairpassage.example.org/vi/agencies/" in answer
    assert translated("vi", NOT_FOUND) % {"q": "123/LĐTBXH-GP"} not in answer


def test_a_licensed_agency_in_japanese(listed: None) -> None:
    chat = _chat("ja")
    chat.send("1")  # the menu's first item
    answer = chat.send("サクラ事業協同組合")
    assert "✓" in answer and translated("ja", DO_NOT_PAY) not in answer
    assert translated("ja", "Same name") in answer and "許1712000123" in answer
    nothing = chat.send("存在しない組合")
    assert translated("ja", NOT_FOUND) % {"q": "存在しない組合"} in nothing
    revoked = chat.send("Công ty Cổ phần Nhân lực Sao Mai")
    assert translated("ja", DO_NOT_PAY) in revoked and "⚠" in revoked


@pytest.mark.parametrize("language", ["vi", "ja"])
def test_help_now_in_japan_and_in_viet_nam(language: str) -> None:
    help_directory_load(data_dir=settings.FAIRPASSAGE_DATA_DIR)
    chat = _chat(language)
    chat.tap("help")
    japan = chat.tap("JP")
    assert "☎ 110" in japan and "☎ 119" in japan and "☎ 113" not in japan
    assert "0120-250-168" in japan  # the OTIT line in Vietnamese
    assert "(813) 3466-3311" in japan  # the embassy of Viet Nam in Tokyo
    assert chat.state == {"v": 1, "lang": language}
    chat.tap("help")
    viet_nam = chat.send("2")
    assert "☎ 113" in viet_nam and "☎ 115" in viet_nam and "☎ 110" not in viet_nam
    assert "+84 981 84 84 84" in viet_nam  # the citizen-protection hotline
    assert f"/{language}/help/" in viet_nam
