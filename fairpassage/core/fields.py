"""Encrypted model fields: ciphertext in the database, plain text in Python.

An encrypted field cannot be filtered on (every encryption of the same text differs); store a
keyed hash beside it (``crypto.keyed_hash``) to find records by exact value.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import IsNull

from fairpassage.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted with the product's MultiFernet keys. ``None`` and ``""`` are stored as is."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if value is None:
            return None
        return str(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if not value:
            return value  # type: ignore[no-any-return]
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        """Only ``isnull``: any other lookup is refused (Django raises FieldError)."""
        return IsNull if lookup_name == "isnull" else None
