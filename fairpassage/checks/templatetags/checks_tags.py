"""Display helpers for fee-check results: amounts in dong and translated labels."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fairpassage.checks.forms import CATEGORIES
from fairpassage.web.templatetags import money
from fairpassage.web.templatetags.dates import day

register = template.Library()
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

STATUS_LABELS = {
    "violation": _("Against the law"),
    "compliant": _("Within the law"),
    "needs_review": _("Needs review"),
    "advisory": _("Good practice"),
    "not_applicable": _("Does not apply"),
    "none": _("No rule found"),
}
VERIFICATION_LABELS = {
    "verified": pgettext_lazy("verification", "verified in the text"),
    "secondary": pgettext_lazy("verification", "from a secondary source, not yet verified"),
    "unverified": pgettext_lazy("verification", "not verified"),
}
CATEGORY_LABELS = dict(CATEGORIES)


@register.filter
def vnd(amount: int | None) -> str:
    """Dong in the page's language: ``28.200.000 ₫`` (vi, en), ``28,200,000ドン`` (ja)."""
    return money.vnd(amount)


@register.filter
def yen(amount: int | None) -> str:
    """Yen in the page's language: ``219.688 ¥`` (vi), ``219,688円`` (ja), ``¥219,688`` (en)."""
    return money.yen(amount)


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


STATUS_ICONS = {
    "violation": "✗",
    "needs_review": "?",
    "advisory": "ℹ",
    "compliant": "✓",
}


@register.filter
def status_icon(status: str) -> str:
    """A sign beside a status's words (never instead of them)."""
    return STATUS_ICONS.get(status, "–")


@register.filter
def verification_label(level: str) -> str:
    return str(VERIFICATION_LABELS.get(level, level))


@register.filter
def category_label(category: str | None) -> str:
    if not category:
        return str(_("Not recognised"))
    return str(CATEGORY_LABELS.get(category, category))


FACT_LABELS = {
    "continuing_trainees": _("Trainees already training"),
    "entry_japanese": _("Japanese needed to enter"),
    "entry_deadline": _("Last date to enter or start"),
    "family": _("Family may come"),
    "fee_cap": _("Cap on fees paid to the sending organisation"),
    "job_change": _("Changing employer"),
    "max_years": _("Longest stay (years)"),
    "min_age": _("Minimum age"),
    "new_plan_applications": _("New training plans accepted"),
    "next_step": _("Next step"),
    "note_code": _("Note"),
    "occupations": _("Occupations"),
    "ssw1": _("SSW (i)"),
    "ssw2": _("SSW (ii)"),
    "stage": _("Stage"),
    "stages": _("Stages"),
    "stage3_condition": _("Condition for stage 3"),
    "starts_on": _("Starts on"),
    "support_plan": _("Support plan"),
    "test_to_next": _("Test to go on"),
    "tests": _("Tests"),
    "years": _("Years"),
}
ROUTE_STATUS = {
    "open": _("Open"),
    "in_force": _("In force"),
    "enacted": _("Enacted, not yet in force"),
    "not_enacted": _("Not yet enacted"),
    "not_started": _("Not yet started"),
    "closing": _("Closing: no new training plans"),
    "closed_to_new_entrants": _("Closed to new entrants"),
}
DUTY_LABELS = {
    "vietnamese_authority": _("Vietnamese authority"),
    "sending_organisation": _("Sending organisation"),
    "supervising_organisation": _("Supervising organisation"),
    "registered_support_organisation": _("Registered support organisation"),
    "employer": _("Employer"),
    "japanese_side_costs": _("Costs the Japanese side pays"),
    "worker": _("You (the worker)"),
    "japanese_authority": _("Japanese immigration authority"),
}


@register.filter
def fact_label(key: str) -> str:
    return str(FACT_LABELS.get(key, key.replace("_", " ").capitalize()))


@register.filter
def fact_value(value: object) -> str:
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    if isinstance(value, dt.date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        return day(value)  # a date reads as the page's language writes it, never ISO
    return str(value)


@register.filter
def route_status(status: str) -> str:
    return str(ROUTE_STATUS.get(status, status))


@register.filter
def duty_label(who: str) -> str:
    return str(DUTY_LABELS.get(who, who))


@register.filter
def is_list(value: object) -> bool:
    return isinstance(value, list)


@register.filter
def is_dict(value: object) -> bool:
    return isinstance(value, dict)
