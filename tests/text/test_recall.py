"""The issue's recall test: 600 Vietnamese and 600 Japanese invented organisations, each looked
for by its deformations over the whole corpus; the right one must come first."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from fairpassage.text.match import Index
from fairpassage.text.normalise import normalise_name
from tests.text.corpus import CSV_HEADER, generate, write_csv
from tests.text.deformations import JP_KINDS, VN_KINDS, deformations

ORGANISATIONS = generate(vn=600, jp=600)
KEYS = [normalise_name(o.core).compact for o in ORGANISATIONS]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(o.candidate() for o in ORGANISATIONS)


def test_corpus_is_deterministic_and_distinct() -> None:
    assert generate(vn=600, jp=600) == ORGANISATIONS
    assert sum(o.country == "VN" for o in ORGANISATIONS) == 600
    names = {normalise_name(o.name) for o in ORGANISATIONS}
    assert len(names) == len(ORGANISATIONS)
    assert len(set(KEYS)) == len(KEYS)
    assert len({o.licence for o in ORGANISATIONS}) == len(ORGANISATIONS)
    assert any(
        "㈱" in q or "(株)" in q for o in ORGANISATIONS for q in deformations(o, KEYS).values()
    )


def test_recall_at_one_per_deformation(index: Index) -> None:
    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    misses = []
    for org in ORGANISATIONS:
        kinds = VN_KINDS if org.country == "VN" else JP_KINDS
        queries = deformations(org, KEYS)
        assert set(queries) == set(kinds)
        for kind, query in queries.items():
            results = index.search(query, limit=1)
            found = bool(results) and results[0].id == org.id
            hits[(org.country, kind)].append(found)
            if not found:
                misses.append((kind, query, org.name, results[:1]))
    total = [h for values in hits.values() for h in values]
    print(f"\nrecall@1 over {len(ORGANISATIONS)} organisations, {len(total)} queries")
    for (country, kind), values in sorted(hits.items()):
        print(f"  {country} {kind:<14} {sum(values) / len(values):.4f}  ({len(values)})")
    overall = sum(total) / len(total)
    print(f"  overall            {overall:.4f}")
    assert len(total) >= 1000 * 5
    assert overall >= 0.99, misses[:20]


def test_corpus_as_an_import_file(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    assert write_csv(path, ORGANISATIONS) == 1200
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == CSV_HEADER
    assert {r["kind"] for r in rows} == {
        "sending_agency",
        "supervising_organisation",
        "registered_support_organisation",
    }
    assert [r["name"] for r in rows] == [o.name for o in ORGANISATIONS]
    assert all(r["licence_issued_on"] < r["licence_expires_on"] for r in rows)
