"""*Help now*: the emergency numbers and hotlines of the help directory, for where the worker is.

The emergency numbers come from the cited list the grievance pages show (``cases/emergency.py``);
the hotlines and embassies from the help directory (``registry.HelpEntry``). The directory
lists places by country only (no prefecture or province field), so the worker is asked only the
country.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from fairpassage.cases.choices import WhereNow
from fairpassage.cases.emergency import emergency_contacts
from fairpassage.channels.dialogue.common import Context, Turn, ask, choose, with_menu
from fairpassage.registry import selectors
from fairpassage.registry.models import HelpEntry, HelpKind
from fairpassage.registry.templatetags.registry_tags import country_label, kind_label, local

FLOW = "help"
#: The directory's kinds a worker in trouble calls, in this order.
KINDS = (HelpKind.HOTLINE, HelpKind.EMBASSY, HelpKind.LEGAL_AID, HelpKind.SHELTER)
SHOWN = 8


def _countries() -> list[tuple[str, str]]:
    return [
        (WhereNow.JAPAN, str(WhereNow.JAPAN.label)),
        (WhereNow.VIET_NAM, str(WhereNow.VIET_NAM.label)),
    ]


def start(ctx: Context) -> Turn:
    return Turn([ask(_("Where are you now?"), _countries())], FLOW, "country")


def emergency_lines(lang: str, country: str = "") -> list[str]:
    """``☎ 110 — Police`` for each emergency number of ``country``; without a country, every
    country's numbers under the country's name."""
    contacts = emergency_contacts(language=lang)
    countries = [country] if country else list(dict.fromkeys(c["country"] for c in contacts))
    lines: list[str] = []
    for code in countries:
        if not country:
            lines.append(f"{country_label(code)}:")
        lines += [f"☎ {c['number']} — {c['label']}" for c in contacts if c["country"] == code]
    return lines


def _entry(entry: HelpEntry) -> str:
    lines = [f"• {local(entry.name)} ({kind_label(entry.kind)})"]
    if entry.phone:
        lines.append(f"  ☎ {entry.phone}")
    if entry.hours:
        lines.append(f"  {local(entry.hours)}")
    if entry.email:
        lines.append(f"  {entry.email}")
    return "\n".join(lines)


def directory_lines(country: str) -> list[str]:
    entries = list(selectors.help_entries(country=country).filter(kind__in=KINDS))
    entries.sort(key=lambda e: KINDS.index(HelpKind(e.kind)))
    return [_entry(e) for e in entries[:SHOWN]]


def step(ctx: Context, step: str, data: dict[str, Any]) -> Turn:
    country = choose(ctx.text, _countries())
    if country is None:
        return Turn([ask(_("Choose one of these."), _countries())], FLOW, step, data)
    parts = [
        _("In danger now? Call at once (free, day and night):"),
        *emergency_lines(ctx.lang, country),
    ]
    listed = directory_lines(country)
    if listed:
        parts += ["", _("Hotlines and offices that help workers:"), *listed]
    parts += ["", _("More places to get help:") + f" {ctx.url('registry:help')}"]
    return Turn([with_menu("\n".join(parts), url=ctx.url("registry:help"))])
