"""Batch audits from the browser: upload two tables, audit them in the background, download.

The audit itself is the pure engine's (:func:`fairpassage.law.batch.audit_tables`); this module
stores the uploads encrypted in the named storage ``batch`` (``batch_storage``), runs the engine
after the transaction commits, as a task of the queue (``checks/tasks.py``, run by a worker
process), and keeps the audit's progress on its row so that the page can show it.

A run can die with its worker (a restart, a kill). The queue's recovery sweep marks the task
failed and calls :func:`batch_audit_lost` (``core/queue.py``); the pages also judge a running
audit by itself (:func:`batch_audits_fail_dead`, called by the pages and by ``fairpassage
batch-purge``): its process is gone (same host), or neither the audit's progress nor its
worker's heartbeat has been seen for ``BATCH_AUDIT_STALE_SECONDS``. A failed audit can be
started again from its page (:func:`batch_audit_restart`). Each start takes a new ``attempt``
number; a run writes only while the row still carries its number, so a run thought dead that
wakes up cannot overwrite the new one. Results are written under ``<pk>/out-<attempt>/`` and
published by the row alone: the run that marks the audit done at its attempt (one update) makes
that attempt's tables the ones downloaded; nothing is renamed, so any storage backend will do.
The tables are deleted after ``BATCH_AUDIT_RETENTION_DAYS`` (:func:`batch_audits_purge`).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import socket
from collections.abc import Callable

import polars as pl
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fairpassage.checks import batch_storage, selectors
from fairpassage.checks.models import BatchAudit, BatchStatus
from fairpassage.core import queue
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.core.services import audit_record
from fairpassage.law.batch import OUTPUT_TABLES, audit_tables
from fairpassage.law.batch_io import BatchFileError

log = logging.getLogger(__name__)
#: Upload limit per table.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SUFFIXES = (".csv", ".parquet")
ACTIVE = (BatchStatus.QUEUED, BatchStatus.RUNNING)
Observer = Callable[[str, float], None]


def folder_of(audit: BatchAudit) -> str:
    """The audit's prefix in the ``batch`` storage."""
    return str(audit.pk)


def _out_folder(audit: BatchAudit, attempt: int | None = None) -> str:
    return f"{folder_of(audit)}/out-{attempt or audit.attempt}"


this_runner = queue.this_runner


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


def _require_role(*, actor: User, organisation: Organisation) -> None:
    if not selectors.member_with_role(
        user=actor, organisation=organisation, roles=selectors.BATCH_AUDIT_ROLES
    ):
        raise Forbidden(_("Only staff of this organisation can run its batch audits."))


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
    """Store the two tables encrypted and queue the audit (run after the transaction commits)."""
    _require_role(actor=actor, organisation=organisation)
    suffixes = {
        "engagements": _suffix(engagements, "engagements"),
        "payments": _suffix(payments, "payments"),
    }
    audit = BatchAudit.objects.create(
        organisation=organisation,
        created_by=actor,
        language=language,
        heartbeat_at=timezone.now(),
    )
    source = f"{folder_of(audit)}/in"
    for name, upload in (("engagements", engagements), ("payments", payments)):
        batch_storage.seal(
            upload.chunks(), f"{source}/{name}{suffixes[name]}{batch_storage.SEALED}"
        )
    audit_record(actor=actor, action="fee_check.batch", obj=audit, organisation=organisation)
    if background:
        _enqueue(audit)
    return audit


def _enqueue(audit: BatchAudit) -> None:
    from fairpassage.checks.tasks import batch_audit_run  # noqa: PLC0415 - tasks use services

    queue.enqueue_on_commit(batch_audit_run, audit_id=audit.pk, attempt=audit.attempt)


def _input(audit: BatchAudit, stem: str) -> tuple[str, str] | None:
    for suffix in SUFFIXES:
        name = f"{folder_of(audit)}/in/{stem}{suffix}{batch_storage.SEALED}"
        if batch_storage.exists(name):
            return name, suffix
    return None


