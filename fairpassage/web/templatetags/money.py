"""Money written as readers of the page's language write it (one function per format).

Dong: vi ``120.000.000 ₫`` · ja ``120,000,000ドン`` · en ``120.000.000 ₫`` (unchanged).
Yen: vi ``180.000 ¥`` · ja ``180,000円`` · en ``¥180,000`` (unchanged).
In Vietnamese a dot groups thousands and a comma marks decimals, so "¥180,000" would read as
180 yen there; each language gets its own grouping. Amounts are whole units.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import translation

register = template.Library()

Amount = int | float | Decimal | str | None


def _grouped(amount: int, separator: str) -> str:
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", separator)


def vnd_vi(amount: int) -> str:
    """``120000000`` -> ``120.000.000 ₫``."""
    return f"{_grouped(amount, '.')} ₫"


def vnd_ja(amount: int) -> str:
    """``120000000`` -> ``120,000,000ドン``."""
    return f"{_grouped(amount, ',')}ドン"


def vnd_en(amount: int) -> str:
    """``120000000`` -> ``120.000.000 ₫`` (as the English pages always wrote it)."""
    return f"{_grouped(amount, '.')} ₫"


def yen_vi(amount: int) -> str:
    """``180000`` -> ``180.000 ¥``."""
    return f"{_grouped(amount, '.')} ¥"


def yen_ja(amount: int) -> str:
    """``180000`` -> ``180,000円``."""
    return f"{_grouped(amount, ',')}円"


def yen_en(amount: int) -> str:
    """``180000`` -> ``¥180,000``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{_grouped(abs(amount), ',')}"


VND: dict[str, Callable[[int], str]] = {"vi": vnd_vi, "ja": vnd_ja, "en": vnd_en}
YEN: dict[str, Callable[[int], str]] = {"vi": yen_vi, "ja": yen_ja, "en": yen_en}


def _language() -> str:
    return (translation.get_language() or "vi").split("-")[0]


def _whole(amount: Amount) -> int | None:
    if amount is None or amount == "":
        return None
    return int(Decimal(str(amount)).to_integral_value(ROUND_HALF_UP))


@register.filter
def vnd(amount: Amount) -> str:
    """An amount of dong in the active language (``—`` when there is none)."""
    whole = _whole(amount)
    if whole is None:
        return "—"
    return VND.get(_language(), vnd_en)(whole)


@register.filter
def yen(amount: Amount) -> str:
    """An amount of yen in the active language (``—`` when there is none)."""
    whole = _whole(amount)
    if whole is None:
        return "—"
    return YEN.get(_language(), yen_en)(whole)
