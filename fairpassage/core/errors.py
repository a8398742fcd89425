"""One error family for the whole product.

Services raise an :class:`ApplicationError`; pages render it as a translated message and the
API as ``{"error": {"code", "message", "field"}}`` with its 4xx status. Nothing else decides how
an error looks.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """An error the user can act on; a lazy ``message`` renders in the active language."""

    code = "error"
    status = 400
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        field: str | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.field = field
        if code is not None:
            self.code = code
        self.params = params or {}
        super().__init__(str(self.message))

    def rendered_message(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.rendered_message(), "field": self.field}


class InvalidInput(ApplicationError):
    code = "invalid"
    status = 422
    default_message = _("This value is not valid.")


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status = 401
    default_message = _("Sign in, or send a valid API token.")


class Forbidden(ApplicationError):
    code = "forbidden"
    status = 403
    default_message = _("You do not have permission to do this.")


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    default_message = _("Nothing was found here.")


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with what is already recorded.")


class Gone(ApplicationError):
    code = "gone"
    status = 410
    default_message = _("This address was removed.")


class PayloadTooLarge(ApplicationError):
    code = "too_large"
    status = 413
    default_message = _("The request is too large.")


class UnsupportedMediaType(ApplicationError):
    code = "unsupported_media_type"
    status = 415
    default_message = _("Send the body as JSON, with the header Content-Type: application/json.")


class TooManyRequests(ApplicationError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Please wait a few minutes and try again.")


class Unavailable(ApplicationError):
    code = "unavailable"
    status = 503
    default_message = _("The service is temporarily unavailable. Please try again shortly.")
