"""API schemas of the guide."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class SourceOut(Schema):
    title: str
    url: str
    accessed: str | None = None


class ArticleSummaryOut(Schema):
    slug: str
    stage: str
    language: str
    fallback: bool
    title: str
    summary: str
    reviewed_on: dt.date
    needs_review: bool
    url: str


class ArticleOut(ArticleSummaryOut):
    requested_language: str
    body_markdown: str
    body_html: str
    law_parameters: list[str]
    sources: list[SourceOut]
    law_changed_on: dt.date | None
    review_reason: str
