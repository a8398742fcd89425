"""``second_factor_required``: put it on every view that shows or changes case data."""

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


def second_factor_required(view: View) -> View:
    """Signed in, and past the second factor when the user needs one or has set one up.

    Not signed in: to the sign-in page. Needs a second factor but has no authenticator: to the
    set-up page. Has an authenticator but has not used it in this session: to the verification
    page. Each keeps ``next`` so the user comes back here.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if selectors.second_factor_verified(request):
            return view(request, *args, **kwargs)
        if selectors.device_of(user=user) is not None:
            return _to("mfa:verify", request)
        if selectors.second_factor_needed(user):
            return _to("mfa:enrol", request)
        return view(request, *args, **kwargs)

    return wrapped
