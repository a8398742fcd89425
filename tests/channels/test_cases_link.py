"""A conversation linked with consent to a case: staff replies reach that chat and no other;
the case page shows the channel to whoever may open the case, and to nobody else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from fairpassage.cases import services as case_services
from fairpassage.cases.choices import Category, Stage, Status, WhereNow
from fairpassage.cases.models import Case
from fairpassage.channels import services
from fairpassage.channels.models import (
    ChannelAccount,
    ChannelEvent,
    Conversation,
    ConversationMessage,
    OutboundMessage,
)
from fairpassage.channels.selectors import case_channels, linked_case_id
from fairpassage.core import services as core_services
from fairpassage.core.models import AuditEvent, Organisation, Role, User
from tests.channels.conftest import EchoDialogue, StandIns
from tests.channels.helpers import deliver_line
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _case(org: Organisation, key: str = "chat-1") -> Case:
    case, _code, _created = case_services.grievance_submit(
        idempotency_key=f"channels-test-{key}",
        where_now=WhereNow.JAPAN,
        categories=[Category.WAGES],
        stage=Stage.IN_JAPAN,
        statement="Công ty không trả lương",
    )
    Case.objects.filter(pk=case.pk).update(organisation=org)
    case.refresh_from_db()
    return case


def _member(org: Organisation, role: str = Role.CASE_WORKER) -> User:
    user = UserFactory.create()
    core_services.membership_set(actor=None, user=user, organisation=org, role=role)
    return user


def test_staff_reply_reaches_only_the_linked_chat(
    client: Client,
    line_account: ChannelAccount,
    org: Organisation,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    case = _case(org)
    staff = _member(org)
    with django_capture_on_commit_callbacks(execute=True):
        linked = deliver_line(client, line_account, "đồng ý", event_id="01HL", user="Uworker")
        echo.link_case_id = case.pk
        services.event_process(event_id=linked.pk, respond=echo)
        other = deliver_line(client, line_account, "xin chào", event_id="01HO", user="Ustranger")
        services.event_process(event_id=other.pk, respond=echo)
    conversation = Conversation.objects.get(case=case)
    assert conversation.linked_at is not None
    # the dialogue finds the case through the sender's own conversation only
    assert echo.seen[0][1].sender_hash != echo.seen[1][1].sender_hash
    assert linked_case_id(incoming=echo.seen[0][1]) == case.pk
    assert linked_case_id(incoming=echo.seen[1][1]) is None
    assert AuditEvent.objects.filter(action="channel_conversation.link").count() == 1
    before = len(apis.line.calls)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.staff_message_post(
            actor=staff, case=case, body="Chúng tôi đã liên hệ công ty."
        )
    pushed = apis.line.calls[before:]
    assert len(pushed) == 1
    (call,) = pushed
    assert call.authorised and call.path == "/v2/bot/message/push"
    assert call.body["to"] == "Uworker"
    text = call.body["messages"][0]["text"]
    assert case.reference in text and "Chúng tôi đã liên hệ công ty." in text
    # the stranger on the same account received nothing about the case, ever
    stranger = Conversation.objects.exclude(pk=conversation.pk).get()
    for call in apis.line.calls:
        if call.body.get("to") == "Ustranger" or call.body.get("replyToken") == "reply-01HO":
            assert case.reference not in repr(call.body)
            assert "liên hệ công ty" not in repr(call.body)
    assert stranger.outbound.count() == 1  # only the echo of its own message


def test_staff_reply_on_an_unlinked_case_sends_nothing(
    org: Organisation,
    line_account: ChannelAccount,
    apis: StandIns,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    case = _case(org)
    line_account.conversations.create(sender_hash="x" * 64, last_activity=timezone.now())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_services.staff_message_post(actor=_member(org), case=case, body="Hello")
    assert not callbacks and not apis.line.calls and not OutboundMessage.objects.exists()


def test_case_channel_is_shown_to_the_case_team_only(
    org: Organisation, line_account: ChannelAccount
) -> None:
    case = _case(org)
    conversation = line_account.conversations.create(
        sender_hash="y" * 64, last_activity=timezone.now()
    )
    services.conversation_link(conversation=conversation, case_id=case.pk)
    team = _member(org)
    outsider = _member(OrganisationFactory.create(), Role.ORGANISATION_ADMIN)
    (shown,) = case_channels(user=team, case=case)
    assert shown.provider == "line" and shown.account_name == "line desk"
    assert case_channels(user=outsider, case=case) == []

    template = Template("{% load channels_tags %}{% case_channel case %}")
    request = RequestFactory().get("/")
    request.user = team
    html = template.render(Context({"case": case, "request": request}))
    assert "LINE" in html and "line desk" in html
    request.user = outsider
    assert "line desk" not in template.render(Context({"case": case, "request": request}))


@override_settings(CHANNEL_RETENTION_DAYS=30)
def test_purge_deletes_old_chat_text_and_idle_conversations(
    org: Organisation, line_account: ChannelAccount
) -> None:
    now = timezone.now()
    old = now - dt.timedelta(days=31)
    open_case, closed_case = _case(org, "p-open"), _case(org, "p-closed")
    Case.objects.filter(pk=closed_case.pk).update(status=Status.CLOSED)
    keep_linked = line_account.conversations.create(
        sender_hash="a" * 64, last_activity=old, case=open_case
    )
    gone_closed = line_account.conversations.create(
        sender_hash="b" * 64, last_activity=old, case=closed_case
    )
    gone_idle = line_account.conversations.create(sender_hash="c" * 64, last_activity=old)
    recent = line_account.conversations.create(sender_hash="d" * 64, last_activity=now)
    for conversation in (keep_linked, recent):
        for when in (old, now):
            message = ConversationMessage.objects.create(
                conversation=conversation, direction="in", text="text"
            )
            ConversationMessage.objects.filter(pk=message.pk).update(created_at=when)
    ChannelEvent.objects.create(
        account=line_account,
        provider="line",
        event_id="old",
        sender_hash="a" * 64,
        kind="text",
        received_at=old,
        status="done",
    )
    counts = services.channel_purge()
    assert counts == {"messages": 2, "events": 1, "outbound": 0, "conversations": 2}
    assert set(Conversation.objects.values_list("pk", flat=True)) == {keep_linked.pk, recent.pk}
    assert ConversationMessage.objects.count() == 2
    assert not Conversation.objects.filter(pk__in=[gone_closed.pk, gone_idle.pk]).exists()
