"""Earnings-plan wording for workers: a rate's name instead of its parameter id, dates in the
page's language, legal references without the product's data-file paths."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils import formats
from django.utils.translation import get_language

from fairpassage.law.params import default_store

register = template.Library()

_DATA_PATH = re.compile(r"\s*\((?:data|fairpassage)/[^)]*\)")


@register.filter
def rate_name(param_id: str) -> str:
    """A parameter's description in the page's language (its id only if unknown)."""
    try:
        description = default_store().get(param_id).description
    except KeyError:
        return param_id
    language = (get_language() or "vi")[:2]
    for code in (language, "vi", "en"):
        if description.get(code):
            return str(description[code])
    return param_id


@register.filter
def local_date(iso: str) -> str:
    """``2026-03-01`` in the page's short date format."""
    try:
        return str(formats.date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT"))
    except (TypeError, ValueError):
        return iso


@register.filter
def without_paths(text: str) -> str:
    """A legal reference without the product's own file path in brackets."""
    return _DATA_PATH.sub("", str(text))
