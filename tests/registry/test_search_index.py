"""One search index for every server, built by a task and never inside a request (issue 17,
item 4): the registry change asks for a build on commit, servers swap to a new stored index and
keep answering from the old one meanwhile, and before the first build search answers from the
database."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import override_settings
from django_tasks import default_task_backend

from fairpassage.cli import main
from fairpassage.core.models import Country, OrganisationKind
from fairpassage.core.services import organisation_create
from fairpassage.registry import search_index
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.models import SearchIndex
from fairpassage.registry.search_index import IndexRefused, SharedIndex
from fairpassage.registry.selectors import agencies_search
from tests.registry.conftest import csv_bytes
from tests.registry.test_imports import NOV_1, SAKURA, SAO_MAI

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 10)
SAO_KHUE = "Công ty TNHH Sao Khuê,VN,sending_agency,456/LĐTBXH-GP,active,2020-01-01,,,,"
#: A backend that keeps enqueued tasks without running them: a worker that has not run yet.
QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued_only() -> Iterator[Any]:
    with override_settings(TASKS=QUEUED_ONLY):
        backend = default_task_backend
        backend.clear()  # type: ignore[attr-defined]
        yield backend
        backend.clear()  # type: ignore[attr-defined]


def _import(*rows: str) -> None:
    report = agencies_import(actor=None, data=csv_bytes(*rows), filename="l.csv", as_of=NOV_1)
    assert not report.errors, report.errors


def _builds(backend: Any) -> list[Any]:
    return [r for r in backend.results if r.task.name == "search_index_build_task"]


def test_without_an_index_search_answers_from_the_database_and_asks_for_one_build(
    queued_only: Any,
) -> None:
    _import(SAO_MAI, SAKURA)
    found = agencies_search(text="123/LĐTBXH-GP", on=ON)
    assert [m.organisation.name for m in found] == ["Công ty Cổ phần Nhân lực Sao Mai"]
    assert found[0].quality == "exact_licence"
    assert agencies_search(text="Nhân lực Sao", on=ON)[0].quality == "similar"
    assert not SearchIndex.objects.exists(), "a request never builds the index"
    agencies_search(text="Sao Mai", on=ON)
    assert len(_builds(queued_only)) == 1, "one build asked for, not one per request"


def test_a_registry_change_asks_for_a_build_on_commit(
    queued_only: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import(SAO_MAI)
    assert callbacks
    assert len(_builds(queued_only)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        organisation_create(
            actor=None,
            name="Hội hỗ trợ lao động",
            kind=OrganisationKind.SUPPORT_ORGANISATION,
            country=Country.VIET_NAM,
        )
    assert len(_builds(queued_only)) == 2


def test_servers_keep_the_old_index_until_the_new_one_is_stored(queued_only: Any) -> None:
    _import(SAO_MAI)
    assert search_index.search_index_build() is not None
    server_a, server_b = SharedIndex(), SharedIndex()
    assert server_a.search("Sao Mai Nhân lực", country="", limit=1)[0].reason == "word_order"

    _import(SAO_MAI, SAO_KHUE)  # a worker has not built the new version yet
    assert not server_a.search("Sao Khue", country="", limit=5), "old index still answers"
    assert server_b.search("Sao Mai", country="", limit=1), "a new server loads the stored one"
    assert SearchIndex.objects.count() == 1, "no request built an index"
    assert len(_builds(queued_only)) == 1

    row = search_index.search_index_build()  # what the worker runs
    assert row is not None
    assert row.organisations == 2
    for server in (server_a, server_b):
        found = server.search("Sao Khue", country="", limit=5)
        assert found, "every server answers with the new records"
        assert found[0].matched == "Công ty TNHH Sao Khuê"


def test_a_build_of_a_stored_version_is_skipped_and_old_versions_are_dropped() -> None:
    _import(SAO_MAI)
    first = search_index.search_index_build()
    assert first is not None
    assert search_index.search_index_build() is None
    _import(SAO_MAI, SAKURA)
    second = search_index.search_index_build()
    _import(SAO_MAI, SAKURA, SAO_KHUE)
    third = search_index.search_index_build()
    assert second is not None
    assert third is not None
    kept = list(SearchIndex.objects.order_by("version").values_list("version", flat=True))
    assert kept == [second.version, third.version]


def test_a_blob_not_signed_with_this_installations_secret_is_refused() -> None:
    _import(SAO_MAI)
    row = search_index.search_index_build()
    assert row is not None
    blob = bytes(row.blob)
    assert search_index.loads(blob).index.search("Sao Mai")
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(IndexRefused):
        search_index.loads(tampered)
    other = "another installation's secret key, long enough 0123"
    with override_settings(SECRET_KEY=other), pytest.raises(IndexRefused):
        search_index.loads(blob)


def test_the_country_filter_applies_to_the_stored_index() -> None:
    _import(SAO_MAI, SAKURA)
    search_index.search_index_build()
    assert agencies_search(text="サクラ", on=ON, country="VN") == []
    assert agencies_search(text="サクラ", on=ON, country="JP")[0].organisation.country == "JP"


def test_cli_builds_the_index(capsys: pytest.CaptureFixture[str]) -> None:
    _import(SAO_MAI, SAKURA)
    assert main(["agencies", "build-index"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["built"] is True
    assert printed["organisations"] == 2
    assert main(["agencies", "build-index"]) == 0
    assert json.loads(capsys.readouterr().out) == {"built": False}
    assert main(["agencies", "build-index", "--force"]) == 0
    assert json.loads(capsys.readouterr().out)["built"] is True
    assert SearchIndex.objects.count() == 1


def test_an_index_of_another_secret_is_not_loaded_and_search_still_answers() -> None:
    _import(SAO_MAI)
    with override_settings(SECRET_KEY="the key before a rotation, long enough 0123456789"):
        assert search_index.search_index_build() is not None
    server = SharedIndex()
    found = server.search("123/LĐTBXH-GP", country="", limit=1)
    assert found[0].reason == "exact_licence", "answered from the database"
    assert main(["agencies", "build-index", "--force"]) == 0
    assert server.search("Sao Mai Nhân lực", country="", limit=1)[0].reason == "word_order"


def test_slugs_of_many_names_in_japanese_script_are_found_in_one_pass() -> None:
    """Every name in Japanese script slugifies to the same base: 20,000 of them took minutes
    when each one scanned the numbers from 2 (an import of 100,000 organisations)."""
    from fairpassage.registry.imports import _slug  # noqa: PLC0415 - the helper itself

    taken = {"organisation", "organisation-3"}
    numbers: dict[str, int] = {}
    start = time.perf_counter()
    slugs = [_slug("サクラ事業協同組合", taken, numbers) for _ in range(20_000)]
    assert time.perf_counter() - start < 5
    assert slugs[:3] == ["organisation-2", "organisation-4", "organisation-5"]
    assert len(set(slugs)) == 20_000
