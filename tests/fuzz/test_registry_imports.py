"""Generated lists, well-formed or not, never crash an import and never leave it half-done."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairpassage.core.models import Organisation
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.models import Licence, LicenceStatusChange
from tests.registry.conftest import HEADER, xlsx_bytes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["VN", "JP", "sending_agency", "active", "revoked", "2024-02-30", "2024-01-01"]
    ),
    st.integers(-5, 10**12).map(str),
)
ROW = st.lists(CELL, min_size=0, max_size=12)


def _state() -> tuple[int, int, int]:
    return (
        Organisation.objects.count(),
        Licence.objects.count(),
        LicenceStatusChange.objects.count(),
    )


def _check(data: bytes, filename: str) -> None:
    before = _state()
    report = agencies_import(actor=None, data=data, filename=filename, as_of=dt.date(2026, 11, 1))
    after = _state()
    if report.errors:
        assert after == before, "a rejected list changed the database"
        assert all(e.row >= 0 and e.message for e in report.errors)
    else:
        created = report.count("create")
        assert after[0] - before[0] == created


@pytest.mark.django_db
@FUZZ
@given(rows=st.lists(ROW, max_size=8), header=st.booleans())
def test_generated_csv(rows: list[list[str]], header: bool) -> None:
    lines = [HEADER] if header else []
    lines += [",".join(cell.replace(",", " ").replace("\n", " ") for cell in row) for row in rows]
    _check("\n".join(lines).encode("utf-8", "surrogatepass"), "list.csv")


@pytest.mark.django_db
@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _check(data, "list.csv")
    _check(b"PK\x03\x04" + data, "list.xlsx")


@pytest.mark.django_db
@FUZZ
@given(rows=st.lists(ROW, max_size=6))
def test_generated_xlsx(rows: list[list[str]]) -> None:
    clean = [[c for c in row if c.isprintable()] for row in rows]
    _check(xlsx_bytes(HEADER.split(","), clean), "list.xlsx")
