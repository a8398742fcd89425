"""Where a request without the second factor is sent, and ``second_factor_required`` for views
that want the rule spelt out on themselves too (the middleware applies it to every page)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from fairpassage.mfa import selectors

View = Callable[..., HttpResponse]


def _to(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def second_factor_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Where to send a request that has not passed the second factor.

    Not signed in: to the sign-in page. Signed in without an authenticator: to the set-up page.
    With an authenticator not used in this session: to the verification page. Each keeps
    ``next`` so the user comes back here.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if selectors.device_of(user=user) is not None:
        return _to("mfa:verify", request)
    return _to("mfa:enrol", request)


def second_factor_required(view: View) -> View:
    """Signed in, and past the second factor in this session; otherwise redirected."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if selectors.second_factor_verified(request):
            return view(request, *args, **kwargs)
        return second_factor_redirect(request)

    return wrapped
