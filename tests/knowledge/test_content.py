"""The article files: format checks naming file and field, idempotent loading, versions."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from fairpassage.knowledge import markdown, services
from fairpassage.knowledge.content import ContentError, parse_article, read_articles
from fairpassage.knowledge.models import Article, ArticleVersion
from fairpassage.law.params import default_store
from tests.knowledge.conftest import CONTENT

IDS = {p.id for p in default_store()}
GOOD: dict[str, Any] = yaml.safe_load((CONTENT / "deposit.yaml").read_text("utf-8"))


def _broken(change: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    raw = copy.deepcopy(GOOD)
    raw.update(change)
    for key in drop:
        raw.pop(key)
    return raw


def test_the_fixture_files_are_valid() -> None:
    articles = read_articles(CONTENT, parameter_ids=IDS)
    assert [a.slug for a in articles] == ["no-deposit", "keep-your-passport", "minimum-wage-japan"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (_broken({}, drop=("stage",)), "stage"),
        (_broken({"stage": "checklist-free"}), "stage"),
        (_broken({"slug": "Lawful Fees"}), "slug"),
        (_broken({"slug": "checklist"}), "slug"),
        (_broken({"order": "ten"}), "order"),
        (_broken({"reviewed_on": "27/11/2026"}), "reviewed_on"),
        (_broken({"law_parameters": ["vn.no.such"]}), "law_parameters[0]"),
        (_broken({"sources": [{"title": "x", "url": "ftp://x"}]}), "sources[0].url"),
        (_broken({"sources": [{"title": "x", "url": "https://x", "by": 1}]}), "sources[0]"),
        (_broken({"translations": {"en": GOOD["translations"]["en"]}}), "translations.vi"),
        (_broken({"translations": {**GOOD["translations"], "fr": {}}}), "translations"),
        (
            _broken({"translations": {**GOOD["translations"], "en": {"title": "t", "body": "b"}}}),
            "translations.en.summary",
        ),
        (_broken({"extra": 1}), "unexpected fields"),
    ],
)
def test_format_errors_name_the_file_and_the_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse_article(raw, "bad.yaml", parameter_ids=IDS)
    assert str(caught.value).startswith("bad.yaml: ")
    assert field in str(caught.value)


def test_duplicate_slugs_and_bad_yaml_are_refused(tmp_path: Path) -> None:
    shutil.copy(CONTENT / "deposit.yaml", tmp_path / "a.yaml")
    shutil.copy(CONTENT / "deposit.yaml", tmp_path / "b.yaml")
    with pytest.raises(ContentError, match=r"b\.yaml: slug: 'no-deposit' is also used by a\.yaml"):
        read_articles(tmp_path, parameter_ids=IDS)
    (tmp_path / "b.yaml").write_text("slug: [unclosed", "utf-8")
    with pytest.raises(ContentError, match=r"b\.yaml: not valid YAML"):
        read_articles(tmp_path, parameter_ids=IDS)


@pytest.mark.django_db
def test_loading_is_idempotent_and_a_change_makes_a_new_version(tmp_path: Path) -> None:
    for name in ("deposit.yaml", "passport.yaml"):
        shutil.copy(CONTENT / name, tmp_path / name)
    first = services.knowledge_seed_load(directory=tmp_path)
    assert first == {"files": 2, "created": 2, "updated": 0, "unchanged": 0, "versions": 5}
    again = services.knowledge_seed_load(directory=tmp_path)
    assert again == {"files": 2, "created": 0, "updated": 0, "unchanged": 2, "versions": 0}
    assert ArticleVersion.objects.count() == 5

    target = tmp_path / "deposit.yaml"
    target.write_text(target.read_text("utf-8").replace("Deposits:", "Deposits -"), "utf-8")
    seen: list[tuple[str, str]] = []
    changed = services.knowledge_seed_load(
        directory=tmp_path, progress=lambda slug, state: seen.append((slug, state))
    )
    assert changed["versions"] == 1 and changed["updated"] == 1
    assert ("no-deposit", "updated") in seen
    article = Article.objects.get(slug="no-deposit")
    english = article.published("en")
    assert english is not None and english.number == 2 and english.title.startswith("Deposits -")
    history = ArticleVersion.objects.filter(article=article, language="en")
    assert [v.number for v in history] == [2, 1]


def test_markdown_subset_is_escaped_first() -> None:
    html = markdown.render(
        "<script>alert(1)</script>\n\n## Heading\n\n- one **bold**\n- [site](/vi/fee-check/)\n\n"
        '[bad](javascript:alert(1)) [ext](https://example.org/?a=1&b="2") "quotes"'
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Heading</h2>" in html
    assert "<ul><li>one <strong>bold</strong></li>" in html
    assert '<a href="/vi/fee-check/">site</a>' in html
    assert 'href="javascript' not in html and ">bad<" not in html
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "&quot;quotes&quot;" in html
