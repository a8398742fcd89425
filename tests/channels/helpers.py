"""Deliver signed events through the webhook, then run what the task queue would run."""

from __future__ import annotations

from django.test import Client

from fairpassage.channels.models import ChannelAccount, ChannelEvent
from tests.channels import payloads as p


def deliver_line(
    client: Client, account: ChannelAccount, text: str, *, event_id: str, user: str = "U1"
) -> ChannelEvent:
    raw = p.line_body(p.line_text(text, event_id=event_id, user=user))
    response = client.post(
        f"/channels/line/{account.pk}/",
        raw,
        content_type="application/json",
        headers=p.line_headers(raw),
    )
    assert response.status_code == 200
    return ChannelEvent.objects.get(provider="line", event_id=event_id)


def deliver_zalo(
    client: Client, account: ChannelAccount, text: str, *, event_id: str, user: str = "246"
) -> ChannelEvent:
    event = p.zalo_event("user_send_text", msg_id=event_id, user=user, message={"text": text})
    raw = p.body(event)
    headers = p.zalo_headers(raw, timestamp=str(event["timestamp"]))
    response = client.post(
        f"/channels/zalo/{account.pk}/", raw, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    return ChannelEvent.objects.get(provider="zalo", event_id=event_id)


def deliver_messenger(
    client: Client, account: ChannelAccount, text: str, *, event_id: str, user: str = "678"
) -> ChannelEvent:
    item = p.messenger_item(psid=user, message={"mid": event_id, "text": text})
    raw = p.messenger_body(item)
    response = client.post(
        f"/channels/messenger/{account.pk}/",
        raw,
        content_type="application/json",
        headers=p.messenger_headers(raw),
    )
    assert response.status_code == 200
    return ChannelEvent.objects.get(provider="messenger", event_id=event_id)


DELIVER = {"line": deliver_line, "zalo": deliver_zalo, "messenger": deliver_messenger}
