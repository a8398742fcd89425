"""Public pages of the site and the error handlers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fairpassage.web.staff_start import staff_start

FALLBACK_500 = (
    "<!doctype html><title>500</title><h1>Đã xảy ra lỗi · エラーが発生しました · "
    "Something went wrong</h1>"
)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"start": staff_start(user=request.user)})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The translated error page; a plain one if even that cannot be rendered."""
    try:
        return render(request, "web/500.html", status=500)
    except Exception:  # the layout itself failed (e.g. the database is down)
        return HttpResponse(FALLBACK_500, status=500, content_type="text/html; charset=utf-8")
