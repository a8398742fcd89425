"""What the task queue does with a stored event: ask the dialogue, keep its state encrypted,
send the answer to the provider's API (a loopback stand-in checking the token), give fixed
polite answers to what is not handled, and hold the rate limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings

from fairpassage.channels import services
from fairpassage.channels.models import (
    ChannelAccount,
    ChannelEvent,
    Conversation,
    ConversationMessage,
    EventStatus,
)
from tests.channels import payloads as p
from tests.channels.conftest import EchoDialogue, StandIns
from tests.channels.helpers import DELIVER, deliver_line, deliver_messenger, deliver_zalo

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def test_line_text_is_answered_with_the_reply_token(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    event = deliver_line(client, line_account, "Xin chào", event_id="01HA", user="U77")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_process(event_id=event.pk, respond=echo) == EventStatus.DONE
    (call,) = apis.line.calls
    assert call.authorised and call.path == "/v2/bot/message/reply"
    assert call.body["replyToken"] == "reply-01HA"
    (message,) = call.body["messages"]
    assert message["text"] == "echo: Xin chào"
    assert message["quickReply"]["items"][0]["action"] == {
        "type": "postback",
        "label": "Menu",
        "data": "menu:main",
        "displayText": "Menu",
    }
    _state, incoming, organisation_id, site_url = echo.seen[0]
    assert incoming.kind == "text" and incoming.provider == "line"
    assert organisation_id == line_account.organisation_id and site_url.startswith("http")
    event.refresh_from_db()
    assert event.status == EventStatus.DONE and event.reply_token == ""


def test_zalo_and_messenger_answers_go_to_the_sender(
    client: Client,
    zalo_account: ChannelAccount,
    messenger_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    z = deliver_zalo(client, zalo_account, "Tôi cần giúp", event_id="z1", user="2468")
    m = deliver_messenger(client, messenger_account, "助けて", event_id="m1", user="1357")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_process(event_id=z.pk, respond=echo)
        services.event_process(event_id=m.pk, respond=echo)
    (zcall,) = apis.zalo.calls
    assert zcall.authorised and zcall.path == "/v3.0/oa/message/cs"
    assert zcall.headers["access_token"] == "zalo-oa-access-token"
    assert zcall.body["recipient"] == {"user_id": "2468"}
    assert zcall.body["message"]["text"] == "echo: Tôi cần giúp"
    button = zcall.body["message"]["attachment"]["payload"]["buttons"][0]
    assert button == {"title": "Menu", "type": "oa.query.hide", "payload": "menu:main"}
    (mcall,) = apis.messenger.calls
    assert mcall.authorised and mcall.path == "/v21.0/me/messages"
    assert mcall.body["recipient"] == {"id": "1357"}
    assert mcall.body["message"]["text"] == "echo: 助けて"
    assert mcall.body["message"]["quick_replies"] == [
        {"content_type": "text", "title": "Menu", "payload": "menu:main"}
    ]


def test_an_anonymous_zalo_sender_is_answered_in_its_anonymous_conversation(
    client: Client,
    zalo_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    event = p.zalo_event(
        "anonymous_send_text",
        msg_id="z-anon",
        user="anon-42",
        message={"text": "Tôi muốn phản ánh ẩn danh"},
        conversation_id="conv-7",
    )
    raw = p.body(event)
    headers = p.zalo_headers(raw, timestamp=str(event["timestamp"]))
    url = f"/channels/zalo/{zalo_account.pk}/"
    assert (
        client.post(url, raw, content_type="application/json", headers=headers).status_code == 200
    )
    stored = ChannelEvent.objects.get(event_id="z-anon")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_process(event_id=stored.pk, respond=echo)
    (call,) = apis.zalo.calls
    assert call.body["recipient"] == {"anonymous_id": "anon-42", "conversation_id": "conv-7"}


def test_a_zalo_button_payload_typed_back_is_a_postback(
    client: Client,
    zalo_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver_zalo(client, zalo_account, "Xin chào", event_id="z1")
        services.event_process(event_id=first.pk, respond=echo)
        second = deliver_zalo(client, zalo_account, "menu:main", event_id="z2")
        services.event_process(event_id=second.pk, respond=echo)
    assert [seen[1].kind for seen in echo.seen] == ["text", "postback"]


def test_a_stored_event_is_processed_once(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    event = deliver_line(client, line_account, "Xin chào", event_id="01HONE")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_process(event_id=event.pk, respond=echo)
        assert services.event_process(event_id=event.pk, respond=echo) == "skipped"
    assert len(echo.seen) == 1 and len(apis.line.calls) == 1


def test_state_and_text_are_encrypted_and_the_sender_id_never_stored_in_clear(
    client: Client,
    messenger_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    psid = "998877665544"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            event = deliver_messenger(
                client, messenger_account, "Công ty giữ hộ chiếu", event_id=f"m{n}", user=psid
            )
            services.event_process(event_id=event.pk, respond=echo)
    conversation = Conversation.objects.get()
    assert conversation.state == {"turns": 2, "lang": "vi"}
    assert echo.seen[1][0] == {"turns": 1, "lang": "vi"}
    assert conversation.recipient == psid
    tables = ["channels_channelevent", "channels_conversation", "channels_conversationmessage"]
    tables.append("channels_outboundmessage")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            raw = repr(cursor.fetchall())
            assert psid not in raw, table
            assert "Công ty" not in raw and "turns" not in raw, table


@pytest.mark.parametrize("language", ["vi", "ja"])
@pytest.mark.parametrize("provider", ["line", "zalo", "messenger"])
def test_unsupported_media_gets_a_polite_fixed_translated_answer(
    client: Client,
    request: pytest.FixtureRequest,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
    provider: str,
    language: str,
) -> None:
    account: ChannelAccount = request.getfixturevalue(f"{provider}_account")
    with django_capture_on_commit_callbacks(execute=True):
        first = DELIVER[provider](client, account, "hello", event_id=f"{provider}-1")
        services.event_process(event_id=first.pk, respond=echo)
        Conversation.objects.update(language=language)
        event = DELIVER[provider](client, account, "x", event_id=f"{provider}-2")
        ChannelEvent.objects.filter(pk=event.pk).update(kind="unsupported", text="")
        assert services.event_process(event_id=event.pk, respond=echo) == EventStatus.DONE
    assert len(echo.seen) == 1  # the dialogue never saw the sticker
    calls = getattr(apis, provider).calls
    body = calls[-1].body
    text = body["messages"][0]["text"] if provider == "line" else body["message"]["text"]
    expected = {"vi": "Xin lỗi", "ja": "申し訳"}[language]
    assert text.startswith(expected), text


@override_settings(CHANNEL_MAX_TEXT=2000)  # an installation that reads less than LINE sends
def test_an_oversize_message_gets_a_fixed_answer_naming_the_limit(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    event = deliver_line(client, line_account, "a" * 3000, event_id="01HLONG")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_process(event_id=event.pk, respond=echo)
    assert not echo.seen
    assert "2000" in apis.line.calls[0].body["messages"][0]["text"]


def test_a_failing_dialogue_gets_an_apology_not_an_error(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise ValueError("bug")

    event = deliver_line(client, line_account, "Xin chào", event_id="01HBROKEN")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_process(event_id=event.pk, respond=broken) == EventStatus.FAILED
    event.refresh_from_db()
    assert event.status == EventStatus.FAILED and event.error == "ValueError"
    assert apis.line.calls[0].body["messages"][0]["text"].startswith("Xin lỗi")


@override_settings(CHANNEL_RATE_PER_SENDER=3)
def test_a_sender_over_the_limit_is_told_once_then_ignored(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            event = deliver_line(client, line_account, f"spam {n}", event_id=f"01HS{n}", user="U9")
            statuses.append(services.event_process(event_id=event.pk, respond=echo))
        other = deliver_line(client, line_account, "hello", event_id="01HOTHER", user="U8")
        statuses.append(services.event_process(event_id=other.pk, respond=echo))
    assert statuses == ["done"] * 3 + ["limited"] * 3 + ["done"]
    assert len(echo.seen) == 4
    texts = [c.body["messages"][0]["text"] for c in apis.line.calls]
    assert len(texts) == 5 and texts[3].startswith("Bạn gửi tin nhắn")


@override_settings(CHANNEL_RATE_PER_ACCOUNT=2)
def test_an_account_flooded_stores_everything_and_answers_within_its_limit(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        events = [
            deliver_line(client, line_account, "hi", event_id=f"01HF{n}", user=f"U{n}")
            for n in range(4)
        ]
        statuses = [services.event_process(event_id=e.pk, respond=echo) for e in events]
    assert statuses == ["done", "done", "limited", "limited"]
    assert ChannelEvent.objects.count() == 4 and len(apis.line.calls) == 2
    assert ConversationMessage.objects.filter(direction="in").count() == 2
