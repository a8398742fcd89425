"""Item 16: the message operation was a second tracking-code oracle with its own limit. Every
lookup of a code, whatever the page or operation, now counts against one limit per address."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.core import ratelimit
from tests.cases.conftest import World, _private_attachments, world
from tests.security.helpers_c import file_by_api, post_json

__all__ = ["_private_attachments", "world"]

LIMIT = 4


def _lookups(client: Client, code: str) -> list[Any]:
    """The five ways to look a code up: status and message by API (body and header), and the
    page, with and without a message."""
    return [
        lambda: post_json(client, "/api/grievances/track", {"code": code}),
        lambda: post_json(client, "/api/grievances/track/messages", {"code": code, "body": "a"}),
        lambda: post_json(
            client, "/api/grievances/track/messages", {"body": "b"}, **{"Tracking-Code": code}
        ),
        lambda: client.post("/vi/grievance/track/", {"code": code}),
        lambda: client.post("/vi/grievance/track/", {"code": code, "body": "c"}),
    ]


@pytest.mark.parametrize("start", range(5))
def test_item_16_every_endpoint_counts_against_one_tracking_limit(
    client: Client, world: World, settings: SettingsWrapper, start: int
) -> None:
    code = file_by_api(client)
    ratelimit.reset()
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 100, "track": LIMIT, "message": 100}
    ways = _lookups(client, code)
    order = list(itertools.islice(itertools.cycle(ways), start, start + LIMIT))
    statuses = [call().status_code for call in order]
    assert all(s in (200, 201) for s in statuses), statuses
    # The limit is spent: every way of looking the code up now answers 429, wrong codes too.
    for call in ways:
        assert call().status_code == 429
    wrong = post_json(client, "/api/grievances/track", {"code": "0" * 20})
    assert wrong.status_code == 429


def test_item_16_guessing_through_messages_is_limited_like_tracking(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    ratelimit.reset()
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 100, "track": LIMIT, "message": 100}
    guesses = [
        post_json(client, "/api/grievances/track/messages", {"code": f"{n:020d}", "body": "x"})
        for n in range(LIMIT + 3)
    ]
    assert [g.status_code for g in guesses] == [404] * LIMIT + [429] * 3
