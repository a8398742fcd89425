"""Sign-in with throttling, then the second factor: set-up (with recovery codes) and check."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fairpassage.core.errors import InvalidInput
from fairpassage.core.models import User
from fairpassage.mfa import selectors, services, totp
from fairpassage.mfa.forms import CodeForm, ThrottledAuthenticationForm


def client_ip(request: HttpRequest) -> str:
    """The peer address. Behind a proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn's
    ``--forwarded-allow-ips``); a client-supplied X-Forwarded-For is never trusted here."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _next_url(request: HttpRequest) -> str:
    candidate = str(request.POST.get("next") or request.GET.get("next") or "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


class ThrottledLoginView(LoginView):
    """Django's sign-in, refused for a while after repeated failures, audited, and followed by
    the second factor for those who have or need one."""

    template_name = "web/login.html"
    form_class = ThrottledAuthenticationForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        form = self.get_form()
        try:
            services.login_allowed_check(username=username, ip=client_ip(request))
        except services.TooManyAttempts as exc:
            assert isinstance(form, ThrottledAuthenticationForm)
            form.refusal = exc.rendered_message()
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if form.has_error("__all__", "invalid_login") or form.has_error("__all__", "inactive"):
            services.login_failure_record(
                username=str(form.data.get("username", "")), ip=client_ip(self.request)
            )
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        super().form_valid(form)  # signs in (a new session key)
        user = form.get_user()
        assert isinstance(user, User)
        services.session_verified_clear(self.request)
        services.login_success_record(user=user, ip=client_ip(self.request))
        next_url = self.get_success_url()
        if selectors.device_of(user=user) is not None:
            return _with_next("mfa:verify", next_url)
        if selectors.second_factor_needed(user):
            return _with_next("mfa:enrol", next_url)
        return HttpResponseRedirect(next_url)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    next_url = _next_url(request)
    if selectors.device_of(user=user) is not None:
        if selectors.second_factor_verified(request):
            return HttpResponseRedirect(next_url)
        return _with_next("mfa:verify", next_url)
    device = services.device_begin(actor=user, user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.device_confirm(
                actor=user, user=user, code=form.cleaned_data["code"]
            )
        except InvalidInput as exc:
            form.add_error("code", exc.rendered_message())
        else:
            services.session_verified_mark(request, device)
            return render(
                request, "mfa/recovery_codes.html", {"codes": codes, "next_url": next_url}
            )
    uri = totp.otpauth_uri(
        secret_b32=device.secret, account=user.get_username(), issuer=_("Fair Passage")
    )
    context = {
        "form": form,
        "next_url": next_url,
        "secret": _grouped(device.secret),
        "uri": uri,
        "qr_svg": _qr_svg(uri),
    }
    return render(request, "mfa/enrol.html", context)


def _qr_svg(uri: str) -> SafeString:
    """The set-up link as a QR code, inline SVG drawn on the server (no script, no image URL)."""
    code = segno.make(uri, error="m", micro=False)
    # segno writes only its own markup; the link's text is encoded in the path, never inserted.
    return mark_safe(code.svg_inline(scale=5, border=4, svgclass="qr", lineclass="qr-line"))  # noqa: S308


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    next_url = _next_url(request)
    if selectors.device_of(user=user) is None:
        return _with_next("mfa:enrol", next_url)
    if request.method == "GET" and selectors.second_factor_verified(request):
        return HttpResponseRedirect(next_url)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_check(user=user, code=form.cleaned_data["code"])
        except services.TooManyAttempts as exc:
            form.add_error("code", exc.rendered_message())
            status = 429
        except InvalidInput as exc:
            form.add_error("code", exc.rendered_message())
        else:
            services.session_verified_mark(request, device)
            return HttpResponseRedirect(next_url)
    return render(request, "mfa/verify.html", {"form": form, "next_url": next_url}, status=status)
