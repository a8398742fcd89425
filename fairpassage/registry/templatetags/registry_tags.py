"""Labels of the registry's codes, and the text of a {vi, ja, en} value in the page's language."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from fairpassage.core.models import Country, OrganisationKind
from fairpassage.registry.models import HelpKind, Issuer, LicenceStatus
from fairpassage.text.normalise import strip_diacritics

register = template.Library()


@register.filter
def licence_status_label(code: str) -> str:
    extra = {
        "not_issued": _("Not licensed on this date"),
        "no_licence": _("No licence on record"),
    }
    if code in extra:
        return extra[code]
    return str(LicenceStatus(code).label) if code in LicenceStatus.values else code


@register.filter
def issuer_label(code: str) -> str:
    return str(Issuer(code).label) if code in Issuer.values else code


@register.filter
def kind_label(code: str) -> str:
    if code in OrganisationKind.values:
        return str(OrganisationKind(code).label)
    return str(HelpKind(code).label) if code in HelpKind.values else code


@register.filter
def country_label(code: str) -> str:
    return str(Country(code).label) if code in Country.values else code


@register.filter
def local(value: Any) -> str:
    """The page's language from a ``{vi, ja, en}`` mapping, else Vietnamese, English, Japanese."""
    if not isinstance(value, dict):
        return str(value or "")
    language = (get_language() or "vi")[:2]
    for code in (language, "vi", "en", "ja"):
        if value.get(code):
            return str(value[code])
    return ""


@register.filter
def match_label(code: str) -> str:
    """How a search result matched, in words."""
    labels = {
        "exact_licence": _("Same licence number"),
        "licence_digits": _("Same licence number digits"),
        "exact_name": _("Same name"),
        "name_without_diacritics": _("Same name, typed without accents"),
        "same_name_other_form": _("Same name, written another way (legal form, spacing)"),
        "word_order": _("Same words in another order: check that it is the same agency"),
        "similar": _("Similar name, not the same"),
    }
    return labels.get(code, code)


_PHONE_SPLIT = re.compile(r"\s*[;,/]\s*|\s+(?:or|hoặc|または)\s+")


@register.filter
def phone_numbers(text: str) -> list[dict[str, str]]:
    """Each number of a directory entry with the ``tel:`` form a phone dials.

    ``"(813) 3466-3311; (813) 3466-3313"`` gives two numbers, ``+81334663311`` and
    ``+81334663313``; ``"84-24-3846-3000"`` is written with its country code, ``+842438463000``;
    a number starting with 0 or a short number (``110``) is dialled as written.
    """
    out = []
    for part in _PHONE_SPLIT.split(str(text or "").strip()):
        digits = "".join(c for c in part if c.isdigit())
        if not digits:
            continue
        international = part.startswith("+") or (not digits.startswith("0") and len(digits) >= 9)
        out.append({"text": part, "tel": f"+{digits}" if international else digits})
    return out


#: Notes the registry writes itself, re-worded in the page's language whatever language the
#: import ran in (the text must match the message in fairpassage/registry/imports.py).
_SYSTEM_NOTES = ("Date of the change not in the list; recorded on the list's date.",)


def _script_language(text: str) -> str:
    if any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text):
        return "ja"
    if strip_diacritics(text) != text:
        return "vi"
    return "en"


@register.filter
def stored_note(note: str) -> dict[str, str]:
    """A stored history note for the page: ``{text, lang, label}``. A note the registry wrote
    is given in the page's language; any other keeps its words and says which language they
    are in when it is not the page's (``label`` is then the language's name)."""
    page = (get_language() or "vi")[:2]
    for message in _SYSTEM_NOTES:
        for code in ("vi", "ja", "en"):
            with translation.override(code):
                known = _(message)
            if note == known:
                return {"text": _(message), "lang": page, "label": ""}
    lang = _script_language(note)
    label = "" if lang == page or not note else str(_LANGUAGE_NAMES[lang])
    return {"text": note, "lang": lang, "label": label}


_LANGUAGE_NAMES = {
    "vi": gettext_lazy("in Vietnamese"),
    "ja": gettext_lazy("in Japanese"),
    "en": gettext_lazy("in English"),
}
