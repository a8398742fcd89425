"""Each provider's webhook: check the signature on the raw body, then read its events.

Every function here takes the raw body exactly as received. A signature is checked before the
body is used (Zalo's construction needs the event's timestamp from the body: it is read, checked
and used only to verify), compared in constant time, and a failure raises
:class:`BadSignature`, which the view answers with 401 storing nothing. Events are turned into
:class:`Received` (the shared :class:`~fairpassage.channels.messages.Incoming` plus what is
needed to answer); events that are not a person writing to the account (delivery receipts,
echoes of our own messages, group chats, unfollows) are dropped.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from linebot.v3 import SignatureValidator  # type: ignore[import-untyped]
from linebot.v3.webhooks import (  # type: ignore[import-untyped]
    Event,
    FollowEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
)

from fairpassage.channels.messages import Incoming, Kind, Provider
from fairpassage.channels.models import ChannelAccount
from fairpassage.core.crypto import keyed_hash


class BadSignature(Exception):
    """The body was not signed with the account's secret, or is too old (Zalo)."""


@dataclass(frozen=True)
class Received:
    incoming: Incoming
    recipient: str  # the provider's user id: kept encrypted, used only to answer
    reply_token: str = ""
    too_long: bool = False


def sender_hash(*, provider: str, account_id: int, user_id: str) -> str:
    """The keyed hash a sender is known by; the raw id is never a key."""
    return keyed_hash(f"{provider}:{account_id}:{user_id}", purpose="channel-sender")


def clean(text: str) -> str:
    """Text every database stores: no NUL, no lone surrogate."""
    text = text.replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _received(
    *,
    account: ChannelAccount,
    provider: Provider,
    event_id: str,
    user_id: str,
    kind: Kind,
    text: str,
    at: dt.datetime,
    reply_token: str = "",
) -> Received:
    limit = settings.CHANNEL_MAX_TEXT
    text = clean(text)
    too_long = len(text) > limit
    incoming = Incoming(
        provider=provider,
        account_id=account.pk,
        event_id=event_id[:200],
        sender_hash=sender_hash(provider=provider, account_id=account.pk, user_id=user_id),
        kind=kind,
        text=text[:limit],
        received_at=at,
    )
    return Received(incoming, user_id, reply_token, too_long)


def _digest_id(provider: str, event: Any) -> str:
    """An id for an event the provider gives none: the same event gives the same id."""
    material = json.dumps(event, sort_keys=True, ensure_ascii=False).encode("utf-8", "replace")
    return f"{provider}-sha256-{hashlib.sha256(material).hexdigest()}"


