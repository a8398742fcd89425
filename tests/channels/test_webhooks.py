"""Each provider's webhook: signed sample events of every type handled are stored once and
normalised; a wrong signature, a changed body or an old Zalo timestamp answers 401, storing
nothing."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client, override_settings

from fairpassage.channels.models import ChannelAccount, ChannelEvent
from fairpassage.channels.webhooks import sender_hash
from tests.channels import payloads as p

pytestmark = pytest.mark.usefixtures("no_tasks")


def _post(client: Client, url: str, raw: bytes, headers: dict[str, str]) -> int:
    return client.post(url, data=raw, content_type="application/json", headers=headers).status_code


def _kinds() -> dict[str, str]:
    return dict(ChannelEvent.objects.values_list("event_id", "kind"))


# --- LINE ------------------------------------------------------------------------------------


def line_url(account: ChannelAccount) -> str:
    return f"/channels/line/{account.pk}/"


def test_line_events_of_every_handled_type_are_stored(
    client: Client, line_account: ChannelAccount
) -> None:
    raw = p.line_body(
        p.line_text("Xin chào", event_id="01HTEXT"),
        p.line_event("postback", event_id="01HPOST", postback={"data": "menu:fees"}),
        p.line_event("follow", event_id="01HFOLLOW", follow={"isUnblocked": False}),
        p.line_event(
            "message",
            event_id="01HSTICKER",
            message={
                "type": "sticker",
                "id": "2",
                "quoteToken": "q",
                "stickerId": "52002734",
                "packageId": "11537",
                "stickerResourceType": "STATIC",
            },
        ),
        p.line_event(
            "message",
            event_id="01HIMAGE",
            message={
                "type": "image",
                "id": "3",
                "quoteToken": "q",
                "contentProvider": {"type": "line"},
            },
        ),
        p.line_event("unfollow", event_id="01HUNFOLLOW"),
        p.line_event("mystery-new-event", event_id="01HNEW"),
    )
    assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 200
    assert _kinds() == {
        "01HTEXT": "text",
        "01HPOST": "postback",
        "01HFOLLOW": "follow",
        "01HSTICKER": "unsupported",
        "01HIMAGE": "unsupported",
    }
    text = ChannelEvent.objects.get(event_id="01HTEXT")
    assert text.text == "Xin chào"
    assert text.reply_token == "reply-01HTEXT"
    assert text.sender_hash == sender_hash(
        provider="line", account_id=line_account.pk, user_id="U4af4980629"
    )
    assert "U4af4980629" not in text.sender_hash
    assert ChannelEvent.objects.get(event_id="01HPOST").text == "menu:fees"


def test_line_group_events_are_never_stored(client: Client, line_account: ChannelAccount) -> None:
    event = p.line_text("hello group", event_id="01HGROUP")
    event["source"] = {"type": "group", "groupId": "Cabc", "userId": "U1"}
    raw = p.line_body(event)
    assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 200
    assert not ChannelEvent.objects.exists()


def test_line_verification_request_with_no_events_is_answered(
    client: Client, line_account: ChannelAccount
) -> None:
    raw = p.line_body()
    assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 200


@pytest.mark.parametrize("fault", ["wrong secret", "changed body", "no header", "garbage"])
def test_line_bad_signature_is_refused_and_nothing_stored(
    client: Client, line_account: ChannelAccount, fault: str
) -> None:
    raw = p.line_body(p.line_text("Xin chào", event_id="01HBAD"))
    headers = p.line_headers(raw)
    if fault == "wrong secret":
        headers = p.line_headers(raw, secret="not-the-secret")
    elif fault == "changed body":
        raw = raw.replace("Xin chào".encode(), b"Xin chao")
    elif fault == "no header":
        headers = {}
    else:
        headers = {"X-Line-Signature": "%%%not-base64"}
    assert _post(client, line_url(line_account), raw, headers) == 401
    assert not ChannelEvent.objects.exists()


def test_redelivered_line_event_is_stored_once(
    client: Client, line_account: ChannelAccount
) -> None:
    first = p.line_body(p.line_text("Xin chào", event_id="01HONCE"))
    again_event = p.line_text("Xin chào", event_id="01HONCE")
    again_event["deliveryContext"] = {"isRedelivery": True}
    again = p.line_body(again_event)
    for raw in (first, again, again):
        assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 200
    assert ChannelEvent.objects.filter(event_id="01HONCE").count() == 1


def test_an_account_of_another_provider_or_none_is_not_found(
    client: Client, line_account: ChannelAccount, zalo_account: ChannelAccount
) -> None:
    raw = p.line_body(p.line_text("Xin chào", event_id="01HX"))
    assert _post(client, f"/channels/zalo/{line_account.pk}/", raw, p.line_headers(raw)) == 404
    assert _post(client, f"/channels/line/{zalo_account.pk}/", raw, p.line_headers(raw)) == 404
    assert _post(client, "/channels/line/987654/", raw, p.line_headers(raw)) == 404
    line_account.active = False
    line_account.save()
    assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 404
    assert not ChannelEvent.objects.exists()


def test_secrets_may_come_from_the_environment(
    client: Client, line_account: ChannelAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    line_account.secret = ""
    line_account.env_prefix = "FP_LINE_TEST"
    line_account.save()
    raw = p.line_body(p.line_text("Xin chào", event_id="01HENV"))
    assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 401
    monkeypatch.setenv("FP_LINE_TEST_SECRET", p.LINE_SECRET)
    assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 200
    assert ChannelEvent.objects.filter(event_id="01HENV").exists()


def test_webhook_needs_no_csrf_token_nor_second_factor(line_account: ChannelAccount) -> None:
    client = Client(enforce_csrf_checks=True)
    raw = p.line_body(p.line_text("Xin chào", event_id="01HCSRF"))
    assert _post(client, line_url(line_account), raw, p.line_headers(raw)) == 200
    assert client.get(line_url(line_account)).status_code == 405


# --- Zalo ------------------------------------------------------------------------------------


def zalo_url(account: ChannelAccount) -> str:
    return f"/channels/zalo/{account.pk}/"


def _zalo_post(client: Client, account: ChannelAccount, event: dict[str, object]) -> int:
    raw = p.body(event)
    headers = p.zalo_headers(raw, timestamp=str(event["timestamp"]))
    return _post(client, zalo_url(account), raw, headers)


def test_zalo_events_of_every_handled_type_are_stored(
    client: Client, zalo_account: ChannelAccount
) -> None:
    events = [
        p.zalo_event("user_send_text", msg_id="z-text", message={"text": "Tôi cần giúp"}),
        p.zalo_event(
            "anonymous_send_text",
            msg_id="z-anon",
            user="a7b6c5",
            message={"text": "ẩn danh"},
            conversation_id="c-1",
        ),
        p.zalo_event("follow"),
        p.zalo_event(
            "user_send_image",
            msg_id="z-image",
            message={"attachments": [{"type": "image", "payload": {"url": "https://x/y.jpg"}}]},
        ),
        p.zalo_event("user_send_sticker", msg_id="z-sticker"),
        p.zalo_event("user_send_location", msg_id="z-location"),
        p.zalo_event("user_received_message", msg_id="z-received"),
        p.zalo_event("user_seen_message", msg_id="z-seen"),
    ]
    for event in events:
        assert _zalo_post(client, zalo_account, event) == 200
    kinds = _kinds()
    follow = [k for k in kinds if k.startswith("zalo-sha256-")]
    assert len(follow) == 1 and kinds.pop(follow[0]) == "follow"
    assert kinds == {
        "z-text": "text",
        "z-anon": "text",
        "z-image": "unsupported",
        "z-sticker": "unsupported",
        "z-location": "unsupported",
    }
    assert ChannelEvent.objects.get(event_id="z-text").text == "Tôi cần giúp"
    assert ChannelEvent.objects.get(event_id="z-text").recipient == "246845883529197922"


@pytest.mark.parametrize("fault", ["wrong secret", "changed body", "old timestamp", "no header"])
def test_zalo_bad_signature_or_old_event_is_refused(
    client: Client, zalo_account: ChannelAccount, fault: str
) -> None:
    event = p.zalo_event("user_send_text", msg_id="z-bad", message={"text": "Xin chào"})
    if fault == "old timestamp":
        event["timestamp"] = str(int((time.time() - 3600) * 1000))
    raw = p.body(event)
    timestamp = str(event["timestamp"])
    headers = p.zalo_headers(raw, timestamp=timestamp)
    if fault == "wrong secret":
        headers = p.zalo_headers(raw, timestamp=timestamp, secret="guess")
    elif fault == "changed body":
        raw = raw.replace(b"user_send_text", b"user_send_file")
    elif fault == "no header":
        headers = {}
    assert _post(client, zalo_url(zalo_account), raw, headers) == 401
    assert not ChannelEvent.objects.exists()


def test_zalo_redelivery_is_stored_once(client: Client, zalo_account: ChannelAccount) -> None:
    event = p.zalo_event("user_send_text", msg_id="z-once", message={"text": "1"})
    for _ in range(3):
        assert _zalo_post(client, zalo_account, event) == 200
    assert ChannelEvent.objects.count() == 1


# --- Messenger -------------------------------------------------------------------------------


def messenger_url(account: ChannelAccount) -> str:
    return f"/channels/messenger/{account.pk}/"


def test_messenger_events_of_every_handled_type_are_stored(
    client: Client, messenger_account: ChannelAccount
) -> None:
    raw = p.messenger_body(
        p.messenger_item(message={"mid": "m_text", "text": "こんにちは"}),
        p.messenger_item(
            message={"mid": "m_quick", "text": "Fees", "quick_reply": {"payload": "menu:fees"}}
        ),
        p.messenger_item(postback={"mid": "m_postback", "title": "Start", "payload": "start"}),
        p.messenger_item(
            message={
                "mid": "m_image",
                "attachments": [{"type": "image", "payload": {"url": "https://x/y.jpg"}}],
            }
        ),
        p.messenger_item(message={"mid": "m_echo", "text": "ours", "is_echo": True}),
        p.messenger_item(delivery={"mids": ["m_text"], "watermark": 1}),
        p.messenger_item(read={"watermark": 1}),
    )
    assert _post(client, messenger_url(messenger_account), raw, p.messenger_headers(raw)) == 200
    assert _kinds() == {
        "m_text": "text",
        "m_quick": "postback",
        "m_postback": "postback",
        "m_image": "unsupported",
    }
    assert ChannelEvent.objects.get(event_id="m_quick").text == "menu:fees"


@pytest.mark.parametrize("fault", ["wrong secret", "changed body", "no prefix", "no header"])
def test_messenger_bad_signature_is_refused(
    client: Client, messenger_account: ChannelAccount, fault: str
) -> None:
    raw = p.messenger_body(p.messenger_item(message={"mid": "m_bad", "text": "hi"}))
    headers = p.messenger_headers(raw)
    if fault == "wrong secret":
        headers = p.messenger_headers(raw, secret="nope")
    elif fault == "changed body":
        raw = raw.replace(b'"hi"', b'"ho"')
    elif fault == "no prefix":
        headers = {"X-Hub-Signature-256": headers["X-Hub-Signature-256"][7:]}
    else:
        headers = {}
    assert _post(client, messenger_url(messenger_account), raw, headers) == 401
    assert not ChannelEvent.objects.exists()


def test_messenger_verification_handshake(
    client: Client, messenger_account: ChannelAccount
) -> None:
    url = messenger_url(messenger_account)
    good = {"hub.mode": "subscribe", "hub.verify_token": p.MESSENGER_VERIFY, "hub.challenge": "42"}
    answer = client.get(url, good)
    assert answer.status_code == 200 and answer.content == b"42"
    assert client.get(url, {**good, "hub.verify_token": "wrong"}).status_code == 403
    assert client.get(url, {"hub.challenge": "42"}).status_code == 403


def test_a_signed_body_that_is_not_json_is_answered_and_not_stored(
    client: Client, messenger_account: ChannelAccount
) -> None:
    raw = b"\xff\xfe not json"
    assert _post(client, messenger_url(messenger_account), raw, p.messenger_headers(raw)) == 200
    raw = p.body({"object": "instagram", "entry": []})
    assert _post(client, messenger_url(messenger_account), raw, p.messenger_headers(raw)) == 200
    assert not ChannelEvent.objects.exists()


@override_settings(CHANNEL_MAX_TEXT=2000)
def test_an_oversize_message_is_stored_as_too_long(
    client: Client, messenger_account: ChannelAccount
) -> None:
    text = "a" * 5000
    raw = p.messenger_body(p.messenger_item(message={"mid": "m_long", "text": text}))
    assert _post(client, messenger_url(messenger_account), raw, p.messenger_headers(raw)) == 200
    event = ChannelEvent.objects.get()
    assert event.kind == "too_long" and len(event.text or "") == 2000


def test_text_no_database_stores_is_cleaned(
    client: Client, messenger_account: ChannelAccount
) -> None:
    raw = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "messaging": [
                        p.messenger_item(message={"mid": "m_nul", "text": "a\u0000b\ud800"})
                    ]
                }
            ],
        }
    ).encode()
    assert _post(client, messenger_url(messenger_account), raw, p.messenger_headers(raw)) == 200
    assert ChannelEvent.objects.get().text == "ab?"


def test_a_form_post_is_refused_not_an_error(client: Client, line_account: ChannelAccount) -> None:
    answer = client.post(line_url(line_account), {"events": "[]"})
    assert answer.status_code == 401
    assert not ChannelEvent.objects.exists()
