"""Render an ApplicationError raised under a page as a translated message with its status, and
refuse page input that no database stores before any view sees it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fairpassage.core.errors import ApplicationError
from fairpassage.core.validation import refuse_text


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        """Every field of every page form and query string goes through the same check as the
        API's bodies (``core.validation``): a NUL character (or a lone surrogate) is refused
        with 422 naming the field, on SQLite as on PostgreSQL, before a view or form runs."""
        if request.path.startswith("/api/"):
            return None  # the API's parser checks its own input and answers in JSON
        try:
            for data in (request.GET, request.POST):
                for name, values in data.lists():
                    refuse_text(name, field=name)
                    for value in values:
                        refuse_text(value, field=name)
            for name, uploads in request.FILES.lists():
                for upload in uploads:
                    refuse_text(upload.name or "", field=name)
        except ApplicationError as error:
            return self.process_exception(request, error)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/") or not isinstance(exception, ApplicationError):
            return None
        return render(request, "web/error.html", {"error": exception}, status=exception.status)


#: No inline script or style anywhere; every resource from this site. The admin keeps Django's
#: own inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ADMIN_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; no-store for staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        admin = "/admin/" in request.path
        response.headers.setdefault(
            "Content-Security-Policy", ADMIN_POLICY if admin else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "no-store, private"  # staff pages: never cached
        return response
