"""Pages of the core app: an organisation's members and the changes of their roles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from fairpassage.core import selectors
from fairpassage.core.models import Organisation, Role


@require_safe
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Behind the second factor like every staff page (``mfa/middleware.py``)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    people = selectors.members_of(user=request.user, organisation=organisation)
    events = selectors.role_changes(user=request.user, organisation=organisation)[:200]
    changes = [
        {
            "at": e.at,
            "by": e.actor_label,
            "username": e.data.get("username", ""),
            "previous": _label(e.data.get("previous", "")),
            "role": _label(e.data.get("role", "")),
        }
        for e in events
    ]
    return render(
        request,
        "core/members.html",
        {"organisation": organisation, "members": people, "changes": changes},
    )


def _label(role: object) -> str:
    return str(Role(role).label) if role in Role.values else ""
