"""Reads of the guide: what readers see in their language, search, who may edit and review."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from fairpassage.core.errors import NotFound
from fairpassage.core.models import Membership, OrganisationKind, Role, User
from fairpassage.knowledge import search
from fairpassage.knowledge.models import Article, ArticleVersion, Language, Stage

#: Organisations that write and review the guide: not those with a commercial stake in
#: recruitment (agencies, supervising organisations, employers).
GUIDE_ORGANISATION_KINDS = {
    OrganisationKind.SUPPORT_ORGANISATION.value,
    OrganisationKind.INTERNATIONAL_ORGANISATION.value,
    OrganisationKind.GOVERNMENT_BODY.value,
}
EDITOR_ROLES = {Role.ORGANISATION_ADMIN.value, Role.CASE_WORKER.value, Role.REVIEWER.value}
REVIEWER_ROLES = {Role.ORGANISATION_ADMIN.value, Role.REVIEWER.value}

#: Which translation a reader of each language sees, in order of preference.
FALLBACK = {
    "vi": ("vi", "en"),
    "en": ("en", "vi"),
    "ja": ("ja", "en", "vi"),
    "ja-easy": ("ja-easy", "ja", "en"),
}
PUBLISHED = ("published_vi", "published_ja", "published_en", "published_ja_easy")


def _has_role(user: User | AnonymousUser, roles: set[str]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(
        user=user,
        role__in=roles,
        organisation__is_active=True,
        organisation__kind__in=GUIDE_ORGANISATION_KINDS,
    ).exists()


def can_edit(user: User | AnonymousUser) -> bool:
    """Staff of a guide organisation, or platform staff, write drafts."""
    return _has_role(user, EDITOR_ROLES)


def can_review(user: User | AnonymousUser) -> bool:
    """Reviewers and administrators of a guide organisation, or platform staff, publish."""
    return _has_role(user, REVIEWER_ROLES)


def articles_published() -> QuerySet[Article]:
    """Articles readers can open: those with at least one published translation."""
    any_published = Q()
    for name in PUBLISHED:
        any_published |= Q(**{f"{name}__isnull": False})
    return Article.objects.filter(any_published).select_related(*PUBLISHED)


@dataclass(frozen=True)
class Reading:
    """An article as a reader of ``wanted`` sees it."""

    article: Article
    version: ArticleVersion
    wanted: str
    shown: str

    @property
    def is_fallback(self) -> bool:
        return self.wanted != self.shown

    @property
    def shown_label(self) -> str:
        return language_label(self.shown)


def _chain(language: str) -> list[str]:
    chain = list(FALLBACK.get(language, (language,)))
    return chain + [code for code in ("vi", "en", "ja", "ja-easy") if code not in chain]


def reading(article: Article, language: str) -> Reading | None:
    for code in _chain(language):
        version = article.published(code)
        if version is not None:
            return Reading(article, version, language, code)
    return None


def article_reading(*, slug: str, language: str) -> Reading:
    article = articles_published().filter(slug=slug).first()
    found = reading(article, language) if article else None
    if found is None:
        raise NotFound()
    return found


def guide_by_stage(*, language: str) -> list[tuple[str, str, list[Reading]]]:
    """Stages of the migration cycle in order, each with its articles (empty stages left out)."""
    by_stage: dict[str, list[Reading]] = {}
    for article in articles_published().order_by("order", "slug"):
        item = reading(article, language)
        if item is not None:
            by_stage.setdefault(article.stage, []).append(item)
    return [(s.value, str(s.label), by_stage[s.value]) for s in Stage if s.value in by_stage]


def articles_search(*, query: str, language: str, limit: int = 20) -> list[Reading]:
    """Articles matching ``query`` in any language, best first, shown in ``language``."""
    order: list[int] = []
    for hit in search.search(query, limit=limit * 4):
        if hit.article_id not in order:
            order.append(hit.article_id)
    articles = articles_published().in_bulk(order[:limit])
    out = []
    for pk in order[:limit]:
        article = articles.get(pk)
        item = reading(article, language) if article else None
        if item is not None:
            out.append(item)
    return out


def language_of(code: str, *, easy: bool = False) -> str:
    """The guide language for a page language (``ja`` with easy text -> ``ja-easy``)."""
    code = code[:2] if code[:2] in {"vi", "ja", "en"} else "vi"
    return "ja-easy" if easy and code == "ja" else code


def language_label(code: str) -> str:
    return str(Language(code).label) if code in Language.values else code


def article_versions(*, article: Article) -> QuerySet[ArticleVersion]:
    return (
        ArticleVersion.objects.filter(article=article)
        .select_related("author", "reviewer")
        .order_by("language", "-number")
    )


def versions_waiting() -> QuerySet[ArticleVersion]:
    return ArticleVersion.objects.filter(status="in_review").select_related("article", "author")
