"""A change of a law parameter that an article cites flags the article for review."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import Client

from fairpassage.core.models import AuditEvent
from fairpassage.knowledge import services
from fairpassage.knowledge.models import Article
from fairpassage.law.params import PARAMS_DIR, ParameterStore
from tests.factories import UserFactory
from tests.knowledge.conftest import CONTENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def params(tmp_path: Path) -> Path:
    root = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, root)
    return root


def _add_deposit_value(root: Path) -> None:
    target = root / "vn" / "deposit_japan.yaml"
    target.write_text(
        target.read_text("utf-8")
        + "  2027-04-01:\n    value: 5000000\n"
        + "    reference: {instrument: Test decree, provision: Art. 1, url: null}\n"
        + "    verification: unverified\n",
        "utf-8",
    )


def test_a_changed_cited_parameter_flags_only_the_articles_citing_it(
    params: Path, client: Client
) -> None:
    services.knowledge_seed_load(directory=CONTENT, store=ParameterStore(params))
    assert services.articles_review_flags_refresh(store=ParameterStore(params)) == []
    assert not Article.objects.filter(needs_review=True).exists()

    _add_deposit_value(params)
    flagged = services.articles_review_flags_refresh(store=ParameterStore(params))
    assert flagged == ["no-deposit"]
    article = Article.objects.get(slug="no-deposit")
    assert article.needs_review
    assert article.review_reason == "vn.deposit.japan_max_vnd"
    assert article.law_changed_on is not None and article.law_changed_on.isoformat() == "2027-04-01"
    assert not Article.objects.get(slug="keep-your-passport").needs_review
    assert AuditEvent.objects.filter(action="knowledge.article.flag_for_review").count() == 1
    # A second refresh does not flag it again, and loading unchanged files keeps the flag.
    assert services.articles_review_flags_refresh(store=ParameterStore(params)) == []
    services.knowledge_seed_load(directory=CONTENT, store=ParameterStore(params))
    assert Article.objects.get(slug="no-deposit").needs_review

    html = client.get("/en/guide/no-deposit/").content.decode()
    assert "Under review:" in html and "changed on 1 Apr 2027" in html
    assert "vn.deposit.japan_max_vnd" in html

    reviewer = UserFactory.create(is_staff=True)
    services.article_mark_reviewed(actor=reviewer, article=article, store=ParameterStore(params))
    assert not Article.objects.get(slug="no-deposit").needs_review
    assert services.articles_review_flags_refresh(store=ParameterStore(params)) == []
    assert "Under review:" not in client.get("/en/guide/no-deposit/").content.decode()


def test_a_parameter_removed_from_the_rules_flags_the_article(params: Path) -> None:
    services.knowledge_seed_load(directory=CONTENT, store=ParameterStore(params))
    (params / "jp" / "titp_document_retention_ban.yaml").unlink()
    assert services.articles_review_flags_refresh(store=ParameterStore(params)) == [
        "keep-your-passport"
    ]


def test_a_newer_reviewed_date_in_the_file_clears_the_flag(params: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(CONTENT / "deposit.yaml", content / "deposit.yaml")
    services.knowledge_seed_load(directory=content, store=ParameterStore(params))
    _add_deposit_value(params)
    services.articles_review_flags_refresh(store=ParameterStore(params))
    assert Article.objects.get(slug="no-deposit").needs_review
    target = content / "deposit.yaml"
    target.write_text(target.read_text("utf-8").replace("2026-11-20", "2027-04-02", 1), "utf-8")
    services.knowledge_seed_load(directory=content, store=ParameterStore(params))
    assert not Article.objects.get(slug="no-deposit").needs_review
