"""Worker's guide: articles, their versions in each language, and the search index.

An :class:`Article` holds what does not depend on the language (stage of the migration cycle,
sources, the law parameters it rests on). Each language has its own history of
:class:`ArticleVersion` rows; the article points at the published one of each language. When a
law parameter the article cites changes, the stored fingerprints no longer match and the article
is flagged for review.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DECIDING = "deciding", _("Deciding to go")
    CHOOSING_AGENCY = "choosing_agency", _("Choosing an agency")
    FEES_CONTRACTS = "fees_contracts", _("Fees and contracts")
    TRAINING_DEPARTURE = "training_departure", _("Training and departure")
    WORK_LIFE_JAPAN = "work_life_japan", _("Work and life in Japan")
    PROBLEMS_HELP = "problems_help", _("Problems and where to get help")
    CHANGING_JOBS = "changing_jobs", _("Changing jobs")
    RETURNING_HOME = "returning_home", _("Returning home")


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    JA = "ja", "日本語"
    EN = "en", "English"
    JA_EASY = "ja-easy", "やさしい日本語"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Article(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    order = models.PositiveIntegerField(_("order within the stage"), default=100)
    law_parameters = models.JSONField(_("law parameters cited"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    reviewed_on = models.DateField(_("last reviewed on"))
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_reason = models.TextField(_("why it needs review"), blank=True)
    law_changed_on = models.DateField(_("the law it cites changed on"), null=True, blank=True)
    parameter_fingerprints = models.JSONField(default=dict, blank=True, editable=False)
    published_vi = models.ForeignKey(
        "ArticleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_ja = models.ForeignKey(
        "ArticleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_en = models.ForeignKey(
        "ArticleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_ja_easy = models.ForeignKey(
        "ArticleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["stage", "order", "slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.slug

    @staticmethod
    def pointer(language: str) -> str:
        """The name of the field that points at the published version of ``language``."""
        return "published_" + language.replace("-", "_")

    def published(self, language: str) -> ArticleVersion | None:
        version: ArticleVersion | None = getattr(self, self.pointer(language))
        return version


class ArticleVersion(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    origin = models.CharField(max_length=8, default="staff", help_text="seed or staff")
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["article", "language", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["article", "language", "number"], name="knowledge_version_number"
            ),
        ]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")

    def __str__(self) -> str:
        return f"{self.article.slug} {self.language} v{self.number}"


class SearchDocument(models.Model):
    """One published translation as folded text, indexed by the database's full-text search.

    The index itself lives beside this table and is created by the migration for the database
    in use: an FTS5 virtual table kept in step by triggers on SQLite, a generated ``tsvector``
    column with a GIN index on PostgreSQL (see :mod:`fairpassage.knowledge.search`).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8, choices=Language.choices)
    title_text = models.TextField()
    body_text = models.TextField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["article", "language"], name="knowledge_search_doc"),
        ]

    def __str__(self) -> str:
        return f"search {self.article_id} {self.language}"
