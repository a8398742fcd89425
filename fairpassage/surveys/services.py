"""Writes on surveys: create a survey, save a column mapping, start and process an import,
compute the indicator. From the page, processing runs after the upload's transaction commits, as
a task of the queue (``surveys/tasks.py``, run by a worker process); the command line runs the
same steps one after the other (``import_run``) or only reads and checks the files
(``import_check``, a dry run that stores nothing).

An import whose worker dies is marked failed with the reason (``import_lost``, called by the
queue's recovery sweep) and keeps its upload, so that it can be started again
(``import_restart``). Each start takes a new ``attempt``; a run writes only while the row still
carries its number. The tables and the result are stored in one transaction at the end, so a run
that dies leaves nothing half-imported.

``actor=None`` is the operator on the command line: whoever runs ``fairpassage`` holds the
installation's database and secrets, so no membership is checked; the audit trail records the
actor as "system" and ``via`` as "command line".
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.core import queue
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.core.services import audit_record
from fairpassage.stats.canonical import Canonical, Problem, build, indicator_table
from fairpassage.stats.descriptive import describe
from fairpassage.stats.exports import ColumnMapping as Mapping_
from fairpassage.stats.exports import read_export, read_mapped, read_single_table
from fairpassage.stats.prepare import Currency, prepare
from fairpassage.stats.sdg import histogram, report
from fairpassage.stats.tables import TableError
from fairpassage.surveys.models import (
    ColumnMapping,
    ImportFormat,
    ImportStatus,
    Survey,
    SurveyImport,
    SurveyResult,
)
from fairpassage.surveys.selectors import may_manage

log = logging.getLogger(__name__)
BREAKDOWN_COLUMNS = ("sex", "programme", "occupation", "departure_year", "province")
DEFAULT_BREAKDOWNS = [["sex"], ["programme"], ["occupation"], ["departure_year"]]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PAGE = "page"
COMMAND_LINE = "command line"
ACTIVE = (ImportStatus.PENDING, ImportStatus.PROCESSING)
#: Why an import stopped when its worker died (stored in English, shown translated).
WORKER_STOPPED = "the worker stopped"
Progress = Callable[[str], None]  # told each step of processing: "reading", "computing"


def _require(actor: User | None, organisation: Organisation) -> None:
    if actor is None:  # the operator on the command line (see the module's note)
        return
    if not may_manage(user=actor, organisation=organisation):
        raise Forbidden(_("Only the organisation's analysts and administrators run surveys."))


def parse_rates(text: str) -> dict[str, float]:
    """``VND=0.0061, USD=150`` -> {"VND": 0.0061, "USD": 150.0}."""
    rates: dict[str, float] = {}
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        if not part.strip():
            continue
        code, _sep, value = part.partition("=")
        try:
            rate = float(value)
        except ValueError:
            rate = 0.0
        if len(code.strip()) != 3 or rate <= 0:
            raise InvalidInput(
                _("Write each rate as CODE=NUMBER, for example VND=0.0061."), field="rates"
            )
        rates[code.strip().upper()] = rate
    return rates


def parse_breakdowns(text: str) -> list[list[str]]:
    out = []
    for part in text.split(","):
        cols = [col.strip() for col in part.split("+") if col.strip()]
        unknown = [col for col in cols if col not in BREAKDOWN_COLUMNS]
        if unknown:
            raise InvalidInput(
                _("Breakdowns may use: %(allowed)s."),
                field="breakdowns",
                params={"allowed": ", ".join(BREAKDOWN_COLUMNS)},
            )
        if cols:
            out.append(cols)
    return out


@transaction.atomic
def survey_create(
    *,
    actor: User | None,
    organisation: Organisation,
    title: str,
    currency: str = "JPY",
    rates: Mapping[str, float] | None = None,
    rates_source: str = "",
    breakdowns: list[list[str]] | None = None,
    min_cell: int = 5,
    via: str = PAGE,
    is_demo: bool = False,
) -> Survey:
    """A survey; ``is_demo`` marks generated answers (``surveys.demo``) on every page."""
    _require(actor, organisation)
    if not title.strip() or len(title.strip()) > 200:
        raise InvalidInput(_("Give the survey a title of at most 200 characters."), field="title")
    code = currency.strip()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise InvalidInput(
            _("Write the currency as its three-letter code, for example JPY."), field="currency"
        )
    if min_cell < 1:
        raise InvalidInput(_("The smallest group shown must be at least 1."), field="min_cell")
    survey = Survey.objects.create(
        organisation=organisation,
        title=title.strip(),
        currency=currency.strip().upper(),
        rates=dict(rates or {}),
        rates_source=rates_source.strip(),
        breakdowns=breakdowns if breakdowns is not None else DEFAULT_BREAKDOWNS,
        min_cell=min_cell,
        is_demo=is_demo,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="survey.create",
        obj=survey,
        organisation=organisation,
        data={"via": via, **({"demo": True} if is_demo else {})},
    )
    return survey


@transaction.atomic
def mapping_save(
    *, actor: User, organisation: Organisation, name: str, mapping: Mapping[str, Any]
) -> ColumnMapping:
    _require(actor, organisation)
    try:
        checked = Mapping_.from_dict(mapping).as_dict()
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidInput(
            _("The mapping needs id_column, columns, values and costs."), field="mapping"
        ) from error
    saved, _created = ColumnMapping.objects.update_or_create(
        organisation=organisation,
        name=name.strip(),
        defaults={"mapping": checked, "created_by": actor},
    )
    audit_record(actor=actor, action="survey.mapping", obj=saved, organisation=organisation)
    return saved


def _pack(files: Mapping[str, bytes]) -> str:
    return json.dumps({name: base64.b64encode(data).decode() for name, data in files.items()})


def _unpack(text: str) -> dict[str, bytes]:
    return {name: base64.b64decode(data) for name, data in json.loads(text).items()}


def upload_check(
    *,
    actor: User | None,
    organisation: Organisation,
    files: Mapping[str, bytes],
    fmt: str = ImportFormat.AUTO,
    mapping: ColumnMapping | None = None,
) -> None:
    """What an upload must be before it is stored: raise ``InvalidInput`` naming the field."""
    _require(actor, organisation)
    if not files:
        raise InvalidInput(_("Choose the exported file or files."), field="exports")
    if sum(len(data) for data in files.values()) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The files are larger than 20 MB."), field="exports")
    if fmt not in ImportFormat.values:
        raise InvalidInput(_("Choose one of the listed formats."), field="format")
    if fmt == ImportFormat.MAPPED and (
        mapping is None or mapping.organisation_id != organisation.pk
    ):
        raise InvalidInput(_("Choose a saved column mapping."), field="mapping")
    if fmt == ImportFormat.MAPPED and len(files) != 1:
        raise InvalidInput(_("A mapped questionnaire is one CSV or XLSX file."), field="exports")


@transaction.atomic
def import_start(
    *,
    actor: User | None,
    survey: Survey,
    files: Mapping[str, bytes],
    fmt: str = ImportFormat.AUTO,
    mapping: ColumnMapping | None = None,
    background: bool = True,
    via: str = PAGE,
) -> SurveyImport:
    """Store the upload (encrypted) and process it once the transaction commits."""
    upload_check(
        actor=actor, organisation=survey.organisation, files=files, fmt=fmt, mapping=mapping
    )
    record = SurveyImport.objects.create(
        survey=survey,
        format=fmt,
        mapping=mapping if fmt == ImportFormat.MAPPED else None,
        file_names=sorted(files),
        upload=_pack(files),
        uploaded_by=actor,
        step="uploaded",
    )
    audit_record(
        actor=actor,
        action="survey.import",
        obj=record,
        organisation=survey.organisation,
        data={"files": record.file_names, "format": fmt, "via": via},
    )
    if background:
        _enqueue(record)
    return record


def _enqueue(record: SurveyImport) -> None:
    from fairpassage.surveys.tasks import survey_import_run  # noqa: PLC0415 - tasks use services

    queue.enqueue_on_commit(survey_import_run, import_id=record.pk, attempt=record.attempt)


def import_lost(*, pk: int, attempt: int, reason: str) -> bool:
    """The task of ``attempt`` ended without finishing the import (its worker died, or it
    raised): mark it failed with the reason if it is still waiting or processing at that
    attempt. The upload is kept, so the import can be started again."""
    record = SurveyImport.objects.select_related("survey__organisation").filter(pk=pk).first()
    if record is None or record.attempt != attempt or record.status not in ACTIVE:
        return False
    problem = (
        WORKER_STOPPED if reason == queue.WORKER_LOST_REASON else "the import failed unexpectedly"
    )
    with transaction.atomic():
        changed = SurveyImport.objects.filter(pk=pk, attempt=attempt, status__in=ACTIVE).update(
            status=ImportStatus.FAILED, step="", problem=problem, finished_at=timezone.now()
        )
        if changed:
            audit_record(
                actor=None,
                action="survey.import.lost",
                obj=record,
                organisation=record.survey.organisation,
                data={"attempt": attempt, "reason": reason},
            )
    return bool(changed)


def import_fail_if_lost(*, record: SurveyImport) -> SurveyImport:
    """An import still waiting or processing whose task is no longer in the queue (restored
    from a backup, for example) is marked failed, so that it can be started again."""
    from fairpassage.surveys.tasks import survey_import_run  # noqa: PLC0415

    if record.status in ACTIVE and queue.task_lost(
        task=survey_import_run, since=record.created_at, import_id=record.pk, attempt=record.attempt
    ):
        import_lost(pk=record.pk, attempt=record.attempt, reason=queue.WORKER_LOST_REASON)
        record.refresh_from_db()
    return record


def import_restartable(record: SurveyImport) -> bool:
    return record.status == ImportStatus.FAILED and bool(record.upload)


@transaction.atomic
def import_restart(*, actor: User, record: SurveyImport, background: bool = True) -> SurveyImport:
    """Start a failed import again from its kept upload, as a new attempt."""
    record = SurveyImport.objects.select_for_update().select_related("survey").get(pk=record.pk)
    _require(actor, record.survey.organisation)
    if not import_restartable(record):
        raise Conflict(
            _("Only an import that stopped before it finished can be started again."),
            field="status",
        )
    record.attempt += 1
    record.status, record.step, record.problem = ImportStatus.PENDING, "uploaded", ""
    record.finished_at = None
    record.save()
    audit_record(
        actor=actor,
        action="survey.import.restart",
        obj=record,
        organisation=record.survey.organisation,
        data={"attempt": record.attempt},
    )
    if background:
        _enqueue(record)
    return record


def import_run(
    *,
    actor: User | None,
    survey: Survey,
    files: Mapping[str, bytes],
    fmt: str = ImportFormat.AUTO,
    mapping: ColumnMapping | None = None,
    via: str = COMMAND_LINE,
    progress: Progress | None = None,
) -> SurveyImport:
    """Store and process an upload now, in this thread: the page's two steps, one after the
    other. All-or-nothing like them: a rejected import keeps its report and no data."""
    record = import_start(
        actor=actor,
        survey=survey,
        files=files,
        fmt=fmt,
        mapping=mapping,
        background=False,
        via=via,
    )
    return import_process(pk=record.pk, progress=progress)


def import_check(
    *,
    actor: User | None,
    organisation: Organisation,
    files: Mapping[str, bytes],
    fmt: str = ImportFormat.AUTO,
    mapping: ColumnMapping | None = None,
) -> Canonical:
    """Read and check an upload exactly as an import would, and store nothing (a dry run)."""
    upload_check(actor=actor, organisation=organisation, files=files, fmt=fmt, mapping=mapping)
    return read_upload(files=files, fmt=fmt, mapping=mapping)


def _unreadable(source: str, detail: str) -> Canonical:
    empty = build([], [])
    problem = Problem(source, 1, "", "unreadable", {"detail": detail})
    return Canonical(empty.respondents, empty.items, [problem], [])


def read_upload(
    *, files: Mapping[str, bytes], fmt: str, mapping: ColumnMapping | None = None
) -> Canonical:
    """The canonical tables of an upload, or the problems; a file that cannot be read at all is
    one problem naming it. Other exceptions are failures of ours and propagate."""
    try:
        if fmt == ImportFormat.MAPPED:
            assert mapping is not None
            name, data = next(iter(files.items()))
            frame = read_single_table(data, name)
            return read_mapped(frame, Mapping_.from_dict(mapping.mapping), name)
        return read_export(files, None if fmt == ImportFormat.AUTO else str(fmt))
    except TableError as error:
        return _unreadable(str(error.params.get("file", "")), str(error.params.get("detail", "")))
    except UnicodeDecodeError as error:  # a CSV saved in another encoding than UTF-8
        source = next(
            (name for name, data in files.items() if not _is_utf8(data)), next(iter(files), "")
        )
        return _unreadable(source, f"not UTF-8 text ({error.reason} at byte {error.start})")


def _is_utf8(data: bytes) -> bool:
    if data[:2] == b"PK":  # an XLSX workbook (a zip archive)
        return True
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _step(record: SurveyImport, step: str) -> None:
    record.step = step
    SurveyImport.objects.filter(
        pk=record.pk, attempt=record.attempt, status=ImportStatus.PROCESSING
    ).update(step=step)


def import_process(
    *, pk: int, attempt: int | None = None, progress: Progress | None = None
) -> SurveyImport:
    """Read, check and store one waiting import (at ``attempt``, by default its current one),
    then compute its result. All-or-nothing: on any problem the import is rejected with every
    problem listed and no data kept. An import that is not waiting at that attempt is left as
    it is."""
    tell = progress or (lambda step: None)
    record = SurveyImport.objects.select_related("survey", "mapping").get(pk=pk)
    attempt = record.attempt if attempt is None else attempt
    claimed = SurveyImport.objects.filter(
        pk=pk, attempt=attempt, status=ImportStatus.PENDING
    ).update(status=ImportStatus.PROCESSING, step="reading")
    if not claimed:
        return record
    record.refresh_from_db()
    tell("reading")
    files = _unpack(record.upload)
    try:
        canonical = read_upload(files=files, fmt=record.format, mapping=record.mapping)
    except Exception:  # an unexpected failure must not leave the import "processing"
        log.exception("survey import %s failed", pk)
        return _finish(record, ImportStatus.FAILED, problems=[])
    if not canonical.ok:
        return _finish(
            record,
            ImportStatus.REJECTED,
            problems=[p.as_dict() for p in canonical.problems],
            skipped=[p.as_dict() for p in canonical.skipped],
        )
    _step(record, "computing")
    tell("computing")
    with transaction.atomic():
        if not _still_mine(record):
            return record
        record.data = _store_tables(canonical)
        record.respondents = canonical.respondents.height
        record.items = canonical.items.height
        _finish(
            record,
            ImportStatus.DONE,
            problems=[],
            skipped=[p.as_dict() for p in canonical.skipped],
        )
        result_compute(survey_import=record, canonical=canonical)
    return record


def _still_mine(record: SurveyImport) -> bool:
    """Lock the row; True while it is still this attempt's and processing."""
    return (
        SurveyImport.objects.select_for_update()
        .filter(pk=record.pk, attempt=record.attempt, status=ImportStatus.PROCESSING)
        .exists()
    )


