"""Writes of the channel layer: store verified events once, answer them in the background, send
with retries, link a conversation to a case, carry staff replies to the chat, purge old text.

The webhook only stores (:func:`events_store`) and enqueues; :func:`event_process` runs in a
task, asks the dialogue (``fairpassage.channels.dialogue.respond``) what to answer and queues
the answer; :func:`outbound_send` calls the provider, and on failure records why and tries
again later with back-off.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from fairpassage.cases import codes
from fairpassage.cases.choices import Status
from fairpassage.cases.models import Case, Message
from fairpassage.channels import clients, tasks
from fairpassage.channels.messages import STATE_LANGUAGE, Incoming, Outgoing, QuickReply
from fairpassage.channels.models import (
    ChannelAccount,
    ChannelEvent,
    Conversation,
    ConversationMessage,
    Direction,
    EventStatus,
    OutboundMessage,
    OutboundStatus,
    Provider,
)
from fairpassage.channels.webhooks import Received
from fairpassage.core import ratelimit
from fairpassage.core.errors import InvalidInput, NotFound
from fairpassage.core.models import Organisation
from fairpassage.core.services import Actor, audit_record

logger = logging.getLogger(__name__)

LANGUAGES = ("vi", "ja", "en")


class Reply(Protocol):
    """What the dialogue answers (its own frozen dataclass has these fields)."""

    @property
    def state(self) -> dict[str, Any]: ...
    @property
    def messages(self) -> list[Outgoing]: ...
    @property
    def link_case_id(self) -> int | None: ...


Responder = Callable[..., Reply]


def _dialogue() -> Responder:
    module = importlib.import_module("fairpassage.channels.dialogue")
    respond: Responder = module.respond
    return respond


# --- fixed answers -----------------------------------------------------------------------------

UNSUPPORTED = _(
    "Sorry, I can only read text. Please type your question, or tap one of the buttons."
)
TOO_LONG = _(
    "Sorry, this message is too long for me. Please send at most %(limit)s characters at a time."
)
SLOW_DOWN = _("You are sending messages very quickly. Please wait a minute, then write again.")
TROUBLE = _("Sorry, something went wrong on our side. Please write again a little later.")
STAFF_REPLY = _("A case worker answered about your report %(reference)s:")


def _fixed(text: Any, language: str, **params: Any) -> Outgoing:
    with translation.override(language):
        rendered = str(text)
    return Outgoing(text=rendered % params if params else rendered)


# --- what is kept of chat text ---------------------------------------------------------------

# 20 letters and digits, as shown (``ABCD-EFGH-…``) or typed (spaces, no hyphens, lower case)
_CODE_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{4}(?:[ -]?[0-9A-Za-z]{4}){4}(?![0-9A-Za-z])")
CODE_KEPT_AS = "[…]"


def without_codes(text: str) -> str:
    """Chat text as the layer keeps it: a tracking code, sent once by the dialogue or typed by
    the worker to follow a report, is never kept (the case keeps only its keyed hash). A word
    of 20 Latin letters (rare in Vietnamese, absent from Japanese) is left out too: losing it
    from a log is the lesser harm."""

    def hide(match: re.Match[str]) -> str:
        found = match.group(0)
        return CODE_KEPT_AS if codes.is_well_formed(found) else found

    return _CODE_LIKE.sub(hide, text)


# --- accounts --------------------------------------------------------------------------------


@transaction.atomic
def channel_account_create(
    *,
    actor: Actor,
    organisation: Organisation,
    provider: str,
    display_name: str,
    secret: str = "",
    access_token: str = "",
    verify_token: str = "",
    app_id: str = "",
    env_prefix: str = "",
) -> ChannelAccount:
    if provider not in Provider.values:
        raise InvalidInput(field="provider")
    if not display_name.strip():
        raise InvalidInput(field="display_name")
    account = ChannelAccount.objects.create(
        organisation=organisation,
        provider=provider,
        display_name=display_name.strip(),
        secret=secret,
        access_token=access_token,
        verify_token=verify_token,
        app_id=app_id,
        env_prefix=env_prefix,
    )
    audit_record(
        actor=actor,
        action="channel_account.create",
        obj=account,
        organisation=organisation,
        data={"provider": provider},
    )
    return account


def account_for_webhook(*, account_id: int, provider: str) -> ChannelAccount:
    account = ChannelAccount.objects.filter(pk=account_id, provider=provider, active=True).first()
    if account is None:
        raise NotFound()
    return account


# --- receiving -------------------------------------------------------------------------------


def events_store(*, account: ChannelAccount, received: Sequence[Received]) -> int:
    """Store each event once (the unique provider + event id holds under concurrency too) and
    enqueue its processing after commit. Returns how many were new."""
    new = 0
    for item in received:
        event = item.incoming
        try:
            with transaction.atomic():
                stored = ChannelEvent.objects.create(
                    account=account,
                    provider=event.provider,
                    event_id=event.event_id,
                    sender_hash=event.sender_hash,
                    kind="too_long" if item.too_long else event.kind,
                    text=event.text,
                    recipient=item.recipient,
                    reply_token=item.reply_token,
                    received_at=event.received_at,
                )
                transaction.on_commit(partial(tasks.enqueue_process, stored.pk))
        except IntegrityError:
            continue  # a redelivery: the first delivery is processed, this one is not
        new += 1
    return new


def _claim(event_id: int) -> ChannelEvent | None:
    """Mark a waiting event as being processed; ``None`` when another worker has it."""
    claimed = ChannelEvent.objects.filter(pk=event_id, status=EventStatus.PENDING).update(
        status=EventStatus.PROCESSING
    )
    if not claimed:
        return None
    return ChannelEvent.objects.select_related("account").get(pk=event_id)


def _conversation(event: ChannelEvent) -> Conversation:
    now = timezone.now()
    for _attempt in range(3):
        found = (
            Conversation.objects.select_for_update()
            .filter(account=event.account, sender_hash=event.sender_hash)
            .first()
        )
        if found is not None:
            if event.recipient and found.recipient != event.recipient:
                found.recipient = event.recipient
            found.last_activity = now
            found.save(update_fields=["recipient", "last_activity"])
            return found
        try:
            with transaction.atomic():
                return Conversation.objects.create(
                    account=event.account,
                    sender_hash=event.sender_hash,
                    recipient=event.recipient,
                    last_activity=now,
                )
        except IntegrityError:
            continue  # created by a concurrent event of the same sender
    raise RuntimeError("conversation could not be created")


def _limited(event: ChannelEvent) -> tuple[bool, bool]:
    """(over a limit, tell the sender to slow down)."""
    minute = 60
    per_account = ratelimit.hits(
        scope="channel-account", key=str(event.account_id), window_seconds=minute
    )
    if per_account > settings.CHANNEL_RATE_PER_ACCOUNT:
        return True, False
    per_sender = ratelimit.hits(
        scope="channel-sender", key=event.sender_hash, window_seconds=minute
    )
    limit = settings.CHANNEL_RATE_PER_SENDER
    return per_sender > limit, per_sender == limit + 1


def _incoming(event: ChannelEvent, conversation: Conversation) -> Incoming:
    kind = event.kind if event.kind != "too_long" else "text"
    text = event.text or ""
    if kind == "text" and text in (conversation.offered or []):
        kind = "postback"  # a Zalo button sends its payload back as typed text
    return Incoming(
        provider=event.provider,  # type: ignore[arg-type]
        account_id=event.account_id,
        event_id=event.event_id,
        sender_hash=event.sender_hash,
        kind=kind,  # type: ignore[arg-type]
        text=text,
        received_at=event.received_at,
    )


def event_process(*, event_id: int, respond: Responder | None = None) -> str:
    """Answer one stored event (run by the task queue). Returns the event's final status."""
    event = _claim(event_id)
    if event is None:
        return "skipped"
    try:
        with transaction.atomic():
            status = _process(event, respond or _dialogue())
    except Exception as exc:
        logger.exception("chat event %s could not be processed", event.pk)
        with transaction.atomic():
            _finish(event, EventStatus.FAILED, error=type(exc).__name__)
            conversation = _conversation(event)
            _queue(conversation, [_fixed(TROUBLE, conversation.language)], event.reply_token)
        return EventStatus.FAILED
    return status


