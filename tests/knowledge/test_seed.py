"""The seed articles shipped with the product load, and search finds them as a worker types."""

from __future__ import annotations

import pytest

from fairpassage.knowledge import selectors, services
from fairpassage.knowledge.content import CONTENT_DIR, read_articles
from fairpassage.law.params import default_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db: None) -> dict[str, int]:
    return services.knowledge_seed_load()


def test_the_seed_is_valid_and_complete_in_vietnamese_and_english() -> None:
    articles = read_articles(CONTENT_DIR, parameter_ids={p.id for p in default_store()})
    assert len(articles) >= 12
    for article in articles:
        assert {"vi", "en"} <= set(article.translations), article.path


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("ky quy", "deposits"),
        ("ho chieu", "keeping-your-passport"),
        ("tien coc", "deposits"),
        ("在留ｶｰﾄﾞ", "keeping-your-passport"),
        ("最低賃金", "minimum-wage-japan"),
        ("ﾌﾞﾛｰｶｰ", "brokers"),  # the brokers article has its Japanese version
        ("luong toi thieu", "minimum-wage-japan"),
        ("moi gioi", "brokers"),
        ("育成就労", "titp-to-esd-2027"),
    ],
)
def test_seed_search(seed: dict[str, int], query: str, slug: str) -> None:
    found = selectors.articles_search(query=query, language="vi")
    assert [r.article.slug for r in found][:1] == [slug]
