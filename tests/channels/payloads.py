"""Signed sample webhook bodies, built from each provider's documented format.

LINE: https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects
Zalo OA: https://developers.zalo.me/docs/api/official-account-api/ (webhook events, as handled
by chatwoot's ``zalo_events_job.rb``); Messenger:
https://developers.facebook.com/docs/messenger-platform/webhooks (``messages``,
``messaging_postbacks``).
"""

from __future__ import annotations

import json
import time
from typing import Any

from fairpassage.channels.webhooks import line_signature, messenger_signature, zalo_signature

LINE_SECRET = "line-channel-secret-0123456789abcdef"
LINE_TOKEN = "line-access-token"
ZALO_SECRET = "zalo-oa-secret-key"
ZALO_APP_ID = "360846524940903967"
ZALO_TOKEN = "zalo-oa-access-token"
MESSENGER_SECRET = "messenger-app-secret"
MESSENGER_TOKEN = "messenger-page-token"
MESSENGER_VERIFY = "verify-me-please"


def body(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


# --- LINE ------------------------------------------------------------------------------------


def line_event(
    kind: str, *, event_id: str, user: str = "U4af4980629", **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user},
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": False},
    }
    if kind in ("message", "postback", "follow"):
        event["replyToken"] = f"reply-{event_id}"
    event.update(extra)
    return event


def line_text(text: str, *, event_id: str, user: str = "U4af4980629") -> dict[str, Any]:
    message = {"type": "text", "id": f"m{event_id}", "quoteToken": "q", "text": text}
    return line_event("message", event_id=event_id, user=user, message=message)


def line_body(*events: dict[str, Any]) -> bytes:
    return body({"destination": "Uxxxxxxxxxxxxxx", "events": list(events)})


def line_headers(raw: bytes, secret: str = LINE_SECRET) -> dict[str, str]:
    return {"X-Line-Signature": line_signature(body=raw, secret=secret)}


# --- Zalo ------------------------------------------------------------------------------------


def zalo_event(
    event_name: str, *, msg_id: str = "", user: str = "246845883529197922", **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "app_id": ZALO_APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": event_name,
        "timestamp": str(int(time.time() * 1000)),
    }
    if event_name == "follow":
        event.update({"oa_id": "388613280878808645", "source": "testing_webhook"})
        event["follower"] = {"id": user}
    else:
        event["sender"] = {"id": user}
        event["recipient"] = {"id": "388613280878808645"}
        event["message"] = {"msg_id": msg_id, **extra.pop("message", {})}
    event.update(extra)
    return event


def zalo_headers(raw: bytes, *, timestamp: str, secret: str = ZALO_SECRET) -> dict[str, str]:
    signature = zalo_signature(app_id=ZALO_APP_ID, body=raw, timestamp=timestamp, secret=secret)
    return {"X-ZEvent-Signature": signature}


# --- Messenger -------------------------------------------------------------------------------


def messenger_item(*, psid: str = "6789012345", **extra: Any) -> dict[str, Any]:
    return {
        "sender": {"id": psid},
        "recipient": {"id": "112233445566"},
        "timestamp": int(time.time() * 1000),
        **extra,
    }


def messenger_body(*items: dict[str, Any]) -> bytes:
    entry = {"id": "112233445566", "time": int(time.time() * 1000), "messaging": list(items)}
    return body({"object": "page", "entry": [entry]})


def messenger_headers(raw: bytes, secret: str = MESSENGER_SECRET) -> dict[str, str]:
    return {"X-Hub-Signature-256": messenger_signature(body=raw, secret=secret)}
