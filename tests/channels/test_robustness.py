"""Whatever a correctly signed body holds, the webhook answers 200 or 401, never an error."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairpassage.channels.models import ChannelAccount
from tests.channels import payloads as p

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_tasks")]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    ["sender", "message", "postback", "text", "mid", "id", "quick_reply", "attachments", "is_echo"]
)
items = st.dictionaries(
    keys, json_values | st.dictionaries(keys, json_values, max_size=4), max_size=5
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(entry=st.one_of(json_values, st.lists(items, max_size=3)))
def test_any_signed_messenger_body(
    client: Client, messenger_account: ChannelAccount, entry: Any
) -> None:
    body = json.dumps({"object": "page", "entry": [{"messaging": entry}]}).encode()
    answer = client.post(
        f"/channels/messenger/{messenger_account.pk}/",
        body,
        content_type="application/json",
        headers=p.messenger_headers(body),
    )
    assert answer.status_code == 200


zalo_keys = st.sampled_from(["event_name", "sender", "follower", "message", "app_id", "x"])


@SETTINGS
@given(
    extra=st.dictionaries(zalo_keys, json_values, max_size=5),
    name=st.sampled_from(["user_send_text", "follow", "user_send_image", "anything", ""]),
)
def test_any_signed_zalo_body(
    client: Client, zalo_account: ChannelAccount, extra: dict[str, Any], name: str
) -> None:
    event = {"event_name": name, **extra, "timestamp": str(int(time.time() * 1000))}
    body = json.dumps(event).encode()
    answer = client.post(
        f"/channels/zalo/{zalo_account.pk}/",
        body,
        content_type="application/json",
        headers=p.zalo_headers(body, timestamp=event["timestamp"]),
    )
    # a body naming another application is refused like a wrong signature
    assert answer.status_code == (
        401 if str(extra.get("app_id", p.ZALO_APP_ID)) != p.ZALO_APP_ID else 200
    )


line_keys = st.sampled_from(
    ["type", "source", "message", "postback", "timestamp", "webhookEventId", "replyToken", "mode"]
)


@SETTINGS
@given(
    events=st.one_of(
        json_values, st.lists(st.dictionaries(line_keys, json_values, max_size=6), max_size=3)
    )
)
def test_any_signed_line_body(client: Client, line_account: ChannelAccount, events: Any) -> None:
    good = p.line_text("Xin chào", event_id="01HGOOD")
    body = p.body(
        {"destination": "U1", "events": [good, *events] if isinstance(events, list) else events}
    )
    answer = client.post(
        f"/channels/line/{line_account.pk}/",
        body,
        content_type="application/json",
        headers=p.line_headers(body),
    )
    assert answer.status_code == 200
