"""Display helpers for the reference exchange rates shown under a fee-check result."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from fairpassage.checks.templatetags.checks_tags import STATUS_LABELS

register = template.Library()


@register.filter
def rate_number(value: float) -> str:
    """``173.0828`` -> ``173,08`` in Vietnamese, ``173.08`` otherwise; whole numbers grouped."""
    vietnamese = (get_language() or "vi").startswith("vi")
    text = f"{value:,.0f}" if value >= 1000 else f"{value:,.2f}"
    if vietnamese:
        text = text.replace(",", "\\0").replace(".", ",").replace("\\0", ".")
    return text


@register.filter
def month_label(month: str) -> str:
    """``2025-06`` -> ``06/2025`` (vi), ``2025年6月`` (ja), ``06/2025`` (en)."""
    year, _sep, number = month.partition("-")
    if (get_language() or "vi").startswith("ja"):
        return f"{year}年{int(number)}月"
    return f"{number}/{year}"


@register.filter
def fx_status(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
