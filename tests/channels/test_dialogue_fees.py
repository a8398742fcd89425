"""*Check my fees* in the chat: amounts typed as people type them, the page's engine, a plain
summary, and a signed link that opens the page's full result (expired or changed: refused)."""

from __future__ import annotations

import base64
import contextlib
import time
import zlib
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import signing
from django.test import Client, override_settings

from fairpassage.channels.dialogue import fee_link
from fairpassage.checks.templatetags.checks_tags import vnd
from tests.channels.dialogue_helpers import SITE, Chat, fresh_state, offered, today, translated
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean() -> None:
    fresh_state()


def _link(chat: Chat) -> str:
    url = chat.last.messages[-1].url
    assert url is not None and url.startswith(SITE)
    return url.removeprefix(SITE)


def _vietnamese_check(chat: Chat) -> str:
    chat.send("Chào")
    chat.tap("vi")
    chat.tap("fees")
    chat.tap("titp")
    chat.tap("titp1")
    chat.send("36 tháng")
    chat.send("180.000")
    chat.send("01/06/2025")
    chat.send("120.000.000")
    chat.tap("service_fee")
    asked = chat.send("120,5")  # could be read two ways: asked again, naming the payment
    assert "“120,5”" in asked and translated("vi", "Payment %(n)s") % {"n": 2} in asked
    assert chat.state["step"] == "amount" and len(chat.state["data"]["pay"]) == 1
    chat.send("30tr")
    chat.send("tiền cọc")  # her own words: the engine reads the kind of cost from them
    return chat.tap("done")


def test_a_fee_check_in_vietnamese_gives_the_page_result_and_a_link(client: Client) -> None:
    chat = Chat(OrganisationFactory.create().pk)
    summary = _vietnamese_check(chat)
    assert chat.state == {"v": 1, "lang": "vi"}  # back at the menu, nothing of the check kept
    # The same check posted on the page gives the same figures.
    page = client.post(
        "/vi/fee-check/",
        {
            "programme": "titp",
            "stage": "titp1",
            "prior": "none",
            "sender": "service_enterprise",
            "contract_months": "36",
            "wage_amount": "180.000",
            "wage_currency": "JPY",
            "signed_on": "2025-06-01",
            "payments-TOTAL_FORMS": "2",
            "payments-INITIAL_FORMS": "0",
            "payments-0-amount": "120.000.000",
            "payments-0-currency": "VND",
            "payments-0-label": translated("vi", "Service fee"),
            "payments-0-category": "service_fee",
            "payments-1-amount": "30tr",
            "payments-1-currency": "VND",
            "payments-1-label": "tiền cọc",
        },
    )
    assert page.status_code == 200
    report = page.context["report"]
    assert report["summary"]["total_paid_vnd"] == 150_000_000
    assert report["summary"]["status"] == "violation"
    excess = vnd(report["summary"]["excess_vnd"])
    assert (
        translated("vi", "You paid %(excess)s more than the law allows.") % {"excess": excess}
        in summary
    )
    assert vnd(150_000_000) in summary
    assert "06/2025" in summary  # the reference rate of the contract's month, named
    # The link opens the page's full result, with her amounts as she typed them.
    opened = client.get(_link(chat))
    assert opened.status_code == 200
    assert opened.context["report"] == report
    html = opened.content.decode()
    assert 'id="result"' in html and 'value="30tr"' in html and 'value="120.000.000"' in html
    assert 'name="engagement"' in html  # the letter's form is there
    assert offered(chat.last) == ["report", "menu"]


