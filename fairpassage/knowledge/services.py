"""Writes of the guide: loading the seed articles, the review step, review flags, the index."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairpassage import law
from fairpassage.core.errors import Conflict, Forbidden, InvalidInput
from fairpassage.core.models import User
from fairpassage.core.services import Actor, audit_record
from fairpassage.knowledge import content, markdown, search
from fairpassage.knowledge.models import (
    Article,
    ArticleVersion,
    Language,
    SearchDocument,
    VersionStatus,
)
from fairpassage.knowledge.selectors import can_edit, can_review
from fairpassage.law.params import ParameterStore

Progress = Callable[[str, str], None]


# Law parameters: fingerprints and review flags ---------------------------------------------


def parameter_fingerprint(store: ParameterStore, param_id: str) -> str | None:
    """A hash of a parameter's dated values (``None`` when the rules no longer have it)."""
    try:
        param = store.get(param_id)
    except KeyError:
        return None
    entries = [[e.since.isoformat(), e.value, e.unknown, e.verification] for e in param.entries]
    data = json.dumps(entries, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def _fingerprints(store: ParameterStore, param_ids: list[str]) -> dict[str, str | None]:
    return {pid: parameter_fingerprint(store, pid) for pid in param_ids}


def _newest_change(store: ParameterStore, param_ids: list[str]) -> Any:
    dates = []
    for pid in param_ids:
        try:
            dates.append(max(e.since for e in store.get(pid).entries))
        except KeyError:
            continue
    return max(dates) if dates else timezone.localdate()


@transaction.atomic
def articles_review_flags_refresh(*, store: ParameterStore | None = None) -> list[str]:
    """Flag every article whose cited parameters changed since it was last reviewed.

    Returns the slugs newly flagged. A parameter cited for the first time is fingerprinted
    without a flag; stored fingerprints are kept until a reviewer confirms the article.
    """
    store = store or law.default_store()
    flagged: list[str] = []
    for article in Article.objects.select_for_update().order_by("pk"):
        stored: dict[str, Any] = dict(article.parameter_fingerprints or {})
        changed: list[str] = []
        added = False
        for pid in article.law_parameters:
            now = parameter_fingerprint(store, pid)
            if pid not in stored:
                stored[pid] = now
                added = True
            elif stored[pid] != now:
                changed.append(pid)
        if changed and not article.needs_review:
            article.needs_review = True
            article.review_reason = ", ".join(changed)
            article.law_changed_on = _newest_change(store, changed)
            flagged.append(article.slug)
            audit_record(
                actor=None,
                action="knowledge.article.flag_for_review",
                obj=article,
                data={"parameters": changed, "rules_version": store.version},
            )
        elif changed and article.review_reason != ", ".join(changed):
            article.review_reason = ", ".join(changed)
        if added or changed:
            article.parameter_fingerprints = stored
            article.save()
    return flagged


@transaction.atomic
def article_mark_reviewed(
    *, actor: User, article: Article, store: ParameterStore | None = None
) -> Article:
    """A reviewer confirms the article still matches the law: new fingerprints, flag cleared."""
    if not can_review(actor):
        raise Forbidden(_("Only a reviewer can confirm that an article is up to date."))
    store = store or law.default_store()
    article.parameter_fingerprints = _fingerprints(store, article.law_parameters)
    article.needs_review = False
    article.review_reason = ""
    article.law_changed_on = None
    article.reviewed_on = timezone.localdate()
    article.save()
    audit_record(actor=actor, action="knowledge.article.mark_reviewed", obj=article)
    return article


# The search index ---------------------------------------------------------------------------


def article_index(*, article: Article) -> None:
    """Put the published translations of ``article`` in the search index (others out)."""
    languages = []
    for language in Language.values:
        version = article.published(language)
        if version is None:
            continue
        languages.append(language)
        SearchDocument.objects.update_or_create(
            article=article,
            language=language,
            defaults={
                "title_text": search.index_text(version.title),
                "body_text": search.index_text(
                    version.summary + "\n" + markdown.plain(version.body)
                ),
            },
        )
    SearchDocument.objects.filter(article=article).exclude(language__in=languages).delete()


# Seed articles --------------------------------------------------------------------------------


def _next_number(article: Article, language: str) -> int:
    top = ArticleVersion.objects.filter(article=article, language=language).aggregate(
        top=Max("number")
    )["top"]
    return int(top or 0) + 1


@transaction.atomic
def knowledge_seed_load(
    *,
    progress: Progress | None = None,
    directory: Path | None = None,
    store: ParameterStore | None = None,
    actor: Actor = None,
) -> dict[str, int]:
    """Load the article files; a changed translation becomes a new published version.

    Idempotent: a translation already loaded from the same text is skipped, and a version
    published by staff is not overwritten unless the file itself changes.
    """
    store = store or law.default_store()
    files = content.read_articles(
        directory or content.CONTENT_DIR, parameter_ids={p.id for p in store}
    )
    counts = {"files": len(files), "created": 0, "updated": 0, "unchanged": 0, "versions": 0}
    now = timezone.now()
    for item in files:
        article = Article.objects.select_for_update().filter(slug=item.slug).first()
        created = article is None
        if article is None:
            article = Article(slug=item.slug, reviewed_on=item.reviewed_on)
        meta = {
            "stage": item.stage,
            "order": item.order,
            "law_parameters": item.law_parameters,
            "sources": item.sources,
        }
        meta_changed = created or any(getattr(article, k) != v for k, v in meta.items())
        reviewed = created or item.reviewed_on > article.reviewed_on
        params_changed = created or article.law_parameters != item.law_parameters
        for key, value in meta.items():
            setattr(article, key, value)
        if reviewed or params_changed:
            article.reviewed_on = max(article.reviewed_on, item.reviewed_on)
            article.parameter_fingerprints = _fingerprints(store, item.law_parameters)
            article.needs_review = False
            article.review_reason = ""
            article.law_changed_on = None
            meta_changed = True
        if meta_changed:
            article.save()
        new_versions = 0
        for language, text in item.translations.items():
            digest = text.digest()
            known = ArticleVersion.objects.filter(
                article=article, language=language, origin="seed", source_hash=digest
            ).exists()
            if known:
                continue
            version = ArticleVersion.objects.create(
                article=article,
                language=language,
                number=_next_number(article, language),
                title=text.title,
                summary=text.summary,
                body=text.body,
                status=VersionStatus.PUBLISHED,
                origin="seed",
                source_hash=digest,
                submitted_at=now,
                reviewed_at=now,
            )
            setattr(article, Article.pointer(language), version)
            new_versions += 1
        if new_versions:
            article.save()
            article_index(article=article)
        counts["versions"] += new_versions
        state = "created" if created else "updated" if (meta_changed or new_versions) else ""
        state = state or "unchanged"
        counts[state] += 1
        if progress is not None:
            progress(item.slug, state)
    audit_record(actor=actor, action="knowledge.seed_load", data=dict(counts))
    articles_review_flags_refresh(store=store)
    return counts


# Staff editing and the review step ---------------------------------------------------------


def _require_editor(actor: User) -> None:
    if not can_edit(actor):
        raise Forbidden(_("Only staff of an organisation that writes the guide can edit it."))


def _sources_clean(sources: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for n, source in enumerate(sources):
        url = source.get("url", "")
        if not url.startswith(("https://", "http://")):
            raise InvalidInput(_("A source needs an http(s) address."), field=f"sources[{n}]")
        cleaned.append({"title": source.get("title", "")[:300] or url, "url": url})
    return cleaned


def _parameters_clean(param_ids: list[str]) -> list[str]:
    known = {p.id for p in law.default_store()}
    for n, pid in enumerate(param_ids):
        if pid not in known:
            raise InvalidInput(
                _("There is no law parameter %(id)s."),
                field=f"law_parameters[{n}]",
                params={"id": pid},
            )
    return list(dict.fromkeys(param_ids))


@transaction.atomic
def article_save(
    *,
    actor: User,
    article: Article | None = None,
    slug: str,
    stage: str,
    order: int,
    law_parameters: list[str],
    sources: list[dict[str, str]],
) -> Article:
    """Create an article (``article`` is None) or change what is common to its languages."""
    _require_editor(actor)
    if article is None:
        if Article.objects.filter(slug=slug).exists():
            raise Conflict(_("An article with this short name already exists."), field="slug")
        if slug in content.RESERVED_SLUGS or not content.SLUG.match(slug):
            raise InvalidInput(_("Choose another short name."), field="slug")
        article = Article(slug=slug, reviewed_on=timezone.localdate())
        action = "knowledge.article.create"
    else:
        action = "knowledge.article.update"
    article.stage = stage
    article.order = order
    article.law_parameters = _parameters_clean(law_parameters)
    article.sources = _sources_clean(sources)
    article.save()
    audit_record(
        actor=actor,
        action=action,
        obj=article,
        data={"stage": stage, "law_parameters": article.law_parameters},
    )
    articles_review_flags_refresh()
    article.refresh_from_db()
    return article


@transaction.atomic
def version_draft_save(
    *,
    actor: User,
    article: Article,
    language: str,
    title: str,
    summary: str,
    body: str,
    version: ArticleVersion | None = None,
) -> ArticleVersion:
    """Save a draft: the given draft is changed, otherwise a new draft version is made."""
    _require_editor(actor)
    if language not in Language.values:
        raise InvalidInput(_("Choose one of the guide's languages."), field="language")
    if version is None:
        version = ArticleVersion(
            article=article, language=language, number=_next_number(article, language)
        )
        action = "knowledge.version.create"
    elif version.status != VersionStatus.DRAFT or version.article_id != article.pk:
        raise Conflict(_("Only a draft can be edited; start a new draft instead."))
    else:
        action = "knowledge.version.update"
    version.title = title.strip()[:200]
    version.summary = summary.strip()[:600]
    version.body = body.strip()
    version.author = actor
    version.origin = "staff"
    version.save()
    audit_record(
        actor=actor,
        action=action,
        obj=version,
        data={"article": article.slug, "language": language, "number": version.number},
    )
    return version


@transaction.atomic
def version_submit(*, actor: User, version: ArticleVersion) -> ArticleVersion:
    """Send a draft to review."""
    _require_editor(actor)
    if version.status != VersionStatus.DRAFT:
        raise Conflict(_("Only a draft can be sent for review."))
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.save()
    audit_record(actor=actor, action="knowledge.version.submit", obj=version)
    return version


def _require_reviewer(actor: User, version: ArticleVersion) -> None:
    if not can_review(actor):
        raise Forbidden(_("Only a reviewer can publish or return a version."))
    if version.status != VersionStatus.IN_REVIEW:
        raise Conflict(_("This version is not waiting for review."))


@transaction.atomic
def version_publish(*, actor: User, version: ArticleVersion) -> ArticleVersion:
    """A reviewer publishes a version: it becomes what readers see in its language."""
    _require_reviewer(actor, version)
    if version.author_id == actor.pk and not actor.is_staff:
        raise Forbidden(_("Someone other than the author must review a version."))
    version.status = VersionStatus.PUBLISHED
    version.reviewer = actor
    version.reviewed_at = timezone.now()
    version.save()
    article = Article.objects.select_for_update().get(pk=version.article_id)
    setattr(article, Article.pointer(version.language), version)
    article.save()
    article_index(article=article)
    audit_record(
        actor=actor,
        action="knowledge.version.publish",
        obj=version,
        data={"article": article.slug, "language": version.language, "number": version.number},
    )
    return version


@transaction.atomic
def version_return(*, actor: User, version: ArticleVersion, reason: str = "") -> ArticleVersion:
    """A reviewer sends a version back to its author as a draft."""
    _require_reviewer(actor, version)
    version.status = VersionStatus.DRAFT
    version.reviewer = actor
    version.reviewed_at = timezone.now()
    version.save()
    audit_record(
        actor=actor, action="knowledge.version.return", obj=version, reason=reason.strip()[:500]
    )
    return version
