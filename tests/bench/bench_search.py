"""Agency search latency over 100,000 invented organisations, beside a same-run baseline.

The organisations come from :mod:`tests.text.corpus` (half Vietnamese, half Japanese), the queries
from :mod:`tests.text.deformations` (every kind: no diacritics, legal form, half width, typo,
licence number, word order, kana, romaji) plus bare brand names, drawn with a fixed seed. The
baseline is the cheapest search there is: one ``str.find`` of the folded query over the folded
names joined in one string (exact substrings only). The issue's budget is p95 under 20 ms.

.venv/bin/python -m tests.bench.bench_search [COUNT]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from fairpassage.text.match import Index
from fairpassage.text.normalise import fold, normalise_name
from tests.text.corpus import generate
from tests.text.deformations import deformations

QUERIES = 600
SEED = 11


def _timings(work: Callable[[str], Any], queries: list[str]) -> list[float]:
    out = []
    for query in queries:
        start = time.perf_counter()
        work(query)
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


def _p95(values: list[float]) -> float:
    return values[min(len(values) - 1, int(0.95 * len(values)))]


def bench_search(n: int = 100_000, *, echo: bool = True) -> dict[str, Any]:
    """Build an index over ``n`` organisations, time a mix of queries; figures in ms and s."""
    organisations = generate(vn=n // 2, jp=n - n // 2, seed=SEED, spread=False)
    start = time.perf_counter()
    index = Index.build(o.candidate() for o in organisations)
    build_s = time.perf_counter() - start

    rng = random.Random(SEED)
    keys = [normalise_name(o.core).compact for o in organisations]
    queries: list[str] = []
    for org in rng.sample(organisations, QUERIES):
        kinds = deformations(org, keys)
        kind = rng.choice([*kinds, "brand"])
        queries.append(org.parts[-1] if kind == "brand" else kinds[kind])

    haystack = "\n".join(fold(o.name) for o in organisations)
    search = _timings(index.search, queries)
    baseline = _timings(lambda q: haystack.find(fold(q)), queries)
    figures: dict[str, Any] = {
        "organisations": n,
        "queries": len(queries),
        "cores": os.cpu_count(),
        "build_s": round(build_s, 2),
        "median_ms": round(statistics.median(search), 3),
        "p95_ms": round(_p95(search), 3),
        "max_ms": round(search[-1], 3),
        "baseline_median_ms": round(statistics.median(baseline), 3),
        "baseline_p95_ms": round(_p95(baseline), 3),
    }
    figures["ratio_median"] = round(figures["median_ms"] / figures["baseline_median_ms"], 1)
    if echo:
        print(
            f"agency search ({n:,} organisations, {len(queries)} queries, "
            f"{figures['cores']} cores): index built in {figures['build_s']} s; "
            f"median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms "
            f"(budget p95 < 20 ms); baseline str.find scan median "
            f"{figures['baseline_median_ms']} ms, p95 {figures['baseline_p95_ms']} ms; "
            f"ratio {figures['ratio_median']}x"
        )
    return figures


if __name__ == "__main__":
    bench_search(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
