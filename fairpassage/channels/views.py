"""The providers' webhooks and the staff page of messages that could not be sent.

A webhook looks the account up, checks the signature on the raw body (401, nothing stored,
when it fails), stores the events once and answers 200 at once; the answer is worked out by the
task queue (``tasks.process_event``). It never answers 500 for what a provider sends: a body
it cannot read is answered 200 with nothing stored.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, RawPostDataException
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fairpassage.channels import selectors, services, webhooks
from fairpassage.channels.models import ChannelAccount

Reader = Callable[..., list[webhooks.Received]]


def _receive(
    request: HttpRequest, *, account_id: int, provider: str, header: str, reader: Reader
) -> HttpResponse:
    account = services.account_for_webhook(account_id=account_id, provider=provider)
    try:
        body = request.body
    except RequestDataTooBig:
        return HttpResponse(status=413)
    except RawPostDataException:
        # a form post, already read as form fields: no raw body left to check a signature on
        return HttpResponse(status=401)
    try:
        received = reader(account=account, body=body, signature=request.headers.get(header, ""))
    except webhooks.BadSignature:
        return HttpResponse(status=401)
    services.events_store(account=account, received=received)
    return HttpResponse("OK", content_type="text/plain")


@csrf_exempt
@require_http_methods(["POST"])
def line(request: HttpRequest, account_id: int) -> HttpResponse:
    return _receive(
        request,
        account_id=account_id,
        provider="line",
        header="X-Line-Signature",
        reader=webhooks.line_events,
    )


@csrf_exempt
@require_http_methods(["POST"])
def zalo(request: HttpRequest, account_id: int) -> HttpResponse:
    return _receive(
        request,
        account_id=account_id,
        provider="zalo",
        header="X-ZEvent-Signature",
        reader=webhooks.zalo_events,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def messenger(request: HttpRequest, account_id: int) -> HttpResponse:
    if request.method == "GET":
        account = services.account_for_webhook(account_id=account_id, provider="messenger")
        return _messenger_handshake(request, account)
    return _receive(
        request,
        account_id=account_id,
        provider="messenger",
        header="X-Hub-Signature-256",
        reader=webhooks.messenger_events,
    )


def _messenger_handshake(request: HttpRequest, account: ChannelAccount) -> HttpResponse:
    """Meta checks the address once: echo ``hub.challenge`` when ``hub.verify_token`` is ours."""
    expected = account.credential("verify_token")
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and expected
        and hmac.compare_digest(expected.encode(), given.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponse(status=403)


@require_GET
def failures(request: HttpRequest) -> HttpResponse:
    rows = selectors.outbound_failures_visible(user=request.user)
    return render(request, "channels/failures.html", {"failures": rows[:200]})
