"""Public pages of the guide: the index by stage, search, an article, the checklist, leaflets."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from fairpassage.knowledge import markdown, selectors
from fairpassage.web.pdf import render_pdf


def _page_language() -> str:
    return selectors.language_of(get_language() or "vi")


def _easy(request: HttpRequest) -> bool:
    return request.GET.get("text") == "easy"


def url_or_path(name: str, fallback: str) -> str:
    """The address of a page that another part of the product may not have yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return f"/{_page_language()}/{fallback}"


@require_safe
def guide_index(request: HttpRequest) -> HttpResponse:
    language = selectors.language_of(get_language() or "vi", easy=_easy(request))
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.articles_search(query=query, language=language) if query else None
    return render(
        request,
        "knowledge/index.html",
        {
            "stages": [] if query else selectors.guide_by_stage(language=language),
            "query": query,
            "results": results,
            "easy": language == "ja-easy",
        },
    )


def _article_context(request: HttpRequest, slug: str) -> dict[str, Any]:
    language = selectors.language_of(get_language() or "vi", easy=_easy(request))
    item = selectors.article_reading(slug=slug, language=language)
    return {
        "item": item,
        "article": item.article,
        "version": item.version,
        "body": markdown.render(item.version.body),
        "wanted_label": selectors.language_label(item.wanted),
        "shown_label": selectors.language_label(item.shown),
        "has_easy": item.article.published("ja-easy") is not None,
        "easy": language == "ja-easy",
    }


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "knowledge/article.html", _article_context(request, slug))


def _pdf(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def article_leaflet(request: HttpRequest, slug: str) -> HttpResponse:
    """An A5 leaflet of the article, for classes where workers have no mobile data."""
    context = _article_context(request, slug)
    context["page_url"] = request.build_absolute_uri(
        reverse("knowledge:article", args=[context["article"].slug])
    )
    return _pdf("knowledge/leaflet.html", context, f"{slug}.pdf")


def _checklist_context() -> dict[str, Any]:
    return {
        "registry_url": url_or_path("registry:search", "agencies/"),
        "fee_check_url": reverse("checks:fee_check"),
        "help_url": reverse("knowledge:index") + "#problems_help",
    }


@require_safe
def checklist(request: HttpRequest) -> HttpResponse:
    """The pre-departure checklist; ticks are kept in this browser only."""
    return render(request, "knowledge/checklist.html", _checklist_context())


@require_safe
def checklist_leaflet(request: HttpRequest) -> HttpResponse:
    context = _checklist_context()
    context["page_url"] = request.build_absolute_uri(reverse("knowledge:checklist"))
    context["lang"] = _page_language()
    return _pdf("knowledge/checklist_leaflet.html", context, "checklist.pdf")
