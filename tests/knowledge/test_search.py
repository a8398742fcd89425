"""Search however a worker types: without diacritics, any width or script mix of Japanese.

The same tests run on SQLite (FTS5) and, with TEST_DATABASE_URL, on PostgreSQL (tsvector).
"""

from __future__ import annotations

import pytest
from django.db import connection

from fairpassage.knowledge import search, selectors

pytestmark = pytest.mark.django_db


def first(query: str, language: str = "vi") -> str | None:
    found = selectors.articles_search(query=query, language=language)
    return found[0].article.slug if found else None


def test_the_index_is_the_database_s_own() -> None:
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("tien dat coc", "no-deposit"),
        ("TIEN COC", "no-deposit"),
        ("tiền đặt cọc", "no-deposit"),
        ("ho chieu", "keep-your-passport"),
        ("luong toi thieu", "minimum-wage-japan"),
        ("deposit", "no-deposit"),
        ("minim", "minimum-wage-japan"),
        ("ﾊﾟｽﾎﾟｰﾄ", "keep-your-passport"),
        ("ぱすぽーと", "keep-your-passport"),
        ("パスポート", "keep-your-passport"),
        ("ﾊﾟｽ", "keep-your-passport"),
        ("在留カード", "keep-your-passport"),
        ("保管", "keep-your-passport"),
        ("ＰＡＳＳＰＯＲＴ", "keep-your-passport"),
    ],
)
def test_queries_find_the_expected_article_first(
    articles: dict[str, int], query: str, slug: str
) -> None:
    assert first(query) == slug


def test_every_term_must_match_and_nothing_matches_nonsense(articles: dict[str, int]) -> None:
    assert first("tien coc passport") is None
    assert first("zzzqqq") is None
    assert selectors.articles_search(query="  ,.;  ", language="vi") == []


def test_query_syntax_is_never_read_as_operators(articles: dict[str, int]) -> None:
    for query in ('"', "coc*", "coc OR luong", "NEAR(a b)", "a:* & b", "'; DROP TABLE x; --"):
        selectors.articles_search(query=query, language="vi")


def test_results_are_shown_in_the_reader_s_language(articles: dict[str, int]) -> None:
    found = selectors.articles_search(query="tien coc", language="en")
    assert found[0].version.language == "en"
    found = selectors.articles_search(query="tien coc", language="ja")
    assert found[0].shown == "en" and found[0].is_fallback


def test_terms_fold_width_kana_and_diacritics() -> None:
    assert search.terms("Tiền ĐẶT cọc") == ["tien", "dat", "coc"]
    assert search.terms("ﾊﾟｽﾎﾟｰﾄ") == search.terms("ぱすぽーと") == ["パス", "スポ", "ポー", "ート"]
    assert search.terms("在留カード3枚") == ["在留", "留カ", "カー", "ード", "3", "枚"]
