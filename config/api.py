"""The REST API root: every app's router, one error shape, the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from fairpassage.cases.api import router as cases_router
from fairpassage.checks.api import router as checks_router
from fairpassage.core.api import router as core_router
from fairpassage.core.errors import (
    ApplicationError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from fairpassage.core.schemas import ErrorOut
from fairpassage.core.validation import refuse_any
from fairpassage.knowledge.api import router as knowledge_router
from fairpassage.registry.api import router as registry_router
from fairpassage.surveys.api import router as surveys_router
from fairpassage.tracker.api import router as tracker_router


def _same_origin(request: HttpRequest) -> bool:
    """Whether a browser says the request comes from another site (``Sec-Fetch-Site`` or an
    ``Origin`` that is not this host). Clients other than browsers send neither header."""
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    host = request.get_host()
    return (
        origin in (f"https://{host}", f"http://{host}") or origin in settings.CSRF_TRUSTED_ORIGINS
    )


class StrictParser(Parser):
    """JSON bodies only: ``Content-Type: application/json`` (415 otherwise, so no page of
    another site can send one as a "simple" cross-site request), never from another site
    (403), and text no database stores (a NUL, a lone surrogate) refused with 422 naming the
    field, before it reaches a service."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise UnsupportedMediaType(field="body")
        if not _same_origin(request):
            raise Forbidden(_("The API does not accept requests sent by another site."))
        data = json.loads(request.body)
        refuse_any(data)
        return data  # type: ignore[no-any-return]

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        refuse_any(result)
        return result


api = NinjaAPI(
    parser=StrictParser(),
    title="Fair Passage API",
    version="0.1.0",
    description=(
        "Fair recruitment checks, agency registry, grievances and referral for Vietnamese "
        'workers in Japan. Errors are always {"error": {"code", "message", "field"}}.'
    ),
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/", core_router)
api.add_router("/", checks_router)
api.add_router("/", registry_router)
api.add_router("/", cases_router)
api.add_router("/", surveys_router)
api.add_router("/", knowledge_router)
api.add_router("/", tracker_router)


def _document_common_errors() -> None:
    """Every operation can answer 413 (a body over the size limit), 415 (a body that is not
    JSON), 422 (a parameter or body that does not parse) and 429 (rate limits): say so in the
    schema once here rather than in every router."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for status in (413, 415, 422, 429):
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(
                            ErrorOut
                        )


_document_common_errors()


def _render(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"error": error.as_dict()}, status=error.status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _render(request, exc)


def field_path(loc: list[Any] | tuple[Any, ...]) -> str | None:
    """``("body", "payload", "payments", 2, "currency")`` -> ``payments[2].currency``."""
    path = ""
    for part in loc:
        if part in ("body", "query", "path", "payload"):
            continue
        path += f"[{part}]" if isinstance(part, int) else f"{'.' if path else ''}{part}"
    return path or None


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = field_path(first.get("loc", ()))
    message = _("The field %(field)s is missing or not valid.") % {"field": field or "?"}
    return _render(request, InvalidInput(message, field=field))


@api.exception_handler(Http404)
def http_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _render(request, NotFound())


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    message = _("The request body is larger than %(mb)s MB.") % {"mb": f"{limit / 1048576:g}"}
    return _render(request, PayloadTooLarge(message, field="body"))


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _render(request, NotAuthenticated())


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ApplicationError):  # refused by the parser, with its reason
        return _render(request, exc.__cause__)
    if exc.status_code == 400:  # a body that is not JSON: the same 422 as any invalid field
        return _render(
            request, InvalidInput(_("The request body is not valid JSON."), field="body")
        )
    error = ApplicationError(str(exc), code="http_error")
    error.status = exc.status_code
    return _render(request, error)


@csrf_exempt  # an API client has no CSRF token: it must get the JSON 404, not a 403 page
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any path under /api/ that names no operation answers in the API's error shape."""
    return _render(request, NotFound(_("There is no API operation at this address.")))
