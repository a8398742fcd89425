"""The second factor in front of every page: one rule, default-deny (``mfa/policy.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from fairpassage.mfa import policy, selectors
from fairpassage.mfa.decorators import second_factor_redirect

HALF_SIGNED_IN = "fairpassage_half_signed_in"


class SecondFactorMiddleware:
    """Every page and operation needs a session past the second factor, except those named in
    ``policy``: the sign-in flow sees the half-signed-in user, public pages see an anonymous
    visitor, anything else is redirected to the second factor (or the sign-in). The API never
    sees a session's user, verified or not: it signs in with a bearer token. It runs after the
    authentication middleware, before any view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, HALF_SIGNED_IN, False):
            # shown as to an anonymous visitor, but to a browser with a staff session
            response.headers["Cache-Control"] = "no-store, private"
        return response

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if _is_api(request, name) or name in policy.WEBHOOKS:
            # The API signs in with a bearer token only (core/auth.py), never with a session.
            if request.user.is_authenticated:
                request.user = AnonymousUser()
            return None
        if name in policy.SIGN_IN_FLOW or selectors.second_factor_verified(request):
            return None
        if name in policy.PUBLIC_PAGES:
            if request.user.is_authenticated:
                setattr(request, HALF_SIGNED_IN, True)
                request.user = AnonymousUser()
            return None
        return second_factor_redirect(request)


def _is_api(request: HttpRequest, name: str) -> bool:
    return name.startswith(f"{policy.API_NAMESPACE}:") or request.path_info.startswith("/api/")
