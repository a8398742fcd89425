"""Reads of the channel layer, scoped to the reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from fairpassage.cases.access import AnyUser, case_access
from fairpassage.cases.models import Case
from fairpassage.channels.messages import Incoming
from fairpassage.channels.models import Conversation, OutboundMessage, OutboundStatus
from fairpassage.core.errors import Forbidden
from fairpassage.core.models import Membership, Role
from fairpassage.core.selectors import is_platform_staff


@dataclass(frozen=True)
class CaseChannel:
    provider: str  # "line", "zalo", "messenger"
    provider_label: str
    account_name: str
    linked_at: dt.datetime | None


def case_channels(*, user: AnyUser, case: Case) -> list[CaseChannel]:
    """The chats a grievance came from (linked with the worker's consent), for whoever may
    open the case; nothing for anyone else."""
    if case_access(user=user, case=case) is None:
        return []
    conversations = (
        Conversation.objects.filter(case=case).select_related("account").order_by("linked_at")
    )
    return [
        CaseChannel(
            provider=c.account.provider,
            provider_label=c.account.get_provider_display(),
            account_name=c.account.display_name,
            linked_at=c.linked_at,
        )
        for c in conversations
    ]


def outbound_failures_visible(*, user: AnyUser) -> QuerySet[OutboundMessage]:
    """Messages that failed or wait for another try: every one for platform staff, those of
    their organisations' accounts for organisation administrators; anyone else is refused."""
    rows = (
        OutboundMessage.objects.filter(status__in=[OutboundStatus.FAILED, OutboundStatus.RETRYING])
        .select_related("conversation__account__organisation")
        .order_by("-created_at", "-id")
    )
    if not user.is_authenticated:
        raise Forbidden()
    if is_platform_staff(user):
        return rows
    administered = Membership.objects.filter(
        user_id=user.pk, role=Role.ORGANISATION_ADMIN
    ).values_list("organisation_id", flat=True)
    if not administered:
        raise Forbidden()
    return rows.filter(conversation__account__organisation_id__in=list(administered))


def linked_case_id(*, incoming: Incoming) -> int | None:
    """The case this sender's own conversation is linked to (with their consent), if any: the
    dialogue uses it to add the worker's answers to that case, and nothing else."""
    found = (
        Conversation.objects.filter(
            account_id=incoming.account_id, sender_hash=incoming.sender_hash, case__isnull=False
        )
        .values_list("case_id", flat=True)
        .first()
    )
    return int(found) if found is not None else None
