"""The upkeep commands, and the admin form that keeps secrets write-only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from fairpassage.channels.admin import ChannelAccountForm
from fairpassage.channels.models import ChannelAccount, OutboundMessage, OutboundStatus
from fairpassage.cli import main
from fairpassage.core.models import AuditEvent, Organisation
from tests.channels.conftest import StandIns
from tests.factories import UserFactory, login_verified

pytestmark = pytest.mark.django_db


def test_purge_and_retry_commands(
    line_account: ChannelAccount, apis: StandIns, capsys: pytest.CaptureFixture[str]
) -> None:
    conversation = line_account.conversations.create(
        sender_hash="h" * 64, recipient="U5", last_activity=timezone.now()
    )
    OutboundMessage.objects.create(
        conversation=conversation,
        payload=json.dumps([{"text": "hello", "quick_replies": [], "url": None}]),
        status=OutboundStatus.RETRYING,
        attempts=1,
        next_try_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert main(["channels-retry"]) == 0
    assert json.loads(capsys.readouterr().out) == {"tried": 1}
    assert OutboundMessage.objects.get().status == OutboundStatus.SENT
    assert apis.line.calls[0].body == {
        "to": "U5",
        "messages": [{"type": "text", "text": "hello"}],
    }
    assert main(["channels-purge"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {
        "messages",
        "events",
        "outbound",
        "conversations",
    }
    assert AuditEvent.objects.filter(action="channel.purge").exists()


def test_admin_form_keeps_stored_secrets_and_never_shows_them(
    line_account: ChannelAccount, org: Organisation
) -> None:
    data = {
        "organisation": org.pk,
        "provider": "line",
        "display_name": "LINE Tokyo",
        "active": "on",
        "app_id": "",
        "env_prefix": "",
        "secret": "",
        "access_token": "new-token",
        "verify_token": "",
    }
    form = ChannelAccountForm(data=data, instance=line_account)
    assert form.is_valid(), form.errors
    form.save()
    line_account.refresh_from_db()
    assert line_account.secret == "line-channel-secret-0123456789abcdef"
    assert line_account.access_token == "new-token"
    assert "line-channel-secret" not in ChannelAccountForm(instance=line_account).as_p()


def test_admin_change_page_is_for_platform_staff(
    client: Client, line_account: ChannelAccount
) -> None:
    login_verified(client, UserFactory.create(is_staff=True, is_superuser=True))
    page = client.get(f"/en/admin/channels/channelaccount/{line_account.pk}/change/")
    assert page.status_code == 200
    assert "line-channel-secret" not in page.content.decode()