def _process(event: ChannelEvent, respond: Responder) -> str:
    over, tell = _limited(event)
    conversation = _conversation(event)
    language = conversation.language
    if over:
        if tell:
            _queue(conversation, [_fixed(SLOW_DOWN, language)], event.reply_token)
        return _finish(event, EventStatus.LIMITED)
    if event.kind == "unsupported":
        _queue(conversation, [_fixed(UNSUPPORTED, language)], event.reply_token)
        return _finish(event, EventStatus.DONE)
    if event.kind == "too_long":
        answer = _fixed(TOO_LONG, language, limit=settings.CHANNEL_MAX_TEXT)
        _queue(conversation, [answer], event.reply_token)
        return _finish(event, EventStatus.DONE)
    incoming = _incoming(event, conversation)
    if incoming.text:
        ConversationMessage.objects.create(
            conversation=conversation, direction=Direction.IN, text=without_codes(incoming.text)
        )
    reply = respond(
        state=conversation.state,
        incoming=incoming,
        organisation_id=event.account.organisation_id,
        site_url=settings.SITE_URL,
    )
    conversation.state = dict(reply.state)
    state = reply.state if isinstance(reply.state, dict) else {}
    chosen = str(state.get(STATE_LANGUAGE, ""))
    if chosen in LANGUAGES:
        conversation.language = chosen
    conversation.offered = [q.payload for m in reply.messages for q in m.quick_replies]
    conversation.save(update_fields=["state_encrypted", "language", "offered"])
    if reply.link_case_id is not None:
        conversation_link(conversation=conversation, case_id=int(reply.link_case_id))
    if reply.messages:
        _queue(conversation, list(reply.messages), event.reply_token)
    return _finish(event, EventStatus.DONE)


