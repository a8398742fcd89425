"""Sending: a refused call is tried again with back-off through the task queue, then given up;
every failure is recorded and shown to platform staff and the account's organisation admins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from fairpassage.channels import clients, services
from fairpassage.channels.messages import Outgoing, QuickReply
from fairpassage.channels.models import ChannelAccount, OutboundMessage, OutboundStatus
from fairpassage.core import services as core_services
from fairpassage.core.models import Organisation, Role
from tests.channels import payloads
from tests.channels.conftest import DUMMY_TASKS, EchoDialogue, StandIns
from tests.channels.helpers import deliver_line, deliver_messenger, deliver_zalo
from tests.factories import OrganisationFactory, UserFactory, login_verified

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _answered(
    client: Client, account: ChannelAccount, echo: EchoDialogue, capture: Capture, deliver: Any
) -> OutboundMessage:
    event = deliver(client, account, "Xin chào", event_id="e1")
    with capture(execute=True):
        services.event_process(event_id=event.pk, respond=echo)
    return OutboundMessage.objects.get()


@override_settings(CHANNEL_SEND_ATTEMPTS=4, CHANNEL_RETRY_SECONDS=30)
def test_a_refused_send_is_retried_with_back_off_then_goes(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    apis.line.failures = [500, 503]
    before = timezone.now()
    outbound = _answered(
        client, line_account, echo, django_capture_on_commit_callbacks, deliver_line
    )
    assert outbound.status == OutboundStatus.RETRYING and outbound.attempts == 1
    assert outbound.last_error == "HTTP 500"
    assert outbound.next_try_at is not None
    assert dt.timedelta(seconds=29) < outbound.next_try_at - before < dt.timedelta(seconds=40)
    assert services.outbound_retry_due() == 0  # not due yet
    assert services.outbound_retry_due(now=outbound.next_try_at) == 1
    outbound.refresh_from_db()
    assert outbound.attempts == 2 and outbound.last_error == "HTTP 503"
    first_wait = dt.timedelta(seconds=30)
    assert outbound.next_try_at is not None and outbound.next_try_at - timezone.now() > first_wait
    services.outbound_retry_due(now=outbound.next_try_at)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SENT and outbound.attempts == 3
    paths = [call.path for call in apis.line.calls]
    # the reply token is spent on the first try; later tries push to the user
    assert paths == ["/v2/bot/message/reply"] + ["/v2/bot/message/push"] * 2
    assert apis.line.calls[-1].body["to"] == "U1"


@override_settings(CHANNEL_SEND_ATTEMPTS=2)
def test_a_send_that_keeps_failing_is_given_up(
    client: Client,
    messenger_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    apis.messenger.failures = [500, 500, 500]
    outbound = _answered(
        client, messenger_account, echo, django_capture_on_commit_callbacks, deliver_messenger
    )
    assert outbound.next_try_at is not None
    services.outbound_retry_due(now=outbound.next_try_at)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.FAILED and outbound.attempts == 2
    assert outbound.next_try_at is None


def test_a_wrong_token_fails_at_once_and_says_why(
    client: Client,
    zalo_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    zalo_account.access_token = "expired-token"
    zalo_account.save()
    outbound = _answered(
        client, zalo_account, echo, django_capture_on_commit_callbacks, deliver_zalo
    )
    assert outbound.status == OutboundStatus.FAILED and outbound.last_error == "HTTP 401"
    assert not apis.zalo.calls[0].authorised


def test_a_zalo_error_code_in_a_200_answer_is_a_failure(
    client: Client,
    zalo_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    apis.zalo.zalo_error = -213  # "user has not interacted with the OA in the last 7 days"
    outbound = _answered(
        client, zalo_account, echo, django_capture_on_commit_callbacks, deliver_zalo
    )
    assert outbound.status == OutboundStatus.RETRYING and outbound.last_error == "Zalo error -213"


@override_settings(CHANNEL_HTTP_TIMEOUT=0.5)
def test_an_unreachable_api_is_a_recorded_failure(
    client: Client,
    line_account: ChannelAccount,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with override_settings(CHANNEL_LINE_API_URL="http://127.0.0.1:9"):
        outbound = _answered(
            client, line_account, echo, django_capture_on_commit_callbacks, deliver_line
        )
    assert outbound.status == OutboundStatus.RETRYING
    assert outbound.last_error.startswith("connection failed")


def test_a_deferring_queue_gets_the_retry_with_its_wait(
    client: Client,
    line_account: ChannelAccount,
    apis: StandIns,
    echo: EchoDialogue,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from django_tasks import default_task_backend  # noqa: PLC0415

    apis.line.failures = [500]
    outbound = _answered(
        client, line_account, echo, django_capture_on_commit_callbacks, deliver_line
    )
    OutboundMessage.objects.filter(pk=outbound.pk).update(next_try_at=None)
    with override_settings(TASKS=DUMMY_TASKS), django_capture_on_commit_callbacks(execute=True):
        apis.line.failures = [500]
        services.outbound_send(outbound_id=outbound.pk)
        results = default_task_backend.results  # type: ignore[attr-defined]
    (queued,) = [r for r in results if r.task.name == "send_outbound"]
    outbound.refresh_from_db()
    assert queued.args == [outbound.pk] and queued.task.run_after == outbound.next_try_at


# --- the staff page --------------------------------------------------------------------------


def _failed(account: ChannelAccount) -> OutboundMessage:
    conversation = account.conversations.create(sender_hash="h" * 64, last_activity=timezone.now())
    return OutboundMessage.objects.create(
        conversation=conversation,
        payload="[]",
        status=OutboundStatus.FAILED,
        attempts=6,
        last_error="HTTP 500",
    )


def test_failures_page_shows_each_reader_their_organisations_failures(
    client: Client, line_account: ChannelAccount, org: Organisation
) -> None:
    other_org = OrganisationFactory.create()
    other = services.channel_account_create(
        actor=None, organisation=other_org, provider="line", display_name="Other desk"
    )
    _failed(line_account)
    _failed(other)
    staff = UserFactory.create(is_staff=True)
    admin = UserFactory.create()
    core_services.membership_set(
        actor=None, user=admin, organisation=org, role=Role.ORGANISATION_ADMIN
    )
    worker = UserFactory.create()
    core_services.membership_set(actor=None, user=worker, organisation=org, role=Role.CASE_WORKER)

    login_verified(client, staff)
    page = client.get("/en/channels/failures/").content.decode()
    assert "line desk" in page and "Other desk" in page and "HTTP 500" in page

    login_verified(client, admin)
    page = client.get("/en/channels/failures/").content.decode()
    assert "line desk" in page and "Other desk" not in page

    login_verified(client, worker)
    assert client.get("/en/channels/failures/").status_code == 403

    client.logout()
    answer = client.get("/en/channels/failures/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]


@pytest.mark.parametrize(
    ("provider", "limit"), [("line", 5000), ("zalo", 2000), ("messenger", 2000)]
)
def test_a_long_answer_is_split_between_lines_with_its_link_whole_and_once(
    provider: str, limit: int, apis: StandIns
) -> None:
    link = "https://fairpassage.example.org/vi/chat/check/" + "x" * 300 + "/"
    paragraphs = [f"Đoạn {n}: " + "tiền dịch vụ vượt mức trần. " * 20 for n in range(20)]
    text = "\n\n".join([*paragraphs, link])
    buttons = (QuickReply(label="Menu", payload="menu"),)
    clients.send(
        provider=provider,
        token=getattr(payloads, f"{provider.upper()}_TOKEN"),
        recipient="U1",
        messages=[Outgoing(text=text, quick_replies=buttons, url=link)],
    )
    stand_in = getattr(apis, provider)
    if provider == "line":
        sent = [m for call in stand_in.calls for m in call.body["messages"]]
    else:
        sent = [call.body["message"] for call in stand_in.calls]
    texts = [m["text"] for m in sent]
    assert len(texts) > 1 and all(len(t) <= limit for t in texts)
    assert "\n".join(texts).count(link) == 1 and link in texts[-1]  # never cut, shown once
    assert all(t.strip() for t in texts)
    joined = "\n".join(texts)
    assert all(paragraph in joined for paragraph in paragraphs)  # nothing lost
    with_buttons = [
        m for m in sent if "quickReply" in m or "quick_replies" in m or "attachment" in m
    ]
    assert with_buttons == [sent[-1]]  # the buttons under the last part only
