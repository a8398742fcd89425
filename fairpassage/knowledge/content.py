"""Reading and checking the article files in ``content/<slug>.yaml``.

The format (see docs/knowledge.md)::

    slug: lawful-fees
    stage: fees_contracts
    order: 10
    reviewed_on: 2026-11-27
    law_parameters: [vn.brokerage.max_from_worker_vnd]
    sources:
      - {title: "Law 69/2020/QH14, Art. 7", url: "https://...", accessed: 2026-11-27}
    translations:
      vi: {title: ..., summary: ..., body: ...}
      en: {title: ..., summary: ..., body: ...}
      ja: {title: ..., summary: ..., body: ...}        # optional
      ja-easy: {title: ..., summary: ..., body: ...}   # optional

Every error names the file and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"
STAGES = (
    "deciding",
    "choosing_agency",
    "fees_contracts",
    "training_departure",
    "work_life_japan",
    "problems_help",
    "changing_jobs",
    "returning_home",
)
LANGUAGES = ("vi", "en", "ja", "ja-easy")
REQUIRED_LANGUAGES = ("vi", "en")
#: Path words of the guide's own pages, which an article may not take as its slug.
RESERVED_SLUGS = frozenset({"checklist", "manage", "search", "new", "versions"})
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = {"slug", "stage", "order", "reviewed_on", "law_parameters", "sources", "translations"}
TEXT_LIMITS = {"title": 200, "summary": 600, "body": 40000}


class ContentError(ValueError):
    """An article file does not follow the format; the message names file and field."""


@dataclass(frozen=True)
class Translation:
    title: str
    summary: str
    body: str

    def digest(self) -> str:
        data = json.dumps([self.title, self.summary, self.body], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ArticleFile:
    path: str
    slug: str
    stage: str
    order: int
    reviewed_on: dt.date
    law_parameters: list[str]
    sources: list[dict[str, str]]
    translations: dict[str, Translation] = field(default_factory=dict)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text(where: str, raw: Mapping[str, Any], key: str, limit: int) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}.{key}: required text is missing")
    if len(value) > limit:
        raise ContentError(f"{where}.{key}: longer than {limit} characters")
    return value.strip()


def _sources(name: str, raw: Any) -> list[dict[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ContentError(f"{name}: sources: must be a list")
    out: list[dict[str, str]] = []
    for n, item in enumerate(raw):
        where = f"{name}: sources[{n}]"
        if not isinstance(item, Mapping):
            raise ContentError(f"{where}: must be a mapping with title and url")
        extra = set(item) - {"title", "url", "accessed"}
        if extra:
            raise ContentError(f"{where}: unexpected keys {sorted(extra)}")
        title = _text(where, item, "title", 300)
        url = item.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ContentError(f"{where}.url: must be an http(s) address")
        source = {"title": title, "url": url}
        if item.get("accessed") is not None:
            accessed = _date(item["accessed"])
            if accessed is None:
                raise ContentError(f"{where}.accessed: must be a date YYYY-MM-DD")
            source["accessed"] = accessed.isoformat()
        out.append(source)
    return out


def parse_article(raw: Any, name: str, *, parameter_ids: Collection[str]) -> ArticleFile:
    """Check one parsed file; ``parameter_ids`` are the ids the law parameters may cite."""
    if not isinstance(raw, Mapping):
        raise ContentError(f"{name}: the file must hold a mapping")
    missing = sorted({"slug", "stage", "order", "reviewed_on", "translations"} - set(raw))
    if missing:
        raise ContentError(f"{name}: {missing[0]}: required field is missing")
    extra = set(raw) - KEYS
    if extra:
        raise ContentError(f"{name}: unexpected fields {sorted(extra)}")
    slug = raw["slug"]
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 80:
        raise ContentError(f"{name}: slug: lower-case ascii letters, digits and hyphens only")
    if slug in RESERVED_SLUGS:
        raise ContentError(f"{name}: slug: {slug!r} is reserved for a page of the guide")
    stage = raw["stage"]
    if stage not in STAGES:
        raise ContentError(f"{name}: stage: must be one of {', '.join(STAGES)}")
    order = raw["order"]
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        raise ContentError(f"{name}: order: must be a whole number, 0 or more")
    reviewed_on = _date(raw["reviewed_on"])
    if reviewed_on is None:
        raise ContentError(f"{name}: reviewed_on: must be a date YYYY-MM-DD")
    params = raw.get("law_parameters") or []
    if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
        raise ContentError(f"{name}: law_parameters: must be a list of parameter ids")
    for n, param in enumerate(params):
        if param not in parameter_ids:
            raise ContentError(f"{name}: law_parameters[{n}]: unknown parameter {param!r}")
    translations = raw["translations"]
    if not isinstance(translations, Mapping):
        raise ContentError(f"{name}: translations: must be a mapping of languages")
    unknown = set(translations) - set(LANGUAGES)
    if unknown:
        raise ContentError(
            f"{name}: translations: unknown language {sorted(unknown)[0]!r} "
            f"(use {', '.join(LANGUAGES)})"
        )
    texts: dict[str, Translation] = {}
    for lang in LANGUAGES:
        item = translations.get(lang)
        where = f"{name}: translations.{lang}"
        if item is None:
            if lang in REQUIRED_LANGUAGES:
                raise ContentError(f"{where}: required translation is missing")
            continue
        if not isinstance(item, Mapping):
            raise ContentError(f"{where}: must be a mapping with title, summary and body")
        extra = set(item) - set(TEXT_LIMITS)
        if extra:
            raise ContentError(f"{where}: unexpected keys {sorted(extra)}")
        texts[lang] = Translation(
            **{key: _text(where, item, key, limit) for key, limit in TEXT_LIMITS.items()}
        )
    return ArticleFile(
        path=name,
        slug=slug,
        stage=stage,
        order=order,
        reviewed_on=reviewed_on,
        law_parameters=list(dict.fromkeys(params)),
        sources=_sources(name, raw.get("sources")),
        translations=texts,
    )


def read_articles(directory: Path, *, parameter_ids: Collection[str]) -> list[ArticleFile]:
    """Every ``*.yaml`` file of ``directory``, checked; slugs must be unique."""
    articles: list[ArticleFile] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        name = path.name
        try:
            raw = yaml.safe_load(path.read_text("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise ContentError(f"{name}: not valid YAML ({error})") from error
        article = parse_article(raw, name, parameter_ids=parameter_ids)
        if article.slug in seen:
            raise ContentError(
                f"{name}: slug: {article.slug!r} is also used by {seen[article.slug]}"
            )
        seen[article.slug] = name
        articles.append(article)
    return articles
