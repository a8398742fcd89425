"""A day written as readers of the page's language write it (never an ISO date on the page).

vi: 10/02/2025 · ja: 2025年2月10日 · en: 10 Feb 2025. Machine-readable dates stay in
``<time datetime>`` attributes and in the API.
"""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def day(value: dt.date | str | None) -> str:
    """``value`` (a date, a datetime or an ISO date string) in the active language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):  # the day where the page is read, not in UTC
            value = timezone.localtime(value)
        value = value.date()
    language = (translation.get_language() or "vi").split("-")[0]
    if language == "vi":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if language == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return str(date_format(value, "j M Y"))


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A date and time where the page is read: vi "10/02/2025 14:05", ja "2025年2月10日 14:05"."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{day(value)} {value.hour:02d}:{value.minute:02d}"


ISO_IN_TEXT = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@register.filter
def dates_in_text(text: str | None) -> str:
    """Every ISO date inside ``text`` (a cited provision, a note) written as ``day`` writes it."""
    if not text:
        return ""
    return ISO_IN_TEXT.sub(lambda match: day(match.group(1)), str(text))


@register.filter
def month(value: str | dt.date | None) -> str:
    """A month (``"2025-02"`` or a date) in the active language: vi 02/2025, ja 2025年2月,
    en Feb 2025."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:7] + "-01")
    language = (translation.get_language() or "vi").split("-")[0]
    if language == "vi":
        return f"{value.month:02d}/{value.year}"
    if language == "ja":
        return f"{value.year}年{value.month}月"
    return str(date_format(value, "M Y"))