def test_a_fee_check_in_japanese_with_yen_written_the_japanese_way(client: Client) -> None:
    chat = Chat(OrganisationFactory.create().pk)
    chat.send("こんにちは")
    chat.send("日本語")
    chat.send("2")  # typed number of the menu: check my fees
    chat.send("1")  # TITP
    chat.send("1")  # stage 1
    chat.send("3年")
    assert chat.state["data"]["m"] == 36
    chat.send("18万円")
    assert chat.state["data"]["w"] == "18万円" and chat.state["data"]["wc"] == "JPY"
    chat.send("2025年6月1日")
    chat.send("120.000.000")
    chat.send("サービス料")  # her words, read by the engine
    chat.send("10万円")  # yen written in the amount
    chat.tap("deposit")
    summary = chat.tap("done")
    assert chat.state == {"v": 1, "lang": "ja"}
    assert "2025年6月" in summary  # the reference rate's month, in Japanese
    link = _link(chat)
    assert link.startswith("/ja/chat/check/")
    opened = client.get(link)
    assert opened.status_code == 200
    report = opened.context["report"]
    assert report["lang"] == "ja"
    assert report["items"][0]["amount_vnd"] == 120_000_000
    used = opened.context["rates"]["used"]
    assert [r["currency"] for r in used] == ["JPY"]
    assert report["items"][1]["amount_vnd"] == round(100_000 * used[0]["vnd_per_unit"])
    assert vnd(report["summary"]["total_paid_vnd"]) in summary
    html = opened.content.decode()
    assert 'value="18万円"' in html and 'value="10万円"' in html


def test_a_changed_link_is_refused_with_a_message(client: Client) -> None:
    token = fee_link.token_make({"p": "titp", "m": 36, "w": "180.000", "wc": "JPY", "pay": []})
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (tampered, "not-a-token", token.replace(":", "x", 1)):
        answer = client.get(f"/vi/chat/check/{bad}/")
        assert answer.status_code == 404
        assert (
            translated(
                "vi",
                "This link is not valid. Copy the whole link from the chat, or run the check "
                "again.",
            )
            in answer.content.decode()
        )


def _signed_again(token: str, signer: type[signing.TimestampSigner]) -> str:
    """The same sealed answers, signed at another time."""
    sealed = token.rsplit(":", 2)[0]
    return signer(salt=fee_link.SALT).sign(sealed)


class _EightDaysAgo(signing.TimestampSigner):
    """Signs as the server did eight days ago (a link the worker kept too long)."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - 8 * 86400))


def test_an_expired_link_is_refused_with_a_message(client: Client) -> None:
    answers = {"p": "titp", "s": "titp1", "m": 36, "w": "180.000", "wc": "JPY"}
    answers |= {"d": "2025-06-01", "pay": [["120tr", "VND", "phí dịch vụ", ""]]}
    old = _signed_again(fee_link.token_make(answers), _EightDaysAgo)
    answer = client.get(f"/ja/chat/check/{old}/")
    assert answer.status_code == 410
    assert (
        translated(
            "ja",
            "This link has expired: links from the chat work for %(days)s days. Run the check "
            "again in the chat or on this site.",
        )
        % {"days": 7}
        in answer.content.decode()
    )
    # The same answers signed now open the result.
    assert client.get(f"/ja/chat/check/{fee_link.token_make(answers)}/").status_code == 200


class _TwoDaysAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - 2 * 86400 - 60))


@override_settings(CHAT_LINK_MAX_AGE_DAYS=2)
def test_the_link_lifetime_is_a_setting_and_both_messages_say_it(client: Client) -> None:
    chat = Chat(OrganisationFactory.create().pk)
    summary = _vietnamese_check(chat)
    said = "The full result and the letter, on our site (the link works for %(days)s days):"
    assert translated("vi", said) % {"days": 2} in summary
    assert client.get(_link(chat)).status_code == 200
    answers = {"p": "titp", "s": "titp1", "m": 36, "w": "180.000", "wc": "JPY"}
    answers |= {"d": "2025-06-01", "pay": [["120tr", "VND", "phí dịch vụ", ""]]}
    old = _signed_again(fee_link.token_make(answers), _TwoDaysAgo)
    answer = client.get(f"/en/chat/check/{old}/")
    assert answer.status_code == 410
    assert "links from the chat work for 2 days" in answer.content.decode()


def test_wrong_answers_are_asked_again_and_nothing_is_guessed() -> None:
    chat = Chat(OrganisationFactory.create().pk)
    chat.send("hi")
    chat.tap("en")
    chat.tap("fees")
    assert "Choose one of these." in chat.send("a visa")  # not a programme
    chat.tap("esd")  # ESD has one stage: not asked
    assert chat.state["step"] == "months"
    assert "number of months" in chat.send("forever")
    chat.send("24")
    assert "two ways" in chat.send("1.5")  # dong or yen with one dot: asked, not guessed
    chat.send("$1,500")  # a wage in dollars is kept in dollars
    assert chat.state["data"]["wc"] == "USD"
    assert "day/month/year" in chat.send("soon")
    chat.send("31/02/2027")  # no such day
    assert chat.state["step"] == "signed"
    chat.tap("today")
    assert chat.state["data"]["d"] == today().isoformat()
    assert "at least one payment" in chat.send("done")
    assert "two different currencies" in chat.send("100 USD ¥")
    assert chat.state["step"] == "amount"


def _opened_without_key(sealed: str) -> str:
    """What base64 and zlib read from a link's value, without any key."""
    data = base64.urlsafe_b64decode(sealed.lstrip(".") + "=" * (-len(sealed.lstrip(".")) % 4))
    with contextlib.suppress(zlib.error):
        data = zlib.decompress(data)
    return data.decode("utf-8", errors="replace")


