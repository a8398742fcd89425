"""Text and numbers as every database stores them: one check for forms, pages and the API.

PostgreSQL refuses a NUL character in any text column and no database stores a lone surrogate
(half of a UTF-16 pair, which JSON can spell as ``"\\ud800"``); SQLite stores a NUL, so a row
accepted there could not be restored into PostgreSQL. Every way text enters (the API's parser,
the pages' request guard, the services' text cleaning, the restore) asks this module, so the
answer is the same on both databases: 422 naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from fairpassage.core.errors import InvalidInput

#: The largest amount of money a field accepts (in the smallest unit of its currency): ten
#: thousand times the largest claim imaginable, far inside a 64-bit integer column.
MAX_AMOUNT = 10**15


def text_fault(value: str) -> str | None:
    """Why no database can store ``value`` (``"nul"``, ``"surrogate"``), or ``None``."""
    if "\x00" in value:
        return "nul"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "surrogate"
    return None


def refuse_text(value: str, *, field: str) -> None:
    """Raise :class:`InvalidInput` naming ``field`` when ``value`` cannot be stored."""
    fault = text_fault(value)
    if fault == "nul":
        raise InvalidInput(
            _("The field %(field)s may not contain a NUL character."),
            field=field,
            params={"field": field},
        )
    if fault == "surrogate":
        raise InvalidInput(
            _("The field %(field)s holds an invalid character (a lone surrogate)."),
            field=field,
            params={"field": field},
        )


def first_fault(value: Any, path: str = "") -> tuple[str, str] | None:
    """``(dotted path, fault)`` of the first text or key in a JSON-like value that cannot be
    stored, or ``None``."""
    if isinstance(value, str):
        fault = text_fault(value)
        return ((path or "body"), fault) if fault else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            fault = text_fault(str(key))
            found = (where, fault) if fault else first_fault(item, where)
            if found:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = first_fault(item, f"{path}[{index}]")
            if found:
                return found
    return None


def refuse_any(value: Any, *, field: str = "") -> None:
    """:func:`refuse_text` over a JSON-like value; the error names the dotted path."""
    found = first_fault(value, field)
    if found is not None:
        where, fault = found
        refuse_text("\x00" if fault == "nul" else "\ud800", field=where)


def clean_text(value: str | None, *, field: str, required: bool = False, limit: int) -> str:
    """Stripped text that every database stores, at most ``limit`` characters."""
    value = (value or "").strip()
    refuse_text(value, field=field)
    if required and not value:
        raise InvalidInput(_("This field is required."), field=field)
    if len(value) > limit:
        raise InvalidInput(
            _("Keep this under %(limit)d characters."), field=field, params={"limit": limit}
        )
    return value


def check_amount(value: int | None, *, field: str) -> int | None:
    """An amount of money: whole, not negative, at most :data:`MAX_AMOUNT`."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("Give the amount in digits."), field=field)
    if value < 0:
        raise InvalidInput(_("The amount cannot be negative."), field=field)
    if value > MAX_AMOUNT:
        raise InvalidInput(
            _("The amount is too large (at most %(max)s)."),
            field=field,
            params={"max": f"{MAX_AMOUNT:,}"},
        )
    return value
