"""API authentication: ``Authorization: Bearer fp_…`` for organisation users."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from fairpassage.core import selectors
from fairpassage.core.models import User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = selectors.api_token_user(plaintext=token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
