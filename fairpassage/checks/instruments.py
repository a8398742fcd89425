"""Legal texts named in the worker's language: the one place that turns the law engine's
citations (English, as the parameters record them) into words, for a fee-check result and for
the letter asking for fees back (:mod:`fairpassage.checks.letter`).

The engine cites ``{"instrument": "Law 69/2020/QH14", "provision": "Art. 23(4)(a)"}``. A worker
reads "khoản 4 Điều 23, Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng
(số 69/2020/QH14)" or 「契約に基づき海外で就労するベトナム人労働者に関する法律（第69/2020/QH14号）
第23条第4項a号」. Names follow docs/i18n/glossary.md ("Laws and standards"). The English citation,
its notes and its link stay for advisers (the folded details of the result).

A provision is put into words only when it is fully understood (articles, clauses, points,
annexes, principles); otherwise it is left out of the worker's text, never shown half-translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Named instruments, matched at the start of the engine's text (first match wins).
NAMED: tuple[tuple[re.Pattern[str], Promise], ...] = (
    (
        re.compile(r"Law 69/2020/QH14\b"),
        _("Law on Vietnamese workers working abroad under contracts (No. 69/2020/QH14)"),
    ),
    (
        re.compile(r"Law 72/2006/QH11\b"),
        _("Law on Vietnamese workers working abroad under contracts of 2006 (No. 72/2006/QH11)"),
    ),
    (
        re.compile(r"Act on Proper Technical Intern Training\b"),
        _(
            "Japan's Act on Proper Technical Intern Training and Protection of Technical Intern "
            "Trainees (Act No. 89 of 2016)"
        ),
    ),
    (re.compile(r"TITP Act\b"), _("Japan's Technical Intern Training Act (Act No. 89 of 2016)")),
    (
        re.compile(r"Ordinance for Enforcement of the Act on Proper Technical Intern Training\b"),
        _("Ordinance for Enforcement of Japan's Technical Intern Training Act (2016)"),
    ),
    (
        re.compile(r"Act on Proper Implementation of Employment for Skill Development\b"),
        _(
            "Japan's Act on Proper Implementation of Employment for Skill Development and "
            "Protection of Skill Development Employees (Act No. 89 of 2016 as amended in 2024)"
        ),
    ),
    (
        re.compile(r"外国人の育成就労の適正な実施及び育成就労外国人の保護に関する法律施行規則"),
        _("Ordinance for Enforcement of Japan's Employment for Skill Development Act (2025)"),
    ),
    (
        re.compile(r"Labour Standards Act\b"),
        _("Japan's Labour Standards Act (Act No. 49 of 1947)"),
    ),
    (
        re.compile(r"Immigration Control and Refugee Recognition Act\b"),
        _("Japan's Immigration Control and Refugee Recognition Act"),
    ),
    (
        re.compile(r"ISA standards for Specified Skilled Worker\b"),
        _("Standards of the Immigration Services Agency of Japan for Specified Skilled Workers"),
    ),
    (
        re.compile(r"ILO General Principles and Operational Guidelines for Fair Recruitment\b"),
        _("ILO General Principles and Operational Guidelines for Fair Recruitment (2019)"),
    ),
)

# Vietnamese legal documents named by kind and number.
NUMBERED: tuple[tuple[re.Pattern[str], Promise], ...] = (
    (re.compile(r"Decree (\S+/NĐ-CP)"), _("Decree No. %(number)s")),
    (re.compile(r"Circular (\S+/TT-\S+)"), _("Circular No. %(number)s")),
    (re.compile(r"Decision (\S+/QĐ-\S+)"), _("Decision No. %(number)s")),
    (re.compile(r"Law (\S+/QH\d+)"), _("Law No. %(number)s")),
)
JAPANESE_ACT = re.compile(r"Act No\. (\d+) of (\d{4})\b")

NOTE = re.compile(r"\s+\(.*$")  # "Annex XI (no other Japan rows)": the note is for advisers
ARTICLE = re.compile(r"Arts?\. (\d+)((?:\(\d+\))?)((?:\([a-z]\))?)(?:-\(([a-z])\))?$")
ARTICLE_ITEM = re.compile(r"Art\. (\d+) item (\d+)$")
ITEMS = re.compile(r"Items? (\d+)(?:-(\d+))?$")
ANNEX = re.compile(r"Annex ([IVXLC]+)$")
PRINCIPLE = re.compile(r"General Principle (\d+)$")


def instrument_name(instrument: str) -> str:
    """The worker's-language name of one instrument ("" when it is not known here)."""
    text = instrument.strip()
    for pattern, name in NAMED:
        if pattern.match(text):
            return str(name)
    for pattern, kind in NUMBERED:
        match = pattern.match(text)
        if match:
            return str(kind) % {"number": match.group(1)}
    match = JAPANESE_ACT.match(text)
    if match:
        return gettext("Japan's Act No. %(number)s of %(year)s") % {
            "number": match.group(1),
            "year": match.group(2),
        }
    return ""