def test_the_link_carries_the_answers_sealed() -> None:
    answers = {"p": "titp", "s": "titp1", "m": 36, "w": "180.000", "wc": "JPY"}
    answers |= {"d": "2025-06-01", "pay": [["123.456.789", "VND", "trả cho anh Tuấn", ""]]}
    token = fee_link.token_make(answers)
    assert fee_link.token_read(token) == answers
    sealed = token.rsplit(":", 2)[0]
    assert "123.456.789" not in token
    # Signed is not sealed: a link only signed opens with base64 (and zlib when compressed).
    assert "123.456.789" not in _opened_without_key(sealed)
    plain = signing.dumps(answers, salt="any", compress=True).rsplit(":", 2)[0]
    assert "123.456.789" in _opened_without_key(plain)  # the check can fail
    assert len(token) < 1000  # short enough for a chat button


def test_a_link_sealed_under_a_retired_key_is_refused(client: Client, settings: Any) -> None:
    answers = {"p": "titp", "s": "titp1", "m": 36, "w": "180.000", "wc": "JPY"}
    answers |= {"d": "2025-06-01", "pay": [["120tr", "VND", "phí dịch vụ", ""]]}
    token = fee_link.token_make(answers)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode("ascii")]
    assert client.get(f"/vi/chat/check/{token}/").status_code == 404


def test_specified_skilled_workers_are_asked_about_earlier_training(client: Client) -> None:
    chat = Chat(OrganisationFactory.create().pk)
    chat.send("hi")
    chat.tap("en")
    chat.tap("fees")
    chat.tap("ssw")
    chat.tap("ssw1")
    assert chat.state["step"] == "prior"
    chat.tap("titp3_completed")
    for text in ("60", "220,000 yen", "2025-06-01", "2.000 USD"):
        chat.send(text)
    chat.tap("service_fee")
    chat.tap("done")
    opened = client.get(_link(chat))
    assert opened.status_code == 200
    assert opened.context["engagement_json"].count('"prior": "titp3_completed"') == 1


def test_a_month_the_rate_table_lacks_is_named_in_the_summary() -> None:
    chat = Chat(OrganisationFactory.create().pk)
    for text in ("hi", "en", "fees", "Technical intern", "titp1", "12", "¥180,000"):
        chat.send(text)
    chat.tap("today")  # after the table's last month
    chat.send("100tr")
    chat.tap("service_fee")
    summary = chat.tap("done")
    wanted = f"{today():%m/%Y}"
    assert f"Our table has no rate for {wanted} yet." in summary
