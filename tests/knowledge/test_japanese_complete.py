"""Japanese is complete: every shipped guide article has its Japanese version, and stored
registry notes on a Japanese page are translated or labelled (issue 15, item 11)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from fairpassage.core import ratelimit
from fairpassage.knowledge.content import read_articles
from fairpassage.law.params import default_store
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.selectors import search_index_reset
from fairpassage.registry.templatetags.registry_tags import stored_note
from tests.registry.conftest import csv_bytes
from tests.registry.test_imports import NOV_1, NOV_20, SAO_MAI


@pytest.fixture
def _fresh_registry() -> Iterator[None]:
    ratelimit.reset()
    search_index_reset()
    yield
    search_index_reset()


SHIPPED = Path(__file__).resolve().parents[2] / "fairpassage" / "knowledge" / "content"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _articles() -> list[object]:
    return list(read_articles(SHIPPED, parameter_ids={p.id for p in default_store()}))


def test_every_shipped_article_has_a_japanese_version() -> None:
    articles = _articles()
    assert len(articles) >= 13
    missing = [a.slug for a in articles if "ja" not in a.translations]  # type: ignore[attr-defined]
    assert missing == []


@pytest.mark.parametrize(
    "slug", ["before-you-sign", "brokers", "choosing-licensed-agency", "pension-lump-sum"]
)
def test_the_japanese_versions_are_written_in_japanese(slug: str) -> None:
    article = next(a for a in _articles() if a.slug == slug)  # type: ignore[attr-defined]
    ja = article.translations["ja"]  # type: ignore[attr-defined]
    for part in (ja.title, ja.summary, ja.body):
        letters = [c for c in part if c.isalpha()]
        share = sum(1 for c in letters if JAPANESE.match(c)) / len(letters)
        assert share > 0.6, part[:60]
    # as many sections as the English version
    en = article.translations["en"]  # type: ignore[attr-defined]
    assert ja.body.count("## ") == en.body.count("## ")


def test_a_registry_note_is_shown_in_the_page_language() -> None:
    with translation.override("vi"):
        stored = stored_note(
            "Danh sách không ghi ngày thay đổi; đã ghi nhận theo ngày của danh sách."
        )
        assert stored["lang"] == "vi"
    with translation.override("ja"):
        shown = stored_note(
            "Danh sách không ghi ngày thay đổi; đã ghi nhận theo ngày của danh sách."
        )
        assert JAPANESE.search(shown["text"]) and shown["label"] == ""
        free = stored_note("Giấy phép bị thu hồi theo quyết định số 12")
        assert free["lang"] == "vi" and free["label"]


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_registry")
def test_the_agency_page_in_japanese_has_no_unlabelled_vietnamese_note(client: Client) -> None:
    with translation.override("vi"):
        agencies_import(actor=None, data=csv_bytes(SAO_MAI), filename="l.csv", as_of=NOV_1)
        revoked = SAO_MAI.replace(",active,", ",revoked,")
        agencies_import(actor=None, data=csv_bytes(revoked), filename="l.csv", as_of=NOV_20)
    page = client.get("/ja/agencies/", {"q": "123/LĐTBXH-GP"}).content.decode()
    slug = re.search(r'href="/ja/agencies/([a-z0-9-]+)/\?on=', page)
    assert slug is not None
    response = client.get(f"/ja/agencies/{slug.group(1)}/")
    assert response.status_code == 200, slug.group(1)
    html = response.content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "Danh sách không ghi" not in table
    assert "2026-11-20" not in table, "dates in the page's format"
