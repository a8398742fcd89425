"""The raw database holds no passport number, phone number or statement in clear text."""

from __future__ import annotations

import pytest
from django.db import connection

from fairpassage.cases import people, returns, services
from fairpassage.cases.models import Case
from tests.cases.conftest import World, file_grievance

pytestmark = pytest.mark.django_db

PASSPORT = "C7788991"
PHONE_DIGITS = "901234567"
STATEMENT = "Chủ sử dụng giữ hộ chiếu của tôi tại Gifu"


def _all_raw_text() -> str:
    """Every text column of every table of the app, read with plain SQL."""
    found: list[str] = []
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t.startswith("cases_")]
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                found.extend(str(value) for value in row if value is not None)
    return "\n".join(found)


def test_personal_data_is_not_stored_in_clear(world: World) -> None:
    cw = world.user("vn", "case_worker")
    case, code = file_grievance(statement=STATEMENT, contact=f"+84 {PHONE_DIGITS}")
    worker = people.worker_create(
        actor=cw,
        organisation=world.vn,
        full_name="Lê Văn C",
        passport_number=PASSPORT,
        phone=f"+84 {PHONE_DIGITS}",
        chat_handles="zalo:levanc",
        address_vn="12 Phố Huế",
    )
    services.note_add(actor=cw, case=case, body=f"Hộ chiếu {PASSPORT}", language="vi")
    services.grievant_message_post(code=code, body=f"Số của tôi {PHONE_DIGITS}")
    services.task_add(actor=cw, case=case, title=f"Gọi {PHONE_DIGITS}")
    # what staff write about the person (issue 13, item 7; the whole database and pg_dump in
    # tests/security/test_item_07_free_text_encrypted.py)
    services.case_status_change(
        actor=cw, case=case, status="active", reason=f"Gọi được số {PHONE_DIGITS}"
    )
    returns.certificate_add(actor=cw, case=case, kind="japanese_level", name="JLPT N4 Lê Văn C")
    raw = _all_raw_text()
    for secret in (
        PASSPORT,
        PHONE_DIGITS,
        STATEMENT,
        "Gifu",
        "Lê Văn C",
        "levanc",
        "Phố Huế",
        code,
    ):
        assert secret not in raw, secret
    # the same values read back through the models
    assert Case.objects.get(pk=case.pk).statement == STATEMENT
    worker.refresh_from_db()
    assert worker.passport_number == PASSPORT
    # and the specific columns are ciphertext, read raw
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, contact FROM cases_case WHERE id = %s", [case.pk])
        statement, contact = cursor.fetchone()
        cursor.execute("SELECT passport_number, phone FROM cases_worker WHERE id = %s", [worker.pk])
        passport, phone = cursor.fetchone()
    for value in (statement, contact, passport, phone):
        assert value.startswith("gAAAAA")  # a Fernet token
