"""Dates read as the page's language writes them; the rules page fits a phone as cards."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import translation

from fairpassage.law import params as law
from fairpassage.web.templatetags.dates import dates_in_text, day

ISO_DATE = re.compile(r"(?<![\d=\"])\d{4}-\d{2}-\d{2}(?![\d\"])")
CLOSED_DETAILS = re.compile(r"<details\b.*?</details>", re.S)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "10/02/2025"), ("ja", "2025年2月10日"), ("en", "10 Feb 2025")],
)
def test_a_day_is_written_as_the_language_writes_it(language: str, expected: str) -> None:
    with translation.override(language):
        assert day(dt.date(2025, 2, 10)) == expected
        assert day("2025-02-10") == expected
        assert day(dt.datetime(2025, 2, 10, 23, 0)) == expected
        assert day(None) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "ja"])
def test_the_rules_page_shows_cards_and_no_iso_date_or_hash(client: Client, language: str) -> None:
    html = client.get(f"/{language}/law/").content.decode()
    assert "<table" not in html
    assert html.count('class="law-value"') >= len(list(law.default_store()))
    visible = CLOSED_DETAILS.sub("", html.split('<main id="main"', 1)[1])
    assert ISO_DATE.findall(visible) == []
    assert law.rules_version() not in visible
    assert law.rules_version() in html  # kept for advisers, folded away


def test_iso_dates_inside_a_citation_are_rewritten() -> None:
    with translation.override("vi"):
        assert dates_in_text("Art. 23 (in force 2022-01-01)") == "Art. 23 (in force 01/01/2022)"
        assert dates_in_text("No. 2022-01-012") == "No. 2022-01-012"
