"""A request id on every log line, across the web process and the task workers.

The middleware takes the ``X-Request-ID`` header of an incoming request when it is a valid id
(a load balancer or a proxy in front may set one), or makes a new one, and answers with it. While
the request runs, the id sits in a context variable: the logging filter adds it to every record
(``%(request_id)s``), and ``core.queue.enqueue_on_commit`` passes it to the tasks the request
queues, whose worker sets it again (``bound``) while the task runs. One id then finds the page
view and the background work it started in the logs of both processes.

This module imports nothing of Django at import time: the logging configuration uses it.
"""

from __future__ import annotations

import contextvars
import logging
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
#: What an incoming id may be: letters, digits and ``-_.:``, 8 to 64 of them (a UUID fits).
VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
NONE = "-"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def new() -> str:
    return secrets.token_hex(16)


def valid(value: str) -> bool:
    return bool(VALID.match(value))


def current() -> str:
    """The id of the request or task this code runs for, or ``""``."""
    return _current.get()


@contextmanager
def bound(request_id: str) -> Iterator[str]:
    """Run the block under ``request_id`` (a task under the id of the request that queued it);
    an empty or invalid id gets a new one, so every task's lines can be found together."""
    value = request_id if valid(request_id) else new()
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    """Sets the request id for the request's duration and returns it in ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get(META_KEY, "")
        with bound(incoming if isinstance(incoming, str) else "") as value:
            request.request_id = value  # type: ignore[attr-defined]
            response = self.get_response(request)
        response[HEADER] = value
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get() or NONE
        return True