def _finish(event: ChannelEvent, status: str, *, error: str = "") -> str:
    event.status = status
    event.error = error[:200]
    event.processed_at = timezone.now()
    event.reply_token = ""  # spent or expired: not kept
    event.text = without_codes(event.text or "")
    event.save(update_fields=["status", "error", "processed_at", "reply_token", "text"])
    return status


@transaction.atomic
def conversation_link(*, conversation: Conversation, case_id: int) -> Conversation:
    """The worker consented: their chat follows this case (staff replies reach it, and only it)."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    conversation.case = case
    conversation.linked_at = timezone.now()
    conversation.save(update_fields=["case", "linked_at"])
    audit_record(
        actor=None,
        action="channel_conversation.link",
        obj=conversation,
        organisation=case.organisation,
        data={"case": case.pk, "provider": conversation.account.provider},
    )
    return conversation


# --- sending ---------------------------------------------------------------------------------


def _encode(messages: Sequence[Outgoing]) -> str:
    return json.dumps([dataclasses.asdict(m) for m in messages], ensure_ascii=False)


def _decode(payload: str) -> list[Outgoing]:
    return [
        Outgoing(
            text=str(item["text"]),
            quick_replies=tuple(QuickReply(**q) for q in item.get("quick_replies") or ()),
            url=item.get("url"),
        )
        for item in json.loads(payload)
    ]


def _queue(
    conversation: Conversation, messages: Sequence[Outgoing], reply_token: str = ""
) -> OutboundMessage:
    outbound = OutboundMessage.objects.create(
        conversation=conversation, payload=_encode(messages), reply_token=reply_token
    )
    for message in messages:
        ConversationMessage.objects.create(
            conversation=conversation, direction=Direction.OUT, text=without_codes(message.text)
        )
    transaction.on_commit(lambda: tasks.enqueue_send(outbound.pk))
    return outbound


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try: CHANNEL_RETRY_SECONDS, doubled after each failure."""
    return dt.timedelta(seconds=settings.CHANNEL_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def outbound_send(*, outbound_id: int) -> str:
    """One try at sending; on failure record why and when to try again. Returns the status."""
    with transaction.atomic():
        outbound = (
            OutboundMessage.objects.select_for_update()
            .select_related("conversation__account")
            .filter(pk=outbound_id)
            .first()
        )
        if outbound is None or outbound.status in (OutboundStatus.SENT, OutboundStatus.FAILED):
            return outbound.status if outbound else "missing"
        conversation = outbound.conversation
        account = conversation.account
        # a reply token is good for about a minute and only once: only the first try uses it
        fresh = timezone.now() - outbound.created_at < dt.timedelta(seconds=50)
        reply_token = outbound.reply_token if outbound.attempts == 0 and fresh else ""
        outbound.attempts += 1
        try:
            clients.send(
                provider=account.provider,
                token=account.credential("access_token"),
                recipient=conversation.recipient or "",
                messages=_decode(outbound.payload),
                reply_token=reply_token,
            )
        except clients.SendError as error:
            outbound.last_error = error.reason
            if error.retry and outbound.attempts < settings.CHANNEL_SEND_ATTEMPTS:
                outbound.status = OutboundStatus.RETRYING
                outbound.next_try_at = timezone.now() + backoff(outbound.attempts)
            else:
                outbound.status = OutboundStatus.FAILED
                outbound.next_try_at = None
        else:
            outbound.status = OutboundStatus.SENT
            outbound.sent_at = timezone.now()
            sent = _decode(outbound.payload)
            outbound.payload = _encode(
                [dataclasses.replace(m, text=without_codes(m.text)) for m in sent]
            )
            outbound.next_try_at = None
            outbound.last_error = ""
        outbound.reply_token = ""
        outbound.save()
        if outbound.status == OutboundStatus.RETRYING:
            when = outbound.next_try_at
            transaction.on_commit(lambda: tasks.enqueue_send(outbound.pk, run_after=when))
        return outbound.status


def outbound_retry_due(*, now: dt.datetime | None = None) -> int:
    """Try again every message whose back-off has passed (for backends that cannot defer a
    task, and after a worker died). Returns how many were tried."""
    now = now or timezone.now()
    due = list(
        OutboundMessage.objects.filter(
            status=OutboundStatus.RETRYING, next_try_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        outbound_send(outbound_id=pk)
    return len(due)


# --- staff replies ---------------------------------------------------------------------------


@transaction.atomic
def staff_message_push(*, message_id: int) -> int:
    """Queue a staff message to every chat linked (with consent) to its case."""
    message = Message.objects.select_related("case").filter(pk=message_id).first()
    if message is None:
        return 0
    conversations = Conversation.objects.filter(case=message.case).select_related("account")
    count = 0
    for conversation in conversations:
        with translation.override(conversation.language):
            heading = str(STAFF_REPLY) % {"reference": message.case.reference}
        _queue(conversation, [Outgoing(text=f"{heading}\n\n{message.body}")])
        count += 1
    return count


# --- retention -------------------------------------------------------------------------------


@transaction.atomic
def channel_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete chat text, events and sent messages older than ``CHANNEL_RETENTION_DAYS``, and
    conversations idle that long unless linked to a case still open."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CHANNEL_RETENTION_DAYS)
    counts = {
        "messages": ConversationMessage.objects.filter(created_at__lt=cutoff).delete()[0],
        "events": ChannelEvent.objects.filter(received_at__lt=cutoff)
        .exclude(status__in=[EventStatus.PENDING, EventStatus.PROCESSING])
        .delete()[0],
        "outbound": OutboundMessage.objects.filter(
            created_at__lt=cutoff, status__in=[OutboundStatus.SENT, OutboundStatus.FAILED]
        ).delete()[0],
    }
    idle = Conversation.objects.filter(last_activity__lt=cutoff).exclude(
        case__isnull=False, case__status__in=[s for s in Status.values if s != Status.CLOSED]
    )
    counts["conversations"] = idle.delete()[1].get(Conversation._meta.label, 0)
    audit_record(actor=None, action="channel.purge", data=dict(counts))
    return counts
