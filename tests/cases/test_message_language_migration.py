"""Migration 0006 labels the messages written before languages were recorded: the worker's in
the grievance's language, staff replies in the language of their organisation's country."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fairpassage.cases import services
from fairpassage.cases.models import Message
from tests.cases.conftest import World, file_grievance

BEFORE = ("cases", "0005_compact_sqlite_after_encryption")


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_existing_messages_get_their_language(world: World) -> None:
    case, _code = file_grievance(language="ja")
    mine = services.grievant_message_post(case=case, body="こんにちは")
    hanoi = services.staff_message_post(
        actor=world.user("vn", "case_worker"), case=case, body="Xin chào", language="en"
    )
    latest = [n for n in MigrationExecutor(connection).loader.graph.leaf_nodes() if n[0] == "cases"]
    try:
        _migrate(BEFORE)
        _migrate(latest[0])
    finally:
        _migrate(latest[0])
    assert Message.objects.get(pk=mine.pk).language == "ja"  # the grievance's language
    assert Message.objects.get(pk=hanoi.pk).language == "vi"  # a Vietnamese organisation