def _finish(
    record: SurveyImport,
    status: str,
    *,
    problems: list[dict[str, Any]],
    skipped: list[dict[str, Any]] | None = None,
) -> SurveyImport:
    with transaction.atomic():
        if not _still_mine(record):  # restarted or marked failed meanwhile: leave the row
            return record
        return _finish_mine(record, status, problems=problems, skipped=skipped)


def _finish_mine(
    record: SurveyImport,
    status: str,
    *,
    problems: list[dict[str, Any]],
    skipped: list[dict[str, Any]] | None,
) -> SurveyImport:
    record.status = status
    record.step = ""
    record.problems = problems
    record.skipped = skipped or []
    record.upload = ""  # the raw export is not kept once read
    record.finished_at = timezone.now()
    record.save()
    audit_record(
        actor=None,
        action=f"survey.import.{status}",
        obj=record,
        organisation=record.survey.organisation,
        data={"problems": len(problems)},
    )
    return record


def _store_tables(canonical: Canonical) -> str:
    packed = {}
    for name, frame in (("respondents", canonical.respondents), ("items", canonical.items)):
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        packed[name] = base64.b64encode(buffer.getvalue()).decode()
    return json.dumps(packed)


def load_tables(record: SurveyImport) -> tuple[pl.DataFrame, pl.DataFrame]:
    packed = json.loads(record.data)
    return tuple(  # type: ignore[return-value]
        pl.read_parquet(io.BytesIO(base64.b64decode(packed[name])))
        for name in ("respondents", "items")
    )


