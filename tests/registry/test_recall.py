"""The issue's test through the registry itself: a generated list of 1,200 organisations (600
Vietnamese, 600 Japanese, from real naming patterns) imported as a file, then each found by every
deformation of its name or licence number as the first result of the registry's search."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

import pytest

from fairpassage.core.models import Organisation
from fairpassage.registry.imports import agencies_import
from fairpassage.registry.selectors import agencies_search
from fairpassage.text.normalise import normalise_name
from tests.text.corpus import CSV_HEADER, generate
from tests.text.deformations import deformations

pytestmark = pytest.mark.django_db
ORGANISATIONS = generate(vn=600, jp=600)
ON = dt.date(2026, 11, 1)


def _list_file() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*CSV_HEADER, "english_name", "reading"])
    for org in ORGANISATIONS:
        fixed = [org.name, org.country, org.kind, org.licence, "active", "2020-01-01"]
        writer.writerow([*fixed, "", "", "", "", org.english, org.reading])
    return buffer.getvalue().encode("utf-8")


def test_recall_at_one_through_the_registry() -> None:
    report = agencies_import(actor=None, data=_list_file(), filename="corpus.csv", as_of=ON)
    assert report.ok and report.count("create") == 1200
    by_name = dict(Organisation.objects.values_list("name", "pk"))
    keys = [normalise_name(o.core).compact for o in ORGANISATIONS]
    hits: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for org in ORGANISATIONS:
        for kind, query in deformations(org, keys).items():
            found = agencies_search(text=query, on=ON, limit=1)
            ok = bool(found) and found[0].organisation.pk == by_name[org.name]
            hits[f"{org.country} {kind}"].append(ok)
            if ok:
                assert found[0].status == "active"
            else:
                misses.append((kind, query, org.name))
    total = [h for values in hits.values() for h in values]
    print(f"\nregistry recall@1: {sum(total) / len(total):.4f} over {len(total)} queries")
    for kind, values in sorted(hits.items()):
        print(f"  {kind:<18} {sum(values) / len(values):.4f}")
    assert len(total) >= 5 * 1000
    assert sum(total) / len(total) >= 0.99, misses[:20]
