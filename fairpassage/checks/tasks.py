"""Background work of the checks app, run by the task queue's workers (``core/queue.py``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from fairpassage.checks import batch_services
from fairpassage.core import queue, requestid


@task()
def batch_audit_run(*, audit_id: int, attempt: int, request_id: str = "") -> str:
    """Run one attempt of a batch audit; its row shows the progress and the outcome. An
    attempt that is no longer the audit's (restarted since) does nothing."""
    with requestid.bound(request_id):
        return str(batch_services.batch_audit_process(pk=audit_id, attempt=attempt).status)


@queue.on_failure(batch_audit_run)
def _batch_audit_failed(kwargs: dict[str, Any], reason: str) -> None:
    batch_services.batch_audit_lost(
        pk=int(kwargs["audit_id"]), attempt=int(kwargs["attempt"]), reason=reason
    )
