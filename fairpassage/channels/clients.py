"""Send messages to a chat: LINE's reply and push API, Zalo OA's message API, Messenger's Send API.

Base addresses come from settings (``CHANNEL_LINE_API_URL``, ``CHANNEL_ZALO_API_URL``,
``CHANNEL_MESSENGER_API_URL``), so tests point them at a stand-in on loopback. Each call has a
timeout (``CHANNEL_HTTP_TIMEOUT``); a failure raises :class:`SendError` with a short reason that
names no person (retries are the caller's: ``services.outbound_send``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import requests
from django.conf import settings

from fairpassage.channels.messages import Outgoing

LINE_MAX_MESSAGES = 5  # per reply or push call
LINE_TEXT_MAX = 5000  # characters of one text message
ZALO_TEXT_MAX = 2000
MESSENGER_TEXT_MAX = 2000
QUICK_REPLIES_MAX = 13  # LINE and Messenger both stop at 13
LABEL_MAX = 20


class SendError(Exception):
    """The provider did not take the message; ``reason`` is safe to show staff."""

    def __init__(self, reason: str, *, retry: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason[:300]
        self.retry = retry


def _post(url: str, *, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    try:
        response = requests.post(
            url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8", **headers},
            timeout=settings.CHANNEL_HTTP_TIMEOUT,
        )
    except requests.Timeout as exc:
        raise SendError("timeout") from exc
    except requests.RequestException as exc:
        raise SendError(f"connection failed: {type(exc).__name__}") from exc
    if response.status_code >= 400:
        # 4xx other than 429 will not succeed when tried again (bad token, blocked user)
        retry = response.status_code == 429 or response.status_code >= 500
        raise SendError(f"HTTP {response.status_code}", retry=retry)
    try:
        answer = response.json() if response.content else {}
    except ValueError:
        answer = {}
    return answer if isinstance(answer, dict) else {}


def _text(message: Outgoing) -> str:
    """The message's text, with its link at the end unless the text already shows it."""
    if message.url and message.url not in message.text:
        return f"{message.text}\n{message.url}"
    return message.text


def pieces(message: Outgoing, limit: int) -> list[Outgoing]:
    """A message longer than the provider takes, cut between lines into several, its buttons
    under the last one: a link or a sentence is never cut off (only a single line longer than
    ``limit`` is cut)."""
    text = _text(message)
    if len(text) <= limit:
        return [Outgoing(text=text, quick_replies=message.quick_replies)]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current.strip():
                parts.append(current)
            current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    parts.append(current)
    texts = [part.strip("\n") for part in parts if part.strip()] or [""]
    last = len(texts) - 1
    return [
        Outgoing(text=t, quick_replies=message.quick_replies if n == last else ())
        for n, t in enumerate(texts)
    ]


def _split(messages: Sequence[Outgoing], limit: int) -> list[Outgoing]:
    return [piece for message in messages for piece in pieces(message, limit)]


# --- LINE ------------------------------------------------------------------------------------


def line_render(message: Outgoing) -> dict[str, Any]:
    rendered: dict[str, Any] = {"type": "text", "text": _text(message)[:LINE_TEXT_MAX]}
    if message.quick_replies:
        rendered["quickReply"] = {
            "items": [
                {
                    "type": "action",
                    "action": {
                        "type": "postback",
                        "label": reply.label[:LABEL_MAX],
                        "data": reply.payload,
                        "displayText": reply.label,
                    },
                }
                for reply in message.quick_replies[:QUICK_REPLIES_MAX]
            ]
        }
    return rendered


def line_send(
    *, token: str, recipient: str, messages: Sequence[Outgoing], reply_token: str = ""
) -> None:
    """Answer with the event's reply token when there is one, else push to the user."""
    base = settings.CHANNEL_LINE_API_URL.rstrip("/")
    headers = {"Authorization": f"Bearer {token}"}
    rendered = [line_render(m) for m in _split(messages, LINE_TEXT_MAX)]
    for start in range(0, len(rendered), LINE_MAX_MESSAGES):
        chunk = rendered[start : start + LINE_MAX_MESSAGES]
        if reply_token and start == 0:
            body = {"replyToken": reply_token, "messages": chunk}
            _post(f"{base}/v2/bot/message/reply", headers=headers, body=body)
        else:
            body = {"to": recipient, "messages": chunk}
            _post(f"{base}/v2/bot/message/push", headers=headers, body=body)


# --- Zalo OA ---------------------------------------------------------------------------------


def zalo_render(message: Outgoing) -> dict[str, Any]:
    rendered: dict[str, Any] = {"text": _text(message)[:ZALO_TEXT_MAX]}
    if message.quick_replies:
        # buttons that send their payload back as the user's text ("oa.query.hide")
        rendered["attachment"] = {
            "type": "template",
            "payload": {
                "buttons": [
                    {"title": r.label[:LABEL_MAX], "type": "oa.query.hide", "payload": r.payload}
                    for r in message.quick_replies[:5]
                ]
            },
        }
    return rendered


def zalo_send(*, token: str, recipient: str, messages: Sequence[Outgoing]) -> None:
    base = settings.CHANNEL_ZALO_API_URL.rstrip("/")
    address: dict[str, Any] = {"user_id": recipient}
    if recipient.startswith("anonymous:"):  # webhooks.ZALO_ANONYMOUS
        address = json.loads(recipient.removeprefix("anonymous:"))
    for message in _split(messages, ZALO_TEXT_MAX):
        body = {"recipient": address, "message": zalo_render(message)}
        answer = _post(f"{base}/v3.0/oa/message/cs", headers={"access_token": token}, body=body)
        error = answer.get("error", 0)
        if error not in (0, "0", None):
            raise SendError(f"Zalo error {error}")


# --- Messenger -------------------------------------------------------------------------------


def messenger_render(message: Outgoing) -> dict[str, Any]:
    rendered: dict[str, Any] = {"text": _text(message)[:MESSENGER_TEXT_MAX]}
    if message.quick_replies:
        rendered["quick_replies"] = [
            {"content_type": "text", "title": r.label[:LABEL_MAX], "payload": r.payload}
            for r in message.quick_replies[:QUICK_REPLIES_MAX]
        ]
    return rendered


def messenger_send(*, token: str, recipient: str, messages: Sequence[Outgoing]) -> None:
    base = settings.CHANNEL_MESSENGER_API_URL.rstrip("/")
    for message in _split(messages, MESSENGER_TEXT_MAX):
        body = {
            "recipient": {"id": recipient},
            "messaging_type": "RESPONSE",
            "message": messenger_render(message),
        }
        _post(f"{base}/me/messages", headers={"Authorization": f"Bearer {token}"}, body=body)


def send(
    *,
    provider: str,
    token: str,
    recipient: str,
    messages: Sequence[Outgoing],
    reply_token: str = "",
) -> None:
    if not token:
        raise SendError("no access token configured", retry=False)
    if provider == "line":
        line_send(token=token, recipient=recipient, messages=messages, reply_token=reply_token)
    elif provider == "zalo":
        zalo_send(token=token, recipient=recipient, messages=messages)
    elif provider == "messenger":
        messenger_send(token=token, recipient=recipient, messages=messages)
    else:
        raise SendError(f"unknown provider {provider}", retry=False)
