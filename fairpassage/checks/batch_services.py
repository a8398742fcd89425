"""Batch audits from the browser: upload two tables, audit them in the background, download.

The audit itself is the pure engine's (:func:`fairpassage.law.batch.run_batch`); this module
stores the uploads in a private folder, runs the engine after the transaction commits, and keeps
the audit's progress on its row so that the page can show it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils.translation import gettext as _

from fairpassage.checks.models import BatchAudit, BatchStatus
from fairpassage.core import selectors as core_selectors
from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import Organisation, Role, User
from fairpassage.core.services import audit_record
from fairpassage.law.batch import OUTPUT_TABLES, run_batch
from fairpassage.law.batch_io import BatchFileError

log = logging.getLogger(__name__)
BATCH_ROLES: set[str] = {Role.ORGANISATION_ADMIN, Role.ANALYST, Role.CASE_WORKER}
#: Upload limit per table.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SUFFIXES = (".csv", ".parquet")


def folder_of(audit: BatchAudit) -> Path:
    return Path(settings.BATCH_AUDIT_DIR) / str(audit.pk)


def _suffix(upload: UploadedFile[bytes], field: str) -> str:
    name = (upload.name or "").lower()
    suffix = next((s for s in SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        raise InvalidInput(_("Send a .csv or .parquet file."), field=field)
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The file is larger than 200 MB."), field=field)
    head = upload.read(4)
    upload.seek(0)
    if suffix == ".parquet" and head != b"PAR1":
        raise InvalidInput(_("This file is not a Parquet file."), field=field)
    if suffix == ".csv" and b"\x00" in head:
        raise InvalidInput(_("This file is not a CSV text file."), field=field)
    return suffix


@transaction.atomic
def batch_audit_start(
    *,
    actor: User,
    organisation: Organisation,
    engagements: UploadedFile[bytes],
    payments: UploadedFile[bytes],
    language: str,
    background: bool = True,
) -> BatchAudit:
    """Store the two tables and queue the audit (run after the transaction commits)."""
    if not core_selectors.user_has_role(user=actor, organisation=organisation, roles=BATCH_ROLES):
        raise Forbidden(_("Only staff of this organisation can run its batch audits."))
    suffixes = {
        "engagements": _suffix(engagements, "engagements"),
        "payments": _suffix(payments, "payments"),
    }
    audit = BatchAudit.objects.create(
        organisation=organisation, created_by=actor, language=language
    )
    source = folder_of(audit) / "in"
    source.mkdir(parents=True, exist_ok=True)
    for name, upload in (("engagements", engagements), ("payments", payments)):
        with (source / f"{name}{suffixes[name]}").open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    audit_record(actor=actor, action="fee_check.batch", obj=audit, organisation=organisation)
    if background:
        transaction.on_commit(lambda: _in_background(audit.pk))
    return audit


def _in_background(pk: int) -> None:
    def work() -> None:
        try:
            batch_audit_process(pk=pk)
        finally:
            connection.close()

    threading.Thread(target=work, name=f"batch-audit-{pk}", daemon=True).start()


def batch_audit_process(*, pk: int) -> BatchAudit:
    """Run one queued audit; its row shows the stage, then the figures or the problem."""
    audit = BatchAudit.objects.get(pk=pk)
    if audit.status != BatchStatus.QUEUED:
        return audit
    audit.status = BatchStatus.RUNNING
    audit.save(update_fields=["status"])
    folder = folder_of(audit)
    shown = {"fraction": -1.0}

    def progress(stage: str, fraction: float) -> None:
        if fraction - shown["fraction"] >= 0.05 or fraction >= 1.0:
            shown["fraction"] = fraction
            BatchAudit.objects.filter(pk=pk).update(stage=stage[:40], fraction=fraction)

    try:
        result = run_batch(
            folder / "in", folder / "out", fmt="csv", lang=audit.language, progress=progress
        )
    except (BatchFileError, ValueError) as error:
        audit.status, audit.problem = BatchStatus.FAILED, str(error)
    except Exception:  # a failure must not leave the audit "running"
        log.exception("batch audit %s failed", pk)
        audit.status, audit.problem = BatchStatus.FAILED, _("The audit failed unexpectedly.")
    else:
        audit.status, audit.fraction, audit.stats = BatchStatus.DONE, 1.0, result.stats
    audit.save(update_fields=["status", "problem", "stats", "fraction"])
    return audit


def result_file(audit: BatchAudit, table: str) -> Path | None:
    """A result table of a finished audit, or None."""
    if audit.status != BatchStatus.DONE or table not in OUTPUT_TABLES:
        return None
    path = folder_of(audit) / "out" / f"{table}.csv"
    return path if path.is_file() else None
