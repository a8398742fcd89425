"""*Check an agency*: the agency page's search, its "no exact match" wording and its warnings."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from fairpassage.channels.dialogue.common import Context, Turn, buttons, menu_button
from fairpassage.channels.messages import Outgoing
from fairpassage.core.ratelimit import rate_limit
from fairpassage.registry import selectors
from fairpassage.registry.templatetags.registry_tags import (
    country_label,
    issuer_label,
    licence_status_label,
    match_label,
)

FLOW = "agency"
SHOWN = 3
#: As on the page (60 searches a minute), counted per sender instead of per address.
SEARCHES_PER_MINUTE = 60


def start(ctx: Context) -> Turn:
    text = _("Type the agency's name or its licence number.")
    return Turn([Outgoing(text=text, quick_replies=buttons([menu_button()]))], FLOW, "name")


def _line(ctx: Context, match: selectors.AgencyMatch) -> str:
    org = match.organisation
    name = f"{org.name} · {org.name_local}" if org.name_local else org.name
    lines = [f"• {name}", f"  {match_label(match.quality)}"]
    status = licence_status_label(match.status)
    if match.is_valid:
        lines.append(f"  ✓ {status}")
    else:
        lines.append(f"  ⚠ {status}: {_('do not pay this agency')}")
    if match.licence is not None:
        number = f"{match.licence.number} ({issuer_label(match.licence.issuer)})"
        lines.append(f"  {_('Licence')} {number} · {country_label(org.country)}")
    lines.append(f"  {ctx.url('registry:agency', org.slug)}")
    return "\n".join(lines)


def step(ctx: Context, step: str, data: dict[str, object]) -> Turn:
    query = ctx.text[:200]
    if not query:
        return start(ctx)
    rate_limit(
        scope="agency-search-chat",
        key=ctx.incoming.sender_hash,
        limit=SEARCHES_PER_MINUTE,
        window_seconds=60,
    )
    results = selectors.agencies_search(text=query, on=timezone.localdate(), limit=10)
    close = [r for r in results if r.is_close][:SHOWN]
    similar = [r for r in results if not r.is_close][:SHOWN]
    parts: list[str] = []
    if close:
        parts.extend(_line(ctx, r) for r in close)
    else:
        parts.append(
            "⚠ "
            + _("No agency named “%(q)s” is on the lists we hold.") % {"q": query}
            + " "
            # the page's wording, word for word
            + _(
                "An agency that is not on the official lists may be unlicensed: do not pay it "
                "before you have checked, and ask for help."
            )
        )
    if similar and not close:
        parts.append(
            _("Similar names, not the same agency")
            + ": "
            + _(
                "These records only look like what you typed. Do not take their licence for the "
                "agency you asked about."
            )
        )
        parts.extend(_line(ctx, r) for r in similar)
    parts.append(_("Type another name to search again, or tap Menu."))
    search = ctx.url("registry:search")
    return Turn(
        [Outgoing(text="\n\n".join(parts), quick_replies=buttons([menu_button()]), url=search)],
        FLOW,
        "name",
    )
