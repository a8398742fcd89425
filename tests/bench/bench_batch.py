"""Batch fee checks on 1,000,000 synthetic engagements with five payments each, beside the single
check's throughput on a 2,000-engagement sample of the same tables, measured in the same run.

``bench_batch()`` prints its figures and returns them (called by ``make bench``);
``python -m tests.bench.bench_batch [N]`` runs it alone. The issue's budget: under 10 s, and at
least 20 times the single check's engagements per second.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from fairpassage import law
from fairpassage.law.batch import audit_tables
from fairpassage.law.batch_io import publish, read_tables, row_to_input, write_table
from fairpassage.law.engagement import PAYEES, STAGES
from fairpassage.law.taxonomy import CATEGORIES

ENGAGEMENTS = 1_000_000
PAYMENTS_EACH = 5
SAMPLE = 2_000
BUDGET_SECONDS = 10.0
SPEEDUP = 20.0
LABELS = [
    "Phí dịch vụ",
    "phi dich vu",
    "tiền đặt cọc",
    "保証金",
    "vé máy bay",
    "khám sức khỏe",
    "tien moi gioi",
    "渡航費",
    "học tiếng Nhật",
    "phí đào tạo",
    "Health check",
    "chi phi khac",
    "tiền lót tay",
    "đóng quỹ hỗ trợ việc làm ngoài nước",
    "phí phỏng vấn",
    "ký túc xá",
    "làm hộ chiếu",
    "bảo hiểm",
    "visa fee",
    "abc",
    "khoan 3",
    "phi dv dot 2",
    "sổ đỏ",
    "Agency fee",
]
PAIRS = [(p, s) for p, stages in STAGES.items() for s in stages]


def synthetic(n: int = ENGAGEMENTS, seed: int = 9) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Engagements across the law's dates, programmes and currencies, and their payments."""
    rng = np.random.default_rng(seed)
    pair = rng.integers(0, len(PAIRS), n)
    start = dt.date(2021, 6, 1).toordinal()
    signed = rng.integers(0, dt.date(2027, 12, 31).toordinal() - start, n)
    wait = rng.integers(0, 300, n)
    no_departure = rng.random(n) < 0.1
    vnd_wage = rng.random(n) < 0.1
    wage_jpy = rng.integers(150_000, 300_000, n)

    def flags() -> pl.Series:
        values = rng.integers(0, 3, n)
        return pl.Series(values).replace_strict(
            {0: None, 1: False, 2: True}, return_dtype=pl.Boolean
        )

    engagements = (
        pl.DataFrame(
            {
                "engagement_id": np.arange(n, dtype=np.int64),
                "agency_id": [f"AG{k:03d}" for k in rng.integers(0, 300, n)],
                "programme": [PAIRS[k][0] for k in pair],
                "stage": [PAIRS[k][1] for k in pair],
                "prior": rng.choice(["none", "titp2_completed", "titp3_completed"], n),
                "same_sending_and_supervising": rng.random(n) < 0.3,
                "contract_months": rng.integers(1, 61, n),
                "monthly_basic_wage_amount": np.where(vnd_wage, wage_jpy * 170, wage_jpy),
                "monthly_basic_wage_currency": np.where(vnd_wage, "VND", "JPY"),
                "passport_held": flags(),
                "penalty_contract": flags(),
                "forced_savings": flags(),
                "fx_JPY": rng.integers(16000, 19000, n) / 100,
                "fx_USD": rng.integers(24000, 26000, n).astype(np.float64),
            }
        )
        .with_columns(
            signed_on=pl.lit(dt.date(2021, 6, 1)) + pl.duration(days=pl.lit(pl.Series(signed))),
        )
        .with_columns(
            departs_on=pl.when(pl.Series(no_departure))
            .then(None)
            .otherwise(pl.col("signed_on") + pl.duration(days=pl.lit(pl.Series(wait)))),
        )
    )
    m = n * PAYMENTS_EACH
    currency = rng.choice(["VND", "VND", "VND", "JPY", "USD"], m)
    vnd = rng.integers(0, 60_000_000, m)
    given = rng.random(m) < 0.3
    payments = pl.DataFrame(
        {
            "engagement_id": np.repeat(np.arange(n, dtype=np.int64), PAYMENTS_EACH),
            "label": rng.choice(LABELS, m),
            "category": pl.Series(np.where(given, rng.choice(list(CATEGORIES), m), "")).replace(
                "", None
            ),
            "amount": np.where(currency == "VND", vnd, vnd // 200),
            "currency": currency,
            "payee": rng.choice(list(PAYEES), m),
        }
    )
    return engagements, payments


def single_rate(engagements: pl.DataFrame, payments: pl.DataFrame) -> float:
    """Engagements per second of ``law.check_fees`` on the single check's JSON inputs."""
    sample = engagements.head(SAMPLE)
    ids = sample["engagement_id"].implode()
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for row in payments.filter(pl.col("engagement_id").is_in(ids)).iter_rows(named=True):
        grouped.setdefault(row["engagement_id"], []).append(row)
    inputs = [
        row_to_input(r, grouped.get(r["engagement_id"], [])) for r in sample.iter_rows(named=True)
    ]
    start = time.perf_counter()
    for data in inputs:
        law.check_fees(data, "vi")
    return len(inputs) / (time.perf_counter() - start)


def bench_batch(n: int = ENGAGEMENTS) -> dict[str, Any]:
    """Generate, audit in batch, time the single check on a sample, print and return figures."""
    law.default_store()
    t0 = time.perf_counter()
    engagements, payments = synthetic(n)
    generation = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = audit_tables(engagements, payments)
    batch = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in"
        source.mkdir()
        write_table(engagements, source / "engagements.parquet")
        write_table(payments, source / "payments.parquet")
        t0 = time.perf_counter()
        eng, pay = read_tables(source)
        read_back = audit_tables(eng, pay)

        def write(target: Path) -> None:
            for name in ("findings", "engagements", "agencies", "errors"):
                write_table(getattr(read_back, name), target / f"{name}.parquet")
            (target / "manifest.json").write_text("{}", "utf-8")

        publish(Path(folder) / "out", write)
        files = time.perf_counter() - t0
    rate = n / batch
    single = single_rate(engagements, payments)
    figures = {
        "engagements": n,
        "payments": payments.height,
        "cores": os.cpu_count(),
        "generation_s": round(generation, 2),
        "batch_s": round(batch, 2),
        "batch_per_s": round(rate),
        "files_s": round(files, 2),
        "single_per_s": round(single),
        "ratio": round(rate / single, 1),
        "single_path": result.stats["single_path"],
        "distinct_labels": result.stats["distinct_labels"],
        "findings": result.findings.height,
        "stage_s": result.stats["stage_seconds"],
        "load_average": round(os.getloadavg()[0], 2),
    }
    full = n == ENGAGEMENTS  # the budgets are set for a million engagements
    print(
        f"== batch fee check ({figures['cores']} cores): {n:,} engagements, "
        f"{payments.height:,} payments (generated in {generation:.1f} s, not counted)"
    )
    print(
        f"batch audit       {batch:8.2f} s  {rate:12,.0f} engagements/s"
        + (
            f"   budget < {BUDGET_SECONDS:.0f} s: {'met' if batch < BUDGET_SECONDS else 'MISSED'}"
            if full
            else ""
        )
    )
    print(f"single check      {'':8}    {single:12,.0f} engagements/s   (sample of {SAMPLE:,})")
    print(
        f"ratio             {rate / single:8.1f}x"
        f"   budget >= {SPEEDUP:.0f}x: {'met' if rate / single >= SPEEDUP else 'MISSED'}"
    )
    print(
        f"with Parquet read and write {files:6.2f} s;  {figures['findings']:,} findings;"
        f" {figures['distinct_labels']} distinct labels;"
        f" {figures['single_path']} engagements through the single check"
    )
    stages = ", ".join(f"{k} {v:.2f}" for k, v in figures["stage_s"].items())
    print(
        f"stages (s): {stages}; load average {figures['load_average']} (other work on the machine)"
    )
    return figures


if __name__ == "__main__":
    bench_batch(int(sys.argv[1]) if len(sys.argv) > 1 else ENGAGEMENTS)
