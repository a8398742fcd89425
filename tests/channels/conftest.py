"""Accounts of the three providers, the loopback stand-in of their APIs, a stand-in dialogue."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import override_settings

from fairpassage.channels import services
from fairpassage.channels.messages import Incoming, Outgoing, QuickReply
from fairpassage.channels.models import ChannelAccount
from fairpassage.core import ratelimit
from fairpassage.core.models import Organisation
from tests.channels import payloads
from tests.channels.standin import ProviderStandIn
from tests.factories import OrganisationFactory

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@dataclass(frozen=True)
class EchoReply:
    state: dict[str, Any]
    messages: list[Outgoing]
    link_case_id: int | None = None


@dataclass
class EchoDialogue:
    """Stands in for the dialogue (written elsewhere): echoes, counts turns, links on demand."""

    link_case_id: int | None = None
    seen: list[tuple[dict[str, Any], Incoming, int, str]] = field(default_factory=list)

    def __call__(
        self, *, state: dict[str, Any], incoming: Incoming, organisation_id: int, site_url: str
    ) -> EchoReply:
        self.seen.append((dict(state), incoming, organisation_id, site_url))
        turns = int(state.get("turns", 0)) + 1
        answer = Outgoing(
            text=f"echo: {incoming.text}",
            quick_replies=(QuickReply(label="Menu", payload="menu:main"),),
        )
        link, self.link_case_id = self.link_case_id, None
        return EchoReply({"turns": turns, "lang": "vi"}, [answer], link)


@pytest.fixture
def echo() -> EchoDialogue:
    return EchoDialogue()


@pytest.fixture
def org(db: None) -> Organisation:
    return OrganisationFactory.create()


@pytest.fixture(autouse=True)
def _fresh_limits(db: None) -> None:
    ratelimit.reset()


def _account(org: Organisation, provider: str) -> ChannelAccount:
    secrets = {
        "line": {"secret": payloads.LINE_SECRET, "access_token": payloads.LINE_TOKEN},
        "zalo": {
            "secret": payloads.ZALO_SECRET,
            "access_token": payloads.ZALO_TOKEN,
            "app_id": payloads.ZALO_APP_ID,
        },
        "messenger": {
            "secret": payloads.MESSENGER_SECRET,
            "access_token": payloads.MESSENGER_TOKEN,
            "verify_token": payloads.MESSENGER_VERIFY,
        },
    }[provider]
    return services.channel_account_create(
        actor=None, organisation=org, provider=provider, display_name=f"{provider} desk", **secrets
    )


@pytest.fixture
def line_account(org: Organisation) -> ChannelAccount:
    return _account(org, "line")


@pytest.fixture
def zalo_account(org: Organisation) -> ChannelAccount:
    return _account(org, "zalo")


@pytest.fixture
def messenger_account(org: Organisation) -> ChannelAccount:
    return _account(org, "messenger")


@pytest.fixture
def no_tasks() -> Iterator[None]:
    """Enqueued tasks are recorded, not run: the webhook's own work alone."""
    with override_settings(TASKS=DUMMY_TASKS):
        yield


@dataclass
class StandIns:
    line: ProviderStandIn
    zalo: ProviderStandIn
    messenger: ProviderStandIn


@pytest.fixture
def apis() -> Iterator[StandIns]:
    stand_ins = StandIns(
        ProviderStandIn(payloads.LINE_TOKEN).start(),
        ProviderStandIn(payloads.ZALO_TOKEN).start(),
        ProviderStandIn(payloads.MESSENGER_TOKEN).start(),
    )
    with override_settings(
        CHANNEL_LINE_API_URL=stand_ins.line.url,
        CHANNEL_ZALO_API_URL=stand_ins.zalo.url,
        CHANNEL_MESSENGER_API_URL=stand_ins.messenger.url + "/v21.0",
        CHANNEL_HTTP_TIMEOUT=5,
    ):
        yield stand_ins
    for stand_in in (stand_ins.line, stand_ins.zalo, stand_ins.messenger):
        stand_in.stop()