def _read_inputs(audit: BatchAudit) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The two uploaded tables, decrypted in memory only; read as ``batch_io.read_table`` does."""
    frames: list[pl.DataFrame] = []
    for stem in ("engagements", "payments"):
        found = _input(audit, stem)
        if found is None:
            raise BatchFileError(f"{stem}: the uploaded table is no longer kept")
        path, suffix = found
        data = io.BytesIO(batch_storage.read(path))
        try:
            if suffix == ".parquet":
                frames.append(pl.read_parquet(data))
            else:
                frames.append(pl.read_csv(data, infer_schema=False, encoding="utf8"))
        except (OSError, pl.exceptions.PolarsError) as error:
            raise BatchFileError(f"{stem}{suffix}: {error}") from error
    return frames[0], frames[1]


def _write_results(audit: BatchAudit, attempt: int, result: object, observer: Observer) -> None:
    """The four tables as CSV, sealed, under ``out-<attempt>/``; they are not offered until the
    row says the audit is done at this attempt (``result_file``), so a run that dies while
    writing leaves nothing that is ever downloaded."""
    out = _out_folder(audit, attempt)
    batch_storage.delete_all(out)
    for i, name in enumerate(OUTPUT_TABLES):
        observer(f"write {name}", 0.9 + i / 50)
        text = getattr(result, name).write_csv()
        batch_storage.seal([text.encode("utf-8")], f"{out}/{name}.csv{batch_storage.SEALED}")


def _drop_other_attempts(audit: BatchAudit, attempt: int) -> None:
    """Delete what runs that died before the published ``attempt`` left."""
    for name in batch_storage.names(folder_of(audit)):
        part = name.split("/")[1]
        if part.startswith("out-") and part != f"out-{attempt}":
            batch_storage.store().delete(name)


def batch_audit_process(
    *, pk: int, attempt: int | None = None, observer: Observer | None = None
) -> BatchAudit:
    """Run one queued audit (at ``attempt``, by default its current one); its row shows the
    stage, then the figures or the problem. An attempt that is not the audit's does nothing.

    ``observer(stage, fraction)`` is told the progress too (the command line prints it).
    """
    audit = BatchAudit.objects.get(pk=pk)
    attempt = audit.attempt if attempt is None else attempt
    now = timezone.now()
    claimed = BatchAudit.objects.filter(pk=pk, attempt=attempt, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING, runner=this_runner(), started_at=now, heartbeat_at=now
    )
    if not claimed:
        return BatchAudit.objects.get(pk=pk)
    mine = BatchAudit.objects.filter(pk=pk, attempt=attempt, status=BatchStatus.RUNNING)
    shown = {"fraction": -1.0}

    def progress(stage: str, fraction: float) -> None:
        if fraction - shown["fraction"] >= 0.05 or fraction >= 1.0:
            shown["fraction"] = fraction
            mine.update(stage=stage[:40], fraction=fraction, heartbeat_at=timezone.now())
        if observer is not None:
            observer(stage, fraction)

    stats: dict[str, object] = {}
    problem = ""
    with translation.override(audit.language):
        try:
            progress("read", 0.0)
            engagements, payments = _read_inputs(audit)
            result = audit_tables(engagements, payments, lang=audit.language, progress=progress)
            _write_results(audit, attempt, result, progress)
            progress("done", 1.0)
        except (BatchFileError, ValueError) as error:
            status, problem = BatchStatus.FAILED, str(error)
        except Exception:  # a failure must not leave the audit "running"
            log.exception("batch audit %s failed", pk)
            status, problem = BatchStatus.FAILED, _("The audit failed unexpectedly.")
        else:
            status, stats = BatchStatus.DONE, result.stats
    fields = {"status": status, "problem": problem, "stats": stats, "heartbeat_at": timezone.now()}
    if status == BatchStatus.DONE:
        fields["fraction"] = 1.0
    with transaction.atomic():  # publication: the row names the attempt whose tables are shown
        published = mine.update(**fields)
    if published and status == BatchStatus.DONE:
        _drop_other_attempts(audit, attempt)
    return BatchAudit.objects.get(pk=pk)


def _process_ended() -> str:
    return _(
        "The audit stopped before it finished: the process running it ended (for "
        "example, the server restarted). Start it again."
    )


def _death(audit: BatchAudit, now: dt.datetime) -> str | None:
    """Why an active audit is dead, in the audit's language, or None while it may live. A
    queued audit waits for a worker (``/api/health`` shows the queue's oldest waiting task) as
    long as its task is in the queue (it is not after a restore, for example)."""
    if audit.status == BatchStatus.QUEUED:
        from fairpassage.checks.tasks import batch_audit_run  # noqa: PLC0415

        lost = queue.task_lost(
            task=batch_audit_run,
            since=audit.heartbeat_at or audit.created_at,
            audit_id=audit.pk,
            attempt=audit.attempt,
        )
        with translation.override(audit.language):
            return _process_ended() if lost else None
    if audit.status != BatchStatus.RUNNING:
        return None
    host, _sep, pid = audit.runner.rpartition(":")
    stale = dt.timedelta(seconds=settings.BATCH_AUDIT_STALE_SECONDS)
    beats = [b for b in (audit.heartbeat_at, queue.runner_last_beat(audit.runner)) if b]
    with translation.override(audit.language):
        if host == socket.gethostname() and pid.isdigit() and not queue.process_alive(int(pid)):
            return _process_ended()
        if not beats or max(beats) < now - stale:
            return _(
                "The audit stopped before it finished: it gave no sign of life for more than "
                "%(seconds)d seconds. Start it again."
            ) % {"seconds": settings.BATCH_AUDIT_STALE_SECONDS}
    return None


def batch_audit_lost(*, pk: int, attempt: int, reason: str) -> bool:
    """The task of ``attempt`` ended without finishing the audit (its worker died, or it
    raised): mark the audit failed with the reason if it is still active at that attempt."""
    audit = BatchAudit.objects.select_related("organisation").filter(pk=pk).first()
    if audit is None or audit.attempt != attempt or audit.status not in ACTIVE:
        return False
    with translation.override(audit.language):
        problem = (
            _process_ended()
            if reason == queue.WORKER_LOST_REASON
            else _("The audit failed unexpectedly.")
        )
    with transaction.atomic():
        changed = BatchAudit.objects.filter(pk=pk, attempt=attempt, status__in=ACTIVE).update(
            status=BatchStatus.FAILED, problem=problem
        )
        if changed:
            audit_record(
                actor=None,
                action="fee_check.batch_died",
                obj=audit,
                organisation=audit.organisation,
                data={"attempt": attempt, "was": audit.status, "reason": reason},
            )
    return bool(changed)


def batch_audits_fail_dead(*, audits: QuerySet[BatchAudit] | None = None) -> int:
    """Mark every running audit whose run died as failed, with the reason (the queue's
    recovery sweep first)."""
    queue.tasks_recover()
    now = timezone.now()
    found = (audits if audits is not None else BatchAudit.objects.all()).filter(status__in=ACTIVE)
    marked = 0
    for audit in found.select_related("organisation"):
        reason = _death(audit, now)
        if reason is None:
            continue
        with transaction.atomic():
            changed = BatchAudit.objects.filter(
                pk=audit.pk, attempt=audit.attempt, status=audit.status
            ).update(status=BatchStatus.FAILED, problem=reason)
            if changed:
                audit_record(
                    actor=None,
                    action="fee_check.batch_died",
                    obj=audit,
                    organisation=audit.organisation,
                    data={"attempt": audit.attempt, "was": audit.status},
                )
                marked += 1
    return marked


def inputs_kept(audit: BatchAudit) -> bool:
    return audit.files_deleted_at is None and all(
        _input(audit, stem) is not None for stem in ("engagements", "payments")
    )


@transaction.atomic
def batch_audit_restart(*, actor: User, audit: BatchAudit, background: bool = True) -> BatchAudit:
    """Start a failed audit again from its stored tables, as a new attempt."""
    audit = BatchAudit.objects.select_for_update().get(pk=audit.pk)
    _require_role(actor=actor, organisation=audit.organisation)
    if audit.status != BatchStatus.FAILED:
        raise Conflict(_("Only an audit that failed can be started again."), field="status")
    if not inputs_kept(audit):
        raise Conflict(
            _("The uploaded tables are no longer kept: start a new audit with them."),
            field="status",
        )
    audit.attempt += 1
    audit.status, audit.stage, audit.fraction = BatchStatus.QUEUED, "", 0.0
    audit.problem, audit.stats = "", {}
    audit.runner, audit.heartbeat_at, audit.started_at = "", timezone.now(), None
    audit.save()
    audit_record(
        actor=actor,
        action="fee_check.batch_restart",
        obj=audit,
        organisation=audit.organisation,
        data={"attempt": audit.attempt},
    )
    if background:
        _enqueue(audit)
    return audit


def result_file(audit: BatchAudit, table: str) -> str | None:
    """The stored name of a result table of a finished audit: only the attempt the row published
    (``attempt`` while done), or None (read it with ``batch_storage``)."""
    if audit.status != BatchStatus.DONE or table not in OUTPUT_TABLES:
        return None
    name = f"{_out_folder(audit)}/{table}.csv{batch_storage.SEALED}"
    return name if batch_storage.exists(name) else None


def _seal_leftovers(audit: BatchAudit) -> int:
    """Seal clear tables an earlier version left in the audit's folder (its ``out/`` becomes the
    published attempt's); the number sealed."""
    prefix = folder_of(audit)
    published = _out_folder(audit)
    has_published = bool(batch_storage.names(published))
    sealed = 0
    for name in batch_storage.names(prefix):
        base = name.rsplit("/", 1)[-1]
        if base.startswith(".") or name.endswith(batch_storage.SEALED):
            continue
        target = name + batch_storage.SEALED
        if name.startswith(f"{prefix}/out/"):
            if has_published:
                batch_storage.store().delete(name)
                continue
            target = f"{published}/{base}{batch_storage.SEALED}"
        batch_storage.seal_in_place(name, target)
        sealed += 1
    return sealed


def batch_audits_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Housekeeping of the batch folder, run by ``fairpassage batch-purge`` (docs/batch.md).

    Marks dead runs failed; deletes the tables of audits created more than
    ``BATCH_AUDIT_RETENTION_DAYS`` ago (the row and its figures stay); seals clear tables left by
    versions before encryption; re-seals the kept tables with the newest key, so that an old key
    can be dropped after ``fairpassage rotate-keys`` and this command.
    """
    now = now or timezone.now()
    counts = {"failed": batch_audits_fail_dead(), "deleted": 0, "sealed": 0, "resealed": 0}
    cutoff = now - dt.timedelta(days=settings.BATCH_AUDIT_RETENTION_DAYS)
    expired = BatchAudit.objects.filter(created_at__lt=cutoff, files_deleted_at__isnull=True)
    for audit in expired.exclude(status__in=ACTIVE).select_related("organisation"):
        batch_storage.delete_all(folder_of(audit))
        with transaction.atomic():
            BatchAudit.objects.filter(pk=audit.pk).update(files_deleted_at=now)
            audit_record(
                actor=None,
                action="fee_check.batch_purge",
                obj=audit,
                organisation=audit.organisation,
                data={"retention_days": settings.BATCH_AUDIT_RETENTION_DAYS},
            )
        counts["deleted"] += 1
    kept = {str(pk) for pk in BatchAudit.objects.values_list("pk", flat=True)}
    try:
        folders = batch_storage.store().listdir("")[0]
    except FileNotFoundError:  # nothing stored yet
        folders = []
    for entry in sorted(folders):
        if entry.isdigit() and entry not in kept:
            batch_storage.delete_all(entry)  # the tables of a row that is gone
    for audit in BatchAudit.objects.filter(files_deleted_at__isnull=True).exclude(
        status__in=ACTIVE
    ):
        counts["sealed"] += _seal_leftovers(audit)
        for name in batch_storage.names(folder_of(audit)):
            if name.endswith(batch_storage.SEALED) and not name.rsplit("/", 1)[-1].startswith("."):
                batch_storage.reseal(name)
                counts["resealed"] += 1
    return counts
