"""Worker's guide over the API: search the articles, read one (no account needed)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Router

from fairpassage.core.schemas import ErrorOut
from fairpassage.knowledge import markdown, selectors
from fairpassage.knowledge.schemas import ArticleOut, ArticleSummaryOut

router = Router(tags=["knowledge"])

GuideLanguage = Literal["vi", "ja", "en", "ja-easy"]


def _summary(request: HttpRequest, item: selectors.Reading) -> dict[str, Any]:
    article = item.article
    with translation.override(item.wanted[:2]):
        url = reverse("knowledge:article", args=[article.slug])
    if item.wanted == "ja-easy":
        url += "?text=easy"
    return {
        "slug": article.slug,
        "stage": article.stage,
        "language": item.shown,
        "fallback": item.is_fallback,
        "title": item.version.title,
        "summary": item.version.summary,
        "reviewed_on": article.reviewed_on,
        "needs_review": article.needs_review,
        "url": request.build_absolute_uri(url),
    }


@router.get(
    "/articles",
    response={200: list[ArticleSummaryOut], 422: ErrorOut},
    summary="Search the guide's articles (or list them all by step)",
)
def articles(request: HttpRequest, q: str = "", lang: GuideLanguage = "vi") -> list[dict[str, Any]]:
    """`q` may be typed without Vietnamese accents and in any Japanese width or script;
    results come best first. Without `q`, every article in the order of the migration cycle.
    A result in another language than `lang` has `fallback` true."""
    query = q.strip()[:200]
    if query:
        found = selectors.articles_search(query=query, language=lang)
    else:
        found = [
            item
            for _code, _label, items in selectors.guide_by_stage(language=lang)
            for item in items
        ]
    return [_summary(request, item) for item in found]


@router.get(
    "/articles/{slug:slug}",
    response={200: ArticleOut, 404: ErrorOut, 422: ErrorOut},
    summary="One article of the guide, in a language or its fallback",
)
def article(request: HttpRequest, slug: str, lang: GuideLanguage = "vi") -> dict[str, Any]:
    """Fallback order: ja → en → vi, ja-easy → ja → en, vi → en, en → vi."""
    item = selectors.article_reading(slug=slug, language=lang)
    article = item.article
    return {
        **_summary(request, item),
        "requested_language": lang,
        "body_markdown": item.version.body,
        "body_html": str(markdown.render(item.version.body)),
        "law_parameters": article.law_parameters,
        "sources": article.sources,
        "law_changed_on": article.law_changed_on,
        "review_reason": article.review_reason,
    }
