"""The one shape every provider's event takes, and the one shape every answer takes.

Webhooks turn a verified provider event into an :class:`Incoming`; the dialogue answers with
:class:`Outgoing` messages; each provider's client renders those in its own format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Provider = Literal["line", "zalo", "messenger"]
# "text": the worker typed; "postback": a quick reply or button was tapped (``text`` holds its
# payload); "follow": the worker added the account; "unsupported": media, stickers and other
# events the project does not handle (answered with a polite fixed message).
Kind = Literal["text", "postback", "follow", "unsupported"]
# The key of the dialogue's state that holds the language the worker chose: the channel layer
# reads it to write its own fixed answers and staff replies in that language.
STATE_LANGUAGE = "lang"


@dataclass(frozen=True)
class Incoming:
    provider: Provider
    account_id: int  # primary key of the organisation's connected account
    event_id: str  # the provider's own id of the event: a redelivery carries the same one
    sender_hash: str  # keyed hash of the provider's user id; the raw id is never stored
    kind: Kind
    text: str
    received_at: dt.datetime


@dataclass(frozen=True)
class QuickReply:
    label: str  # shown on the button (providers cut long labels: keep under 20 characters)
    payload: str  # sent back as an Incoming of kind "postback"


@dataclass(frozen=True)
class Outgoing:
    text: str
    quick_replies: tuple[QuickReply, ...] = field(default=())
    url: str | None = None  # a link the provider may render as a button
