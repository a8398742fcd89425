"""Counts, and amounts of any currency, written as readers of the page's language write them.

Counts: vi 1.234; ja and en 1,234. Dong and yen are written by ``money.py`` (one function per
format), so a figure reads the same on every page; other currencies by their code. Numbers
inside SVG attributes go through ``svg.svgnum`` instead.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from fairpassage.web.templatetags.money import VND, YEN

register = template.Library()

#: How each language writes an amount of a currency other than dong and yen: (before, after).
CURRENCY_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "vi": {"USD": ("", " USD")},
    "ja": {"USD": ("", "米ドル")},
    "en": {"USD": ("US$", "")},
}


def _language() -> str:
    language = (translation.get_language() or "vi").split("-")[0]
    return language if language in CURRENCY_TEXT else "en"


def grouped(value: int | float | Decimal, language: str | None = None) -> str:
    """A whole number with the language's thousands separator (rounded half away from 0)."""
    number = int(Decimal(str(value)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    separator = "." if (language or _language()) == "vi" else ","
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", separator)


@register.filter
def num(value: int | float | Decimal | None) -> str:
    """``1234`` -> vi "1.234", ja/en "1,234"; empty for no value."""
    if value is None or value == "":
        return ""
    return grouped(value)


@register.filter
def money(value: int | float | Decimal | None, currency: str = "VND") -> str:
    """``120000000`` -> vi "120.000.000 ₫", ja "120,000,000ドン"; ``(180000, "JPY")`` -> vi
    "180.000 ¥", ja "180,000円"."""
    if value is None or value == "":
        return "—"
    language = _language()
    code = (currency or "VND").upper()
    by_language = {"VND": VND, "JPY": YEN}.get(code)
    if by_language is not None:
        whole = int(Decimal(str(value)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
        return by_language[language](whole)
    before, after = CURRENCY_TEXT[language].get(code, (f"{code} ", ""))
    return f"{before}{grouped(value, language)}{after}"
