"""The shared agency search index on PostgreSQL (issue 17, item 4): search latency on 100,000
organisations while another 100,000 are imported, and how long after the import's end a server
answers with the new records.

1. writes 100,000 invented organisations (``tests.text.corpus``) with their licences straight
   into the tables (bulk inserts: faster than an import, the same rows for search) and starts
   one task worker (``manage.py db_worker``), which builds the index;
2. a "server" (this process, ``SEARCH_INDEX_CHECK_SECONDS`` as configured, default 5) waits for it
   and times loading the stored blob;
3. imports another 100,000 in a second process while the server searches (``agencies_search``:
   the index plus the database reads of the results) without pause; p50/p95/max of those;
4. after the import commits, the server searches for a new record every 0.5 s until it is found:
   the seconds from the import's end (budget 60 s).

Needs an empty database of its own (it imports into it):

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/fp_bench .venv/bin/python -m \\
        tests.bench.bench_shared_index [COUNT]
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _cli(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "fairpassage.cli", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _seed(organisations: list[Any]) -> None:
    """The organisations and their licences in bulk, then one registry change (which asks the
    worker for a build on commit)."""
    from django.db import transaction  # noqa: PLC0415

    from fairpassage.core.models import Organisation  # noqa: PLC0415
    from fairpassage.registry.models import Issuer, Licence  # noqa: PLC0415
    from fairpassage.registry.search_index import registry_changed  # noqa: PLC0415
    from fairpassage.text.normalise import licence_key  # noqa: PLC0415

    def issuer(number: str) -> str:
        if "LĐTBXH" in number:
            return Issuer.VN_DOLAB
        return Issuer.JP_OTIT if number.startswith("許") else Issuer.JP_ISA

    with transaction.atomic():
        rows = [
            Organisation(name=o.name, slug=f"bench-{o.id.lower()}", kind=o.kind, country=o.country)
            for o in organisations
        ]
        Organisation.objects.bulk_create(rows, batch_size=2000)
        Licence.objects.bulk_create(
            [
                Licence(
                    organisation=row,
                    issuer=issuer(o.licence),
                    number=o.licence,
                    number_key=licence_key(o.licence),
                )
                for row, o in zip(rows, organisations, strict=True)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        registry_changed()


def main(n: int = 100_000) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from fairpassage.registry import selectors  # noqa: PLC0415
    from fairpassage.registry.models import SearchIndex  # noqa: PLC0415
    from fairpassage.registry.search_index import SharedIndex  # noqa: PLC0415
    from tests.text.corpus import generate, write_csv  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    # Two lists of n: the naming patterns make about 50,000 distinct Japanese names per list.
    first = generate(vn=n // 2, jp=n - n // 2, seed=17, spread=False)
    second = generate(vn=n // 2, jp=n - n // 2, seed=18, spread=False)
    work = Path(tempfile.mkdtemp(prefix="fp-bench-index-"))
    write_csv(work / "second.csv", second)
    figures: dict[str, Any] = {"organisations": n, "imported_during": n, "cores": os.cpu_count()}

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"],
        cwd=ROOT,
        stdout=(work / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        start = time.perf_counter()
        _seed(first)
        figures["seed_s"] = round(time.perf_counter() - start, 1)
        while not SearchIndex.objects.exists():
            time.sleep(0.5)
        row = SearchIndex.objects.order_by("-version").first()
        assert row is not None
        figures["build_s"] = row.build_seconds
        figures["blob_mb"] = round(len(row.blob) / 1e6, 1)
        server = SharedIndex()
        selectors._CACHE = server
        start = time.perf_counter()
        assert server.current() is not None
        figures["load_s"] = round(time.perf_counter() - start, 2)

        rng = random.Random(5)
        queries = [rng.choice((o.core, o.name, o.licence)) for o in rng.sample(first, 400)]
        today = timezone.localdate()
        timings: list[float] = []
        importing = _cli("agencies", "import", str(work / "second.csv"))
        while importing.poll() is None:
            query = queries[len(timings) % len(queries)]
            began = time.perf_counter()
            selectors.agencies_search(text=query, on=today)
            timings.append((time.perf_counter() - began) * 1000)
        ended = time.perf_counter()
        if importing.returncode != 0:
            raise SystemExit("the second import failed")
        figures["searches_during_import"] = len(timings)
        figures["median_ms"] = round(statistics.median(timings), 2)
        figures["p95_ms"] = round(_p(timings, 0.95), 2)
        figures["max_ms"] = round(max(timings), 1)

        newest = second[-1]
        while True:
            found = selectors.agencies_search(text=newest.licence, on=today, limit=1)
            if found and found[0].organisation.name == newest.name:
                break
            if time.perf_counter() - ended > 600:
                raise SystemExit("the new records were not found within 600 s")
            time.sleep(0.5)
        figures["new_records_after_s"] = round(time.perf_counter() - ended, 1)
        row = SearchIndex.objects.order_by("-version").first()
        assert row is not None
        figures["second_build_s"] = row.build_seconds
        figures["second_blob_mb"] = round(len(row.blob) / 1e6, 1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