def instrument_names(instrument: str) -> list[str]:
    """Names of the instruments in the engine's text (several are separated by ";")."""
    names = [instrument_name(part) for part in instrument.split(";")]
    return [n for n in dict.fromkeys(names) if n]


def _single_provision(text: str) -> str:
    match = ARTICLE.match(text)
    if match:
        article, clause, point = (g.strip("()") for g in match.groups()[:3])
        last = match.group(4)
        values = {"article": article, "clause": clause, "point": point, "last": last}
        if point and last and clause:
            return (
                gettext("points %(point)s to %(last)s, clause %(clause)s, Article %(article)s")
                % values
            )
        if last:
            return ""
        if point:
            return gettext("point %(point)s, clause %(clause)s, Article %(article)s") % values
        if clause:
            return gettext("clause %(clause)s, Article %(article)s") % values
        return gettext("Article %(article)s") % values
    match = ARTICLE_ITEM.match(text)
    if match:
        return gettext("item %(item)s, Article %(article)s") % {
            "article": match.group(1),
            "item": match.group(2),
        }
    match = ITEMS.match(text)
    if match:
        first, last = match.groups()
        if last:
            return gettext("items %(first)s to %(last)s") % {"first": first, "last": last}
        return gettext("item %(item)s") % {"item": first}
    match = ANNEX.match(text)
    if match:
        return gettext("Annex %(annex)s") % {"annex": match.group(1)}
    match = PRINCIPLE.match(text)
    if match:
        return gettext("General Principle %(number)s") % {"number": match.group(1)}
    return ""


def provision_words(provision: str | None) -> str:
    """``Art. 23(4)(a)`` as the page's language cites it; "" when not fully understood."""
    text = NOTE.sub("", (provision or "").strip())
    if not text:
        return ""
    parts = [_single_provision(p.strip()) for p in text.split(" and ")]
    if not all(parts):
        return ""
    words = parts[0]
    for part in parts[1:]:
        words = gettext("%(first)s and %(second)s") % {"first": words, "second": part}
    return words


def reads_in_full(basis: Mapping[str, Any]) -> bool:
    """Whether the instrument is named and the provision (if any) put into words in full."""
    names = instrument_names(str(basis.get("instrument") or ""))
    provision = NOTE.sub("", str(basis.get("provision") or "").strip())
    return bool(names) and (not provision or bool(provision_words(provision)))


def basis_words(
    basis: Mapping[str, Any], verification_label: Callable[[str], str] | None = None
) -> str:
    """One legal basis in words, in the active language: its instrument(s), the provision when
    understood, and, when it was not read in the text itself and ``verification_label`` is
    given, how sure it is. "" when the instrument is not known here. The result page and the
    letter both write the law with it."""
    names = instrument_names(str(basis.get("instrument") or ""))
    if not names:
        return ""
    name = "; ".join(names)
    provision = provision_words(basis.get("provision")) if len(names) == 1 else ""
    text = (
        gettext("%(provision)s, %(instrument)s") % {"provision": provision, "instrument": name}
        if provision
        else name
    )
    level = str(basis.get("verification") or "verified")
    if level != "verified" and verification_label is not None:
        text = f"{text} ({verification_label(level)})"
    return text
