"""Fixtures of the registry tests: a clean rate-limit cache and search index, list files."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

import pytest
from openpyxl import Workbook

from fairpassage.core import ratelimit
from fairpassage.registry.selectors import search_index_reset

HEADER = (
    "name,country,kind,licence_number,licence_status,licence_issued_on,licence_expires_on,"
    "address,phone,website"
)


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    ratelimit.reset()
    search_index_reset()
    yield
    ratelimit.reset()
    search_index_reset()


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode("utf-8")


def xlsx_bytes(header: list[str], rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