def result_compute(
    *, survey_import: SurveyImport, canonical: Canonical | None = None, lang: str = "en"
) -> SurveyResult:
    """The indicator, its distribution and the descriptive table: aggregates only."""
    survey = survey_import.survey
    if canonical is not None:
        people, items = canonical.respondents, canonical.items
    else:
        people, items = load_tables(survey_import)
    table = indicator_table(people, items, target=survey.currency, rates=survey.rates)
    by = [list(cols) for cols in survey.breakdowns]
    currency = Currency(
        target=survey.currency,
        cost_currency="cost_currency",
        earnings_currency="earnings_currency",
        rates=survey.rates,
    )
    columns = sorted({col for cols in by for col in cols})
    weighted = table["weight"].is_not_null().any()
    prepared = prepare(
        table,
        cost="cost_total",
        earnings="first_month_earnings",
        weight="weight" if weighted else None,
        by=columns,
        currency=currency,
    )
    indicator = report(prepared, by=by, min_cell=survey.min_cell, lang=lang, target=survey.currency)
    descriptive = describe(
        table,
        pre_departure_cost="cost_before_departure",
        borrowed="borrowed",
        debt="current_debt_converted",
        weight="weight" if weighted else None,
        by=by,
        min_cell=survey.min_cell,
    )
    descriptive["debt_without_rate"] = int(table["debt_without_rate"].sum())
    result = SurveyResult.objects.create(
        survey=survey,
        source=survey_import,
        parameters={
            "currency": survey.currency,
            "rates": survey.rates,
            "rates_source": survey.rates_source,
            "breakdowns": by,
            "min_cell": survey.min_cell,
            "cost": "sum of the cost items paid by the worker, converted to the survey currency",
            "earnings": "first month's earnings in Japan, converted to the survey currency",
            "weighted": bool(weighted),
        },
        report=indicator,
        descriptive=descriptive,
        distribution=histogram(prepared.rows, min_cell=survey.min_cell),
    )
    audit_record(actor=None, action="survey.result", obj=result, organisation=survey.organisation)
    return result
