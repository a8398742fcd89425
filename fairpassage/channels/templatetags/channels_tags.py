"""``{% case_channel case %}``: the chat a grievance came from, on the case page."""

from __future__ import annotations

from typing import Any

from django import template

from fairpassage.cases.models import Case
from fairpassage.channels.selectors import case_channels

register = template.Library()


@register.inclusion_tag("channels/_case_channel.html", takes_context=True)
def case_channel(context: template.Context, case: Case) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"channels": []}
    return {"channels": case_channels(user=user, case=case)}
