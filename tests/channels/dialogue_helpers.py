"""Drive the dialogue as the channel layer does: one Incoming at a time, the state carried over."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, override, pgettext

from fairpassage.channels.dialogue import Reply, respond
from fairpassage.channels.messages import Incoming, Kind
from fairpassage.core import ratelimit
from fairpassage.registry.selectors import search_index_reset

SITE = "https://fairpassage.example.org"
_events = itertools.count(1)


@dataclass
class Chat:
    """One worker's conversation with an organisation's account."""

    organisation_id: int
    sender_hash: str = "s" * 64
    state: dict[str, Any] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)
    linked: int | None = None

    def incoming(self, text: str, kind: Kind = "text") -> Incoming:
        return Incoming(
            provider="line",
            account_id=1,
            event_id=f"event-{next(_events)}",
            sender_hash=self.sender_hash,
            kind=kind,
            text=text,
            received_at=timezone.now(),
        )

    def send(self, text: str, kind: Kind = "text") -> str:
        """Send one message; returns the text of every answer, joined."""
        incoming = self.incoming(text, kind)
        reply = respond(
            state=self.state,
            incoming=incoming,
            organisation_id=self.organisation_id,
            site_url=SITE,
        )
        self.state = reply.state
        self.replies.append(reply)
        if reply.link_case_id is not None:
            self.linked = reply.link_case_id
        return "\n".join(m.text for m in reply.messages)

    def tap(self, payload: str) -> str:
        """Tap a quick reply: it must be one the last answer offered."""
        offered = [q.payload for m in self.replies[-1].messages for q in m.quick_replies]
        assert payload in offered, (payload, offered)
        return self.send(payload, kind="postback")

    @property
    def last(self) -> Reply:
        return self.replies[-1]


def today() -> dt.date:
    return timezone.localdate()


def fresh_state() -> None:
    """Forget rate-limit counts and the agency search index (each test starts clean)."""
    ratelimit.reset()
    search_index_reset()


def offered(reply: Reply) -> list[str]:
    """The payloads of the quick replies under the last message of ``reply``."""
    return [q.payload for q in reply.messages[-1].quick_replies]


def translated(language: str, message: str, context: str | None = None) -> str:
    """A catalogue message in ``language`` (tests compare with the catalogue, not a copy)."""
    with override(language):
        return pgettext(context, message) if context else gettext(message)
