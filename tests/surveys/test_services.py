"""Imports are all-or-nothing, encrypted at rest, and produce aggregates only."""

from __future__ import annotations

import pytest
from django.db import connection

from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import AuditEvent, User
from fairpassage.surveys import services
from fairpassage.surveys.models import ImportStatus, Survey, SurveyImport
from tests.surveys.exports import RESPONDENTS, kobo_xlsx, odk_csv


def test_an_import_is_processed_into_aggregates(analyst: User, survey: Survey) -> None:
    record = services.import_start(
        actor=analyst, survey=survey, files={"s.xlsx": kobo_xlsx()}, background=False
    )
    assert record.status == ImportStatus.PENDING
    services.import_process(pk=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.respondents == 3
    assert record.upload == ""  # the raw export is not kept
    assert [p["code"] for p in record.skipped] == ["no_consent"]
    result = survey.results.get()
    overall = result.report["overall"]
    assert overall["n"] == 2 and overall["excluded"] == 1
    expected = ((105_000_000 * 0.0061 + 20_000) + 4_000) / (165_000 + 210_000)
    assert overall["ratio_of_means"] == pytest.approx(expected, abs=1e-6)
    assert {tuple(g["by"].items()) for g in result.report["groups"]} >= {(("sex", "female"),)}
    assert result.descriptive["overall"]["n"] == 3
    assert sum(b.get("n", 0) for b in result.distribution) == 2
    # stored respondent data is ciphertext in the database
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM surveys_surveyimport WHERE id = %s", [record.pk])
        (stored,) = cursor.fetchone()
    assert "respondents" not in stored and "female" not in stored
    reloaded, _items = services.load_tables(record)
    assert reloaded.height == 3
    assert AuditEvent.objects.filter(action="survey.import.done").exists()


def test_a_rejected_import_keeps_the_report_and_no_data(analyst: User, survey: Survey) -> None:
    people = [dict(person) for person in RESPONDENTS]
    people[0] = {**people[0], "sex": "unknown"}
    record = services.import_start(
        actor=analyst, survey=survey, files=odk_csv(people), background=False
    )
    services.import_process(pk=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.REJECTED
    assert record.data == "" and record.respondents == 0
    assert [(p["row"], p["code"]) for p in record.problems] == [(2, "bad_choice")]
    assert not survey.results.exists()


def test_an_unreadable_file_is_rejected_with_its_reason(analyst: User, survey: Survey) -> None:
    record = services.import_start(
        actor=analyst, survey=survey, files={"s.xlsx": b"not a workbook"}, background=False
    )
    services.import_process(pk=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.REJECTED
    assert record.problems[0]["code"] == "unreadable"


def test_only_analysts_and_administrators_run_surveys(case_worker: User, survey: Survey) -> None:
    with pytest.raises(Forbidden):
        services.import_start(actor=case_worker, survey=survey, files={"a.csv": b"x"})
    assert not SurveyImport.objects.exists()


def test_rates_and_breakdowns_are_checked() -> None:
    assert services.parse_rates("VND=0.0061, usd=150") == {"VND": 0.0061, "USD": 150.0}
    with pytest.raises(InvalidInput):
        services.parse_rates("VND:0.0061")
    assert services.parse_breakdowns("sex, sex+programme") == [["sex"], ["sex", "programme"]]
    with pytest.raises(InvalidInput):
        services.parse_breakdowns("name")


def test_survey_weights_from_a_mapped_questionnaire(analyst: User, survey: Survey) -> None:
    mapping = services.mapping_save(
        actor=analyst,
        organisation=survey.organisation,
        name="weighted",
        mapping={
            "id_column": "id",
            "columns": {"sex": "sex", "first_month_earnings": "pay", "weight": "w"},
            "costs": [{"column": "fee", "item": "service_fee", "currency": "JPY"}],
            "constants": {"earnings_currency": "JPY"},
        },
    )
    data = b"id,sex,pay,fee,w\na,female,100,300,3\nb,male,100,100,1\n"
    record = services.import_start(
        actor=analyst,
        survey=survey,
        files={"w.csv": data},
        fmt="mapped",
        mapping=mapping,
        background=False,
    )
    services.import_process(pk=record.pk)
    result = survey.results.get()
    assert result.parameters["weighted"] is True
    # (3*300 + 1*100) / (3*100 + 1*100)
    assert result.report["overall"]["ratio_of_means"] == 2.5
    assert result.report["overall"]["sum_weights"] == 4.0
