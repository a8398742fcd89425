"""Background work of the chat channels, run by the task queue's worker processes.

The webhook answers the provider at once and enqueues :func:`process_event`; answers and staff
replies go out through :func:`send_outbound`, which a failure re-enqueues with back-off where
the backend can defer a task (``django_tasks_db``); elsewhere :func:`retry_due` (and
``fairpassage channels-retry``) picks them up. :func:`purge` applies the retention period.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import default_task_backend, task


@task()
def process_event(event_id: int) -> str:
    from fairpassage.channels.services import event_process  # noqa: PLC0415 - services enqueue

    return event_process(event_id=event_id)


@task()
def send_outbound(outbound_id: int) -> str:
    from fairpassage.channels.services import outbound_send  # noqa: PLC0415

    return outbound_send(outbound_id=outbound_id)


@task()
def push_staff_message(message_id: int) -> int:
    from fairpassage.channels.services import staff_message_push  # noqa: PLC0415

    return staff_message_push(message_id=message_id)


@task()
def retry_due() -> int:
    from fairpassage.channels.services import outbound_retry_due  # noqa: PLC0415

    return outbound_retry_due()


@task()
def purge() -> dict[str, int]:
    from fairpassage.channels.services import channel_purge  # noqa: PLC0415

    return channel_purge()


def enqueue_process(event_id: int) -> None:
    process_event.enqueue(event_id)


def enqueue_send(outbound_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Send now, or after ``run_after`` where the backend can wait; a backend that cannot
    (the inline one of tests) leaves the retry to :func:`retry_due`."""
    if run_after is None:
        send_outbound.enqueue(outbound_id)
    elif default_task_backend.supports_defer:
        send_outbound.using(run_after=run_after).enqueue(outbound_id)


def enqueue_staff_push(message_id: int) -> None:
    push_staff_message.enqueue(message_id)
