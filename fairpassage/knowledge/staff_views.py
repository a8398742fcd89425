"""Staff pages of the guide: write drafts per language, send them for review, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fairpassage.core.errors import Forbidden
from fairpassage.core.models import User
from fairpassage.knowledge import selectors, services
from fairpassage.knowledge.forms import ArticleForm, DraftForm
from fairpassage.knowledge.models import Article, ArticleVersion, Language, VersionStatus


def _editor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.can_edit(user):
        raise Forbidden(_("Only staff of an organisation that writes the guide can edit it."))
    return user


@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    return render(
        request,
        "knowledge/manage.html",
        {
            "articles": Article.objects.order_by("stage", "order", "slug"),
            "waiting": selectors.versions_waiting(),
            "can_review": selectors.can_review(user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Create an article, or change its step, order, law parameters and sources."""
    user = _editor(request)
    article = get_object_or_404(Article, slug=slug) if slug else None
    if request.method != "POST":
        initial = ArticleForm.initial_for(article) if article else None
        form = ArticleForm(initial=initial)
    else:
        form = ArticleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            saved = services.article_save(
                actor=user,
                article=article,
                slug=article.slug if article else data["slug"],
                stage=data["stage"],
                order=data["order"],
                law_parameters=data["law_parameters"],
                sources=data["sources"],
            )
            messages.success(request, _("The article's settings are saved."))
            return redirect("knowledge:article_manage", slug=saved.slug)
    if article is not None:
        form.fields["slug"].disabled = True
    status = 422 if request.method == "POST" else 200
    return render(
        request, "knowledge/article_form.html", {"form": form, "article": article}, status=status
    )


@login_required
def article_manage(request: HttpRequest, slug: str) -> HttpResponse:
    user = _editor(request)
    article = get_object_or_404(Article, slug=slug)
    versions = list(selectors.article_versions(article=article))
    languages = [
        {
            "code": code,
            "label": label,
            "published": article.published(code),
            "versions": [v for v in versions if v.language == code],
        }
        for code, label in Language.choices
    ]
    return render(
        request,
        "knowledge/article_manage.html",
        {"article": article, "languages": languages, "can_review": selectors.can_review(user)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Edit the open draft of a language, or start one from the latest version."""
    user = _editor(request)
    article = get_object_or_404(Article, slug=slug)
    if language not in Language.values:
        raise Http404
    latest = ArticleVersion.objects.filter(article=article, language=language).first()
    draft = latest if latest is not None and latest.status == VersionStatus.DRAFT else None
    if request.method != "POST":
        base = latest or article.published("en") or article.published("vi")
        initial = {"title": base.title, "summary": base.summary, "body": base.body} if base else {}
        form = DraftForm(initial=initial)
    else:
        form = DraftForm(request.POST)
        if form.is_valid():
            version = services.version_draft_save(
                actor=user, article=article, language=language, version=draft, **form.cleaned_data
            )
            if "submit" in request.POST:
                services.version_submit(actor=user, version=version)
                messages.success(request, _("The draft is sent for review."))
            else:
                messages.success(request, _("The draft is saved."))
            return redirect("knowledge:article_manage", slug=article.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/draft_form.html",
        {
            "form": form,
            "article": article,
            "language": language,
            "language_label": selectors.language_label(language),
            "draft": draft,
        },
        status=status,
    )


@login_required
@require_POST
def version_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    version = get_object_or_404(ArticleVersion.objects.select_related("article"), pk=pk)
    if action == "submit":
        services.version_submit(actor=user, version=version)
        messages.success(request, _("The draft is sent for review."))
    elif action == "publish":
        services.version_publish(actor=user, version=version)
        messages.success(request, _("The version is published."))
    elif action == "return":
        services.version_return(actor=user, version=version, reason=request.POST.get("reason", ""))
        messages.success(request, _("The version is returned to its author as a draft."))
    else:
        raise Http404
    return redirect("knowledge:article_manage", slug=version.article.slug)


@login_required
@require_POST
def mark_reviewed(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    article = get_object_or_404(Article, slug=slug)
    services.article_mark_reviewed(actor=user, article=article)
    messages.success(request, _("The article is marked as up to date with the law."))
    return redirect("knowledge:article_manage", slug=article.slug)
