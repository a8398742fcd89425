"""Numbers written into SVG attributes: always with a dot, whatever the page's language.

Django localises numbers in templates, so ``{{ 36.92 }}`` prints "36,92" on a Vietnamese page,
which SVG reads as no number at all (the chart is empty). Every number in an SVG attribute goes
through ``svgnum``; tests/web/test_svg_numbers.py checks the templates and the rendered charts.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter(is_safe=True)
def svgnum(value: object) -> str:
    """``value`` as an SVG number: a dot for decimals, at most two of them, no grouping."""
    if value is None or value == "":
        return "0"
    if isinstance(value, bool):
        raise TypeError("a truth value is not an SVG number")
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"not a number for an SVG attribute: {value!r}") from error
    text = f"{number.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
