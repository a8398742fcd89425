"""What other apps call when something concerns a chat (kept small: no import of services at
module level, so ``cases.services`` can import it without a cycle)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from fairpassage.cases.models import Message


def staff_message_posted(*, message: Message) -> None:
    """After the staff message commits, push it to the chat linked to its case, if any."""
    from fairpassage.channels import tasks  # noqa: PLC0415 - tasks import services lazily
    from fairpassage.channels.models import Conversation  # noqa: PLC0415

    if Conversation.objects.filter(case_id=message.case_id).exists():
        transaction.on_commit(lambda: tasks.enqueue_staff_push(message.pk))
