"""Display helpers for the tracker: texts in the page's language with a visible fallback."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from fairpassage.tracker import selectors
from fairpassage.tracker.models import Stakeholder, Status, Theme

register = template.Library()


@register.simple_tag
def localised(obj: Any, field: str) -> dict[str, Any]:
    """``{% localised consultation "title" as t %}``: t.text, t.lang, t.fallback."""
    lang = (get_language() or "vi")[:2]
    text, used = selectors.localised(obj, field, lang)
    return {"text": text, "lang": used, "fallback": bool(text) and used != lang}


@register.filter
def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


@register.filter
def theme_label(value: str) -> str:
    return str(Theme(value).label) if value in Theme.values else value


@register.filter
def stakeholder_label(value: str) -> str:
    return str(Stakeholder(value).label) if value in Stakeholder.values else value
