"""Data migrations for columns that become ``EncryptedTextField``: clear values to ciphertext.

A migration first alters the column to the encrypted field (a text column), then runs
:func:`encrypt_column`; its reverse, :func:`decrypt_column`, runs before the column goes back.
Values are read and written with plain SQL, because the historical model would try to decrypt
the clear text. A value that already is a Fernet token is left alone, so re-running is harmless.
"""

from __future__ import annotations

import re
from typing import Any

from fairpassage.core import crypto

#: A Fernet token: version byte 0x80 in URL-safe base64, then at least 57 more bytes.
_TOKEN = re.compile(r"^gAAAAA[A-Za-z0-9_-]{70,}={0,2}$")


def looks_encrypted(value: str) -> bool:
    return bool(_TOKEN.match(value))


def _rows(schema_editor: Any, table: str, column: str) -> list[tuple[Any, str]]:
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {quote(column)} FROM {quote(table)} "  # noqa: S608 - names from code
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        return list(cursor.fetchall())


def _write(schema_editor: Any, table: str, column: str, pk: Any, value: str) -> None:
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def encrypt_column(schema_editor: Any, table: str, column: str) -> int:
    """Encrypt every clear value of ``table.column``; the number of values encrypted."""
    done = 0
    for pk, value in _rows(schema_editor, table, column):
        if not looks_encrypted(value):
            _write(schema_editor, table, column, pk, crypto.encrypt(value))
            done += 1
    return done


def decrypt_column(schema_editor: Any, table: str, column: str) -> int:
    """The reverse: every encrypted value of ``table.column`` back to clear text."""
    done = 0
    for pk, value in _rows(schema_editor, table, column):
        if looks_encrypted(value):
            _write(schema_editor, table, column, pk, crypto.decrypt(value))
            done += 1
    return done
