"""The Django admin without a door of its own.

Its sign-in page answers with the site's sign-in (throttling, lock-out, audit events, then the
second factor: ``mfa/views.py``), and it opens only for active
platform staff whose session has passed the second factor. ``mfa/middleware.py`` already
refuses every admin page to a session without the second factor; ``has_permission`` says it
again here, so the admin stays shut even if the middleware were taken out.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from fairpassage.mfa import selectors as mfa_selectors


class SiteAdmin(admin.AdminSite):
    site_header = _("Fair Passage administration")
    site_title = _("Fair Passage administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and mfa_selectors.second_factor_verified(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """No sign-in form here: the site's sign-in, coming back to the admin afterwards."""
        candidate = str(request.GET.get("next") or "")
        allowed = url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        next_url = candidate if candidate and allowed else reverse("admin:index")
        return redirect_to_login(next_url, resolve_url("web:login"))