def _from_millis(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return dt.datetime.now(tz=dt.UTC)


# --- LINE ------------------------------------------------------------------------------------


def line_events(*, account: ChannelAccount, body: bytes, signature: str) -> list[Received]:
    """LINE: ``X-Line-Signature`` = base64(HMAC-SHA256(channel secret, body)), checked by the
    official SDK's validator before the body is read; each event is then read by the SDK's
    models, one by one, so an event it cannot read is skipped without losing the others."""
    secret = account.credential("secret")
    if not secret or not signature:
        raise BadSignature
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadSignature from exc
    if not SignatureValidator(secret).validate(decoded, signature):
        raise BadSignature
    try:
        document = json.loads(decoded)
    except ValueError:
        return []
    raw_events = document.get("events") if isinstance(document, dict) else None
    events = []
    for raw in raw_events if isinstance(raw_events, list) else []:
        try:
            events.append(Event.from_dict(raw))
        except Exception:  # noqa: S112 - an event the SDK cannot read is not answered
            continue
    found: list[Received] = []
    for event in events:
        source = getattr(event, "source", None)
        user_id = getattr(source, "user_id", None)
        if getattr(source, "type", "") != "user" or not user_id:
            continue  # groups, rooms and events without a person: never answered
        kind: Kind
        if isinstance(event, MessageEvent):
            is_text = isinstance(event.message, TextMessageContent)
            kind, text = ("text", event.message.text) if is_text else ("unsupported", "")
        elif isinstance(event, PostbackEvent):
            kind, text = "postback", event.postback.data
        elif isinstance(event, FollowEvent):
            kind, text = "follow", ""
        else:
            continue  # unfollow, read receipts, …: nothing to answer
        found.append(
            _received(
                account=account,
                provider="line",
                event_id=str(event.webhook_event_id),
                user_id=str(user_id),
                kind=kind,
                text=str(text or ""),
                at=_from_millis(event.timestamp),
                reply_token=str(getattr(event, "reply_token", "") or ""),
            )
        )
    return found


# --- Zalo Official Account -------------------------------------------------------------------

ZALO_TEXT = {"user_send_text", "anonymous_send_text"}
ZALO_UNSUPPORTED = {
    "user_send_image",
    "user_send_link",
    "user_send_audio",
    "user_send_video",
    "user_send_sticker",
    "user_send_location",
    "user_send_file",
    "user_send_gif",
    "user_send_business_card",
    "anonymous_send_image",
    "anonymous_send_file",
    "anonymous_send_sticker",
}


ZALO_ANONYMOUS = "anonymous:"


def zalo_signature(*, app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """``mac=`` + hex(SHA-256(app_id + body + timestamp + OA secret key)), as Zalo documents."""
    material = app_id.encode("utf-8") + body + timestamp.encode("utf-8") + secret.encode("utf-8")
    return "mac=" + hashlib.sha256(material).hexdigest()


def zalo_events(*, account: ChannelAccount, body: bytes, signature: str) -> list[Received]:
    """Zalo OA: ``X-ZEvent-Signature``, with the event's timestamp within
    ``CHANNEL_ZALO_MAX_AGE_SECONDS`` of now (an old, replayed event is refused)."""
    secret, app_id = account.credential("secret"), account.credential("app_id")
    if not secret or not app_id or not signature:
        raise BadSignature
    try:
        event = json.loads(body)
        timestamp = str(event["timestamp"]) if isinstance(event, dict) else ""
    except (ValueError, KeyError) as exc:
        raise BadSignature from exc
    expected = zalo_signature(app_id=app_id, body=body, timestamp=timestamp, secret=secret)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise BadSignature
    try:
        age = time.time() - int(timestamp) / 1000
    except ValueError as exc:
        raise BadSignature from exc
    if age > settings.CHANNEL_ZALO_MAX_AGE_SECONDS or age < -60:
        raise BadSignature
    if str(event.get("app_id", app_id)) != app_id:
        raise BadSignature
    name = str(event.get("event_name", ""))
    kind: Kind
    if name in ZALO_TEXT:
        kind = "text"
    elif name == "follow":
        kind = "follow"
    elif name in ZALO_UNSUPPORTED or name.startswith(("user_send_", "anonymous_send_")):
        kind = "unsupported"
    else:
        return []  # user_received_message, user_seen_message, oa_send_*, unfollow, …
    person = event.get("follower") if kind == "follow" else event.get("sender")
    user_id = str((person or {}).get("id", "")) if isinstance(person, dict) else ""
    if not user_id:
        return []
    message = event.get("message") if isinstance(event.get("message"), dict) else {}
    text = str(message.get("text", "")) if kind == "text" else ""
    event_id = str(message.get("msg_id", "")) or _digest_id("zalo", event)
    received = _received(
        account=account,
        provider="zalo",
        event_id=event_id,
        user_id=user_id,
        kind=kind,
        text=text,
        at=_from_millis(timestamp),
    )
    if name.startswith("anonymous_"):
        # an anonymous sender is answered in its anonymous conversation, not by user id
        conversation = event.get("conversation_id") or message.get("conversation_id") or ""
        address = {"anonymous_id": user_id, "conversation_id": str(conversation)}
        recipient = ZALO_ANONYMOUS + json.dumps(address, sort_keys=True)
        received = Received(received.incoming, recipient, "", received.too_long)
    return [received]


# --- Messenger -------------------------------------------------------------------------------


def messenger_signature(*, body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def messenger_events(*, account: ChannelAccount, body: bytes, signature: str) -> list[Received]:
    """Messenger: ``X-Hub-Signature-256`` = ``sha256=`` + hex(HMAC-SHA256(app secret, body))."""
    secret = account.credential("secret")
    if not secret or not signature:
        raise BadSignature
    expected = messenger_signature(body=body, secret=secret)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise BadSignature
    try:
        document = json.loads(body)
    except ValueError:
        return []
    if not isinstance(document, dict) or document.get("object") != "page":
        return []
    found: list[Received] = []
    entries = document.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        items = entry.get("messaging") if isinstance(entry, dict) else None
        for item in items if isinstance(items, list) else []:
            received = _messenger_one(account, item)
            if received is not None:
                found.append(received)
    return found


def _messenger_one(account: ChannelAccount, item: Any) -> Received | None:
    if not isinstance(item, dict):
        return None
    sender = item.get("sender")
    user_id = str(sender.get("id", "")) if isinstance(sender, dict) else ""
    message, postback = item.get("message"), item.get("postback")
    kind: Kind
    if isinstance(message, dict):
        if message.get("is_echo"):
            return None  # our own message, reported back
        quick = message.get("quick_reply")
        if isinstance(quick, dict) and quick.get("payload"):
            kind, text = "postback", str(quick["payload"])
        elif isinstance(message.get("text"), str) and not message.get("attachments"):
            kind, text = "text", message["text"]
        else:
            kind, text = "unsupported", ""
        event_id = str(message.get("mid", ""))
    elif isinstance(postback, dict):
        kind, text = "postback", str(postback.get("payload", ""))
        event_id = str(postback.get("mid", ""))
    else:
        return None  # deliveries, reads, reactions, …
    if not user_id:
        return None
    return _received(
        account=account,
        provider="messenger",
        event_id=event_id or _digest_id("messenger", item),
        user_id=user_id,
        kind=kind,
        text=text,
        at=_from_millis(item.get("timestamp")),
    )


def line_signature(*, body: bytes, secret: str) -> str:
    """What LINE sends in ``X-Line-Signature`` (used by tests and the docs' example)."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")
