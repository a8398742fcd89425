"""Display helpers for fee-check results: amounts in dong and translated labels."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fairpassage.checks.forms import CATEGORIES

register = template.Library()

STATUS_LABELS = {
    "violation": _("Against the law"),
    "compliant": _("Within the law"),
    "needs_review": _("Needs review"),
    "advisory": _("Good practice"),
    "not_applicable": _("Does not apply"),
}
VERIFICATION_LABELS = {
    "verified": pgettext_lazy("verification", "verified in the text"),
    "secondary": pgettext_lazy("verification", "from a secondary source, not yet verified"),
    "unverified": pgettext_lazy("verification", "not verified"),
}
CATEGORY_LABELS = dict(CATEGORIES)


@register.filter
def vnd(amount: int | None) -> str:
    """``28200000`` -> ``28.200.000 ₫`` (Vietnamese grouping, whole dong)."""
    if amount is None:
        return "—"
    return f"{int(amount):,} ₫".replace(",", ".")


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def verification_label(level: str) -> str:
    return str(VERIFICATION_LABELS.get(level, level))


@register.filter
def category_label(category: str | None) -> str:
    if not category:
        return str(_("Not recognised"))
    return str(CATEGORY_LABELS.get(category, category))
