"""Background work of the surveys app, run by the task queue's workers (``core/queue.py``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from fairpassage.core import queue, requestid
from fairpassage.surveys import services


@task()
def survey_import_run(*, import_id: int, attempt: int, request_id: str = "") -> str:
    """Process one attempt of an uploaded survey export; its row shows the step and outcome.
    An attempt that is no longer the import's (restarted since) does nothing."""
    with requestid.bound(request_id):
        return str(services.import_process(pk=import_id, attempt=attempt).status)


@queue.on_failure(survey_import_run)
def _survey_import_failed(kwargs: dict[str, Any], reason: str) -> None:
    services.import_lost(pk=int(kwargs["import_id"]), attempt=int(kwargs["attempt"]), reason=reason)
