"""Generated exports and tables never crash the survey import or the batch audit, and a
rejected survey import keeps nothing: no respondents, no data, no result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairpassage.core import services as core_services
from fairpassage.core.models import Role, User
from fairpassage.law.batch_io import BatchFileError, read_table
from fairpassage.surveys.models import ImportStatus, Survey, SurveyResult
from fairpassage.surveys.services import import_process, import_start, survey_create
from tests.factories import OrganisationFactory, UserFactory
from tests.registry.conftest import xlsx_bytes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "start",
                "sex",
                "age",
                "_index",
                "_parent_index",
                "KEY",
                "PARENT_KEY",
                "costs/cost_amount",
                "earnings/first_month",
                "_uuid",
                "meta/instanceID",
            ]
        ),
        st.text(min_size=1, max_size=12).filter(lambda t: "," not in t and "\n" not in t),
    ),
    min_size=1,
    max_size=8,
)
CELLS = st.one_of(st.text(max_size=10), st.integers(-10, 10**9).map(str), st.just(""))


@pytest.fixture
def analyst(db: None) -> User:
    user = UserFactory.create()
    organisation = OrganisationFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.ANALYST
    )
    return user


@pytest.fixture
def survey(analyst: User) -> Survey:
    organisation = analyst.memberships.get().organisation
    return survey_create(
        actor=analyst,
        organisation=organisation,
        title="Fuzzed survey",
        currency="JPY",
        rates={"VND": 0.0061},
    )


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    clean = [[c.replace(",", " ").replace("\n", " ").replace('"', "") for c in row] for row in rows]
    lines = [",".join(header), *(",".join(row) for row in clean)]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _check_import(analyst: User, survey: Survey, files: dict[str, bytes]) -> None:
    results_before = SurveyResult.objects.filter(survey=survey).count()
    record = import_start(actor=analyst, survey=survey, files=files, background=False)
    record = import_process(pk=record.pk)
    assert record.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)
    if record.status != ImportStatus.DONE:
        assert record.respondents == 0 and not record.data
        assert record.status == ImportStatus.FAILED or record.problems
        assert SurveyResult.objects.filter(survey=survey).count() == results_before


@pytest.mark.django_db
@FUZZ
@given(header=HEADERS, rows=st.lists(st.lists(CELLS, max_size=8), max_size=6))
def test_generated_csv_exports(
    analyst: User, survey: Survey, header: list[str], rows: list[list[str]]
) -> None:
    _check_import(analyst, survey, {"export.csv": _csv(header, rows)})


@pytest.mark.django_db
@FUZZ
@given(header=HEADERS, rows=st.lists(st.lists(CELLS, max_size=8), max_size=6))
def test_generated_xlsx_exports(
    analyst: User, survey: Survey, header: list[str], rows: list[list[str]]
) -> None:
    printable = [[c for c in row if c.isprintable()] for row in rows]
    header = [h for h in header if h.isprintable()] or ["x"]
    _check_import(analyst, survey, {"export.xlsx": xlsx_bytes(header, printable)})


@pytest.mark.django_db
@FUZZ
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_as_exports(analyst: User, survey: Survey, data: bytes) -> None:
    _check_import(analyst, survey, {"export.csv": data})
    _check_import(analyst, survey, {"export.xlsx": b"PK\x03\x04" + data})


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".parquet"]))
def test_batch_tables_fail_only_with_a_reason(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = Path(tmp_path_factory.mktemp("batch")) / f"engagements{suffix}"
    path.write_bytes(data)
    try:
        read_table(path)
    except BatchFileError as error:
        assert str(error)
