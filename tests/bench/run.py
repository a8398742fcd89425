"""`make bench`: each figure beside a baseline measured in the same run, with the core count.

The baseline is the cheapest work any request does: decoding and encoding the same JSON. A
ratio keeps the figures comparable across machines. No budget is asserted here; the issues set
them, and this prints what was measured.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from fairpassage import law
from fairpassage.law.taxonomy import classify
from tests.bench.bench_batch import bench_batch
from tests.bench.bench_sdg import bench_sdg
from tests.bench.bench_search import bench_search
from tests.checks.conftest import EXAMPLE as FEE_EXAMPLE
from tests.law.test_earnings import BASE as EARNINGS_EXAMPLE

LABELS = [
    "phi dich vu",
    "Tiền đặt cọc",
    "保証金",
    "vé máy bay",
    "khám sức khỏe",
    "tien moi gioi",
    "渡航費",
    "phí đào tạo tiếng Nhật",
    "Health check",
    "chi phi khac",
]


def per_second(work: Callable[[], Any], *, seconds: float = 1.0, repeats: int = 5) -> float:
    """Median rate over ``repeats`` rounds of about ``seconds`` each."""
    rates = []
    for _round in range(repeats):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            work()
            count += 1
        rates.append(count / elapsed)
    return statistics.median(rates)


def main() -> int:
    law.default_store()  # load the parameters once, as a running server does
    fee_text = json.dumps(FEE_EXAMPLE)
    earnings_text = json.dumps(EARNINGS_EXAMPLE)
    figures = [
        (
            "fee check (one engagement, 2 payments)",
            lambda: law.check_fees(json.loads(fee_text), "vi"),
            lambda: json.dumps(json.loads(fee_text)),
        ),
        (
            "earnings plan (issue example, 120-month horizon)",
            lambda: law.plan_earnings(json.loads(earnings_text), "vi"),
            lambda: json.dumps(json.loads(earnings_text)),
        ),
        (
            "label classification (10 labels)",
            lambda: [classify(label) for label in LABELS],
            lambda: [label.casefold() for label in LABELS],
        ),
    ]
    print(f"== make bench ({os.cpu_count()} cores; rates are medians of 5 one-second rounds)")
    print(f"{'figure':<52} {'per second':>12} {'baseline/s':>12} {'ratio':>8}")
    for name, work, baseline in figures:
        rate, base = per_second(work), per_second(baseline)
        print(f"{name:<52} {rate:>12,.0f} {base:>12,.0f} {base / rate:>7.0f}x")
    print()
    bench_batch()
    print()
    bench_search()
    print()
    bench_sdg()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
