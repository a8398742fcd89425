"""Writes on surveys: create a survey, save a column mapping, start and process an import,
compute the indicator. Processing runs after the upload's transaction commits, in the background.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import threading
from collections.abc import Mapping
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import Organisation, User
from fairpassage.core.services import audit_record
from fairpassage.stats.canonical import Canonical, indicator_table
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


def _require(actor: User, organisation: Organisation) -> None:
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
    actor: User,
    organisation: Organisation,
    title: str,
    currency: str = "JPY",
    rates: Mapping[str, float] | None = None,
    rates_source: str = "",
    breakdowns: list[list[str]] | None = None,
    min_cell: int = 5,
) -> Survey:
    _require(actor, organisation)
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
        created_by=actor,
    )
    audit_record(actor=actor, action="survey.create", obj=survey, organisation=organisation)
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


@transaction.atomic
def import_start(
    *,
    actor: User,
    survey: Survey,
    files: Mapping[str, bytes],
    fmt: str = ImportFormat.AUTO,
    mapping: ColumnMapping | None = None,
    background: bool = True,
) -> SurveyImport:
    """Store the upload (encrypted) and process it once the transaction commits."""
    _require(actor, survey.organisation)
    if not files:
        raise InvalidInput(_("Choose the exported file or files."), field="exports")
    if sum(len(data) for data in files.values()) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The files are larger than 20 MB."), field="exports")
    if fmt == ImportFormat.MAPPED and (
        mapping is None or mapping.organisation_id != survey.organisation_id
    ):
        raise InvalidInput(_("Choose a saved column mapping."), field="mapping")
    if fmt == ImportFormat.MAPPED and len(files) != 1:
        raise InvalidInput(_("A mapped questionnaire is one CSV or XLSX file."), field="exports")
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
        data={"files": record.file_names, "format": fmt},
    )
    if background:
        transaction.on_commit(lambda: _in_background(record.pk))
    return record


def _in_background(pk: int) -> None:
    def work() -> None:
        try:
            import_process(pk=pk)
        finally:
            connection.close()

    threading.Thread(target=work, name=f"survey-import-{pk}", daemon=True).start()


def _read(record: SurveyImport, files: dict[str, bytes]) -> Canonical:
    if record.format == ImportFormat.MAPPED:
        assert record.mapping is not None
        name, data = next(iter(files.items()))
        frame = read_single_table(data, name)
        return read_mapped(frame, Mapping_.from_dict(record.mapping.mapping), name)
    fmt = None if record.format == ImportFormat.AUTO else str(record.format)
    return read_export(files, fmt)


def _step(record: SurveyImport, step: str, status: str = ImportStatus.PROCESSING) -> None:
    record.step, record.status = step, status
    record.save(update_fields=["step", "status"])


def import_process(*, pk: int) -> SurveyImport:
    """Read, check and store one import, then compute its result. All-or-nothing: on any
    problem the import is rejected with every problem listed and no data kept."""
    record = SurveyImport.objects.select_related("survey", "mapping").get(pk=pk)
    if record.status not in (ImportStatus.PENDING, ImportStatus.PROCESSING):
        return record
    _step(record, "reading")
    files = _unpack(record.upload)
    try:
        canonical = _read(record, files)
    except TableError as error:
        problem = {
            "source": error.params.get("file", ""),
            "row": 1,
            "column": "",
            "code": "unreadable",
            "params": {"detail": error.params.get("detail", "")},
        }
        return _finish(record, ImportStatus.REJECTED, problems=[problem])
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
    with transaction.atomic():
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


def _finish(
    record: SurveyImport,
    status: str,
    *,
    problems: list[dict[str, Any]],
    skipped: list[dict[str, Any]] | None = None,
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
