"""The batch fee check gives, row by row, what the single check gives on the same input."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairpassage.law import InputError, check_fees
from fairpassage.law.batch import audit_tables
from fairpassage.law.batch_io import frames_from_inputs, read_tables, write_table
from fairpassage.law.engagement import PAYEES, PRIORS, STAGES, parse_engagement
from fairpassage.law.lexicon import LEXICON
from fairpassage.law.rules import run_audit
from fairpassage.law.taxonomy import CATEGORIES
from tests.bench.bench_batch import synthetic
from tests.law.helpers import load_cases

BOUNDARY_DATES = [
    "2017-11-01",
    "2019-03-28",
    "2021-12-31",
    "2022-01-01",
    "2022-02-01",
    "2022-06-30",
    "2022-07-01",
    "2024-05-14",
    "2024-05-15",
    "2026-01-01",
    "2026-06-29",
    "2026-06-30",
    "2027-03-31",
    "2027-04-01",
]
PHRASES = sorted({p for phrases in LEXICON.values() for p in phrases})
FREE_TEXT = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs"], exclude_characters="\x00"), max_size=10
)
SUMMARY_KEYS = (
    "status",
    "total_paid_vnd",
    "excess_vnd",
    "worker_borne_recruitment_costs_vnd",
    "unclassified_vnd",
)


def _date(draw: Any, low: str = "2016-01-01") -> str:
    later = [d for d in BOUNDARY_DATES if d >= low]
    if later and draw(st.booleans()):
        return str(draw(st.sampled_from(later)))
    start = dt.date.fromisoformat(low)
    day = draw(st.dates(min_value=start, max_value=max(start, dt.date(2028, 12, 31))))
    return str(day.isoformat())


@st.composite
def labels(draw: Any) -> str:
    kind = draw(st.integers(0, 5))
    if kind <= 2:
        phrase = str(draw(st.sampled_from(PHRASES)))
        return phrase.upper() if kind == 1 else phrase
    if kind == 3:
        return f"{draw(st.sampled_from(PHRASES))} + {draw(st.sampled_from(PHRASES))}"
    if kind == 4:
        return f"  {draw(st.sampled_from(PHRASES))} đợt {draw(st.integers(1, 3))} "
    return str(draw(FREE_TEXT))


@st.composite
def money(draw: Any, top: int) -> int | str | float:
    """An amount as an integer (mostly), a decimal text or a float with two decimals."""
    whole: int = draw(st.integers(0, top))
    style = draw(st.sampled_from(["int", "int", "int", "text", "float"]))
    if style == "int":
        return whole
    cents = draw(st.integers(0, 99))
    return f"{whole}.{cents:02d}" if style == "text" else float(f"{whole}.{cents:02d}")


@st.composite
def payment(draw: Any, currencies: list[str]) -> dict[str, Any]:
    p: dict[str, Any] = {"label": draw(labels())}
    if draw(st.integers(0, 3)) == 0:
        p["category"] = draw(st.sampled_from(CATEGORIES))
    p["currency"] = draw(st.sampled_from(currencies))
    p["amount"] = draw(money(200_000_000 if p["currency"] == "VND" else 2_000_000))
    if draw(st.booleans()):
        p["payee"] = draw(st.sampled_from(PAYEES))
    if draw(st.integers(0, 3)) == 0:
        p["paid_on"] = _date(draw)
    return p


@st.composite
def engagement(draw: Any) -> dict[str, Any]:
    programme = draw(st.sampled_from(sorted(STAGES)))
    fx: dict[str, Any] = {"JPY": draw(st.sampled_from([170, "170.5", 165.25, "158.1234"]))}
    if draw(st.booleans()):
        fx["USD"] = draw(st.sampled_from([25400, "25400.5", 24000.0]))
    currencies = ["VND", "VND", *fx]
    signed = _date(draw)
    data: dict[str, Any] = {
        "programme": programme,
        "contract_months": draw(st.integers(1, 120)),
        "monthly_basic_wage": {
            "amount": draw(money(400_000)) or 1,
            "currency": draw(st.sampled_from(["JPY", "JPY", "VND"])),
        },
        "signed_on": signed,
        "payments": draw(st.lists(payment(currencies), max_size=7)),
        "fx": fx,
    }
    if data["monthly_basic_wage"]["currency"] == "VND":
        data["monthly_basic_wage"]["amount"] = draw(st.integers(1, 90_000_000))
    if draw(st.integers(0, 4)):
        data["stage"] = draw(st.sampled_from(STAGES[programme]))
    if draw(st.booleans()):
        data["prior"] = draw(st.sampled_from(PRIORS))
    if draw(st.booleans()):
        data["same_sending_and_supervising"] = draw(st.booleans())
    if draw(st.integers(0, 4)):
        data["departs_on"] = _date(draw, signed)
    # issue 14: the sending unit, an extension, what the Japanese side paid
    if not draw(st.integers(0, 5)):
        data["sender"] = draw(st.sampled_from(["service_enterprise", "public_unit"]))
    if not draw(st.integers(0, 5)):
        data["extension_months"] = draw(st.integers(1, 36))
    if not draw(st.integers(0, 5)):
        data["japanese_side_paid_service_fee"] = {
            "amount": draw(money(60_000_000)),
            "currency": draw(st.sampled_from(["VND", "JPY"])),
        }
    conduct = {
        k: draw(st.sampled_from([True, False, None]))
        for k in ("passport_held", "penalty_contract", "forced_savings")
    }
    data["conduct"] = {k: v for k, v in conduct.items() if v is not None}
    return data


def _break(data: dict[str, Any], how: int) -> None:
    """Make one engagement invalid in a way a table can carry."""
    payments = data["payments"]
    if how == 0:
        data["programme"] = "tiTP"
    elif how == 1:
        data["contract_months"] = 0 if data["contract_months"] % 2 else 121
    elif how == 2:
        data["monthly_basic_wage"]["amount"] = -5
    elif how == 3:
        data["signed_on"] = "2024-02-30"
    elif how == 4:
        data["departs_on"] = "2015-12-31"
    elif how == 5:
        data["monthly_basic_wage"]["currency"] = "EUR"
    elif how == 6 and payments:
        payments[-1]["amount"] = -1
    elif how == 7 and payments:
        payments[0]["label"], payments[0]["category"] = "   ", ""
    elif how == 8 and payments:
        payments[-1]["payee"] = "boss"
    elif how == 9 and payments:
        payments[0]["currency"] = "GBP"
    else:
        data["stage"] = "ssw2" if data["programme"] != "ssw" else "titp1"


@st.composite
def batches(draw: Any) -> list[dict[str, Any]]:
    inputs: list[dict[str, Any]] = draw(st.lists(engagement(), min_size=1, max_size=8))
    for data in inputs:
        if draw(st.integers(0, 5)) == 0:
            _break(data, draw(st.integers(0, 10)))
    return inputs


def _expected(data: dict[str, Any]) -> dict[str, Any] | InputError:
    try:
        report = check_fees(data, "en")
    except InputError as error:
        return error
    keys = [f.message_key for f in run_audit(parse_engagement(data)).findings]
    findings = Counter(
        (
            f["rule"],
            f["status"],
            key,
            f["excess_vnd"],
            f["limit_vnd"],
            f["paid_vnd"],
            f["payments"][0] if f["rule"] == "PAYMENT-UNCLASSIFIED" else None,
        )
        for f, key in zip(report["findings"], keys, strict=True)
    )
    return {"findings": findings, "summary": report["summary"]}


def _roundtrip(engagements: pl.DataFrame, payments: pl.DataFrame, fmt: str) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        write_table(engagements, Path(folder) / f"engagements.{fmt}")
        write_table(payments, Path(folder) / f"payments.{fmt}")
        return read_tables(Path(folder))


def compare(
    inputs: list[dict[str, Any]], fmt: str | None = None, *, interleave: bool = False
) -> dict[str, Any]:
    """Run the batch on tables made from the inputs and compare with the single check.

    ``interleave``: payment rows in round-robin order over the engagements (each engagement's
    payments keep their order but are no longer next to each other).
    """
    engagements, payments = frames_from_inputs(
        [(i, f"agency-{i % 3}", data) for i, data in enumerate(inputs)]
    )
    if interleave and payments.height:
        position = pl.int_range(pl.len()).over("engagement_id")
        payments = payments.with_columns(_k=position).sort("_k", maintain_order=True).drop("_k")
    if fmt:
        engagements, payments = _roundtrip(engagements, payments, fmt)
    result = audit_tables(engagements, payments, lang="en")
    findings: dict[Any, Counter[tuple[Any, ...]]] = {}
    for row in result.findings.iter_rows():
        findings.setdefault(str(row[0]), Counter())[tuple(row[1:])] += 1
    summaries = {str(r["engagement_id"]): r for r in result.engagements.iter_rows(named=True)}
    errors = {str(r["engagement_id"]): r for r in result.errors.iter_rows(named=True)}
    failed = 0
    for i, data in enumerate(inputs):
        want = _expected(data)
        if isinstance(want, InputError):
            failed += 1
            assert str(i) not in findings and str(i) not in summaries
            assert (errors[str(i)]["field"], errors[str(i)]["code"]) == (
                want.field,
                want.message_key,
            )
            continue
        assert str(i) not in errors, errors.get(str(i))
        assert findings[str(i)] == want["findings"], (i, data)
        got = summaries[str(i)]
        for key in SUMMARY_KEYS:
            assert got[key] == want["summary"][key], (key, i, data)
        for status, count in want["summary"]["counts"].items():
            assert got[status] == count
    assert len(errors) == failed
    assert result.stats["single_path"] >= failed
    return result.stats


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_batch_matches_the_single_check(inputs: list[dict[str, Any]]) -> None:
    compare(inputs)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(), st.sampled_from(["parquet", "csv"]), st.booleans())
def test_batch_matches_the_single_check_through_files(
    inputs: list[Any], fmt: str, interleave: bool
) -> None:
    compare(inputs, fmt, interleave=interleave)


NEW_INPUTS = ("sender", "extension_months", "japanese_side_paid_service_fee")


def _single_only(data: dict[str, Any]) -> bool:
    """Inputs the batch hands to the single check: the issue-14 fields, and a stage-3 trainee
    who did not say whether the organisations stayed the same."""
    unanswered = data.get("stage") == "titp3" and "same_sending_and_supervising" not in data
    return unanswered or any(k in data for k in NEW_INPUTS)


def test_the_law_cases_all_take_the_batch_path() -> None:
    cases = [case["data"] for case in load_cases() if not _single_only(case["data"])]
    stats = compare(cases)
    assert stats["single_path"] == 0 and stats["batch_path"] == len(cases)


def test_the_new_inputs_go_through_the_single_check_and_agree() -> None:
    cases = [case["data"] for case in load_cases() if _single_only(case["data"])]
    assert len(cases) >= 10
    stats = compare(cases)
    assert stats["single_path"] == len(cases)


def test_unusual_numbers_go_through_the_single_check_and_still_agree() -> None:
    base = load_cases()[0]["data"]
    odd = [
        {**base, "fx": {"JPY": "170.12345"}},  # five decimals
        {**base, "contract_months": "  24 "},  # spaces
        {**base, "monthly_basic_wage": {"amount": "1.8e5", "currency": "JPY"}},
    ]
    stats = compare([base, *odd])
    assert stats["single_path"] == len(odd)


def test_ids_missing_repeated_or_unknown_are_reported_not_dropped() -> None:
    data = load_cases()[0]["data"]
    engagements, payments = frames_from_inputs([("a", "x", data), ("b", "x", data)])
    engagements = pl.concat(
        [engagements, engagements.head(1), engagements.head(1).with_columns(engagement_id=None)]
    )
    payments = pl.concat([payments, payments.head(1).with_columns(engagement_id=pl.lit("zz"))])
    result = audit_tables(engagements, payments, lang="vi")
    codes = sorted(result.errors.select("engagement_id", "code").iter_rows(), key=str)
    assert codes == sorted(
        [
            ("a", "duplicate_id"),
            ("a", "duplicate_id"),
            (None, "required"),
            ("zz", "unknown_engagement"),
        ],
        key=str,
    )
    assert result.engagements["engagement_id"].to_list() == ["b"]
    assert all(result.errors["message"].str.len_chars() > 0)
    agencies = result.agencies.row(0, named=True)
    assert agencies["agency_id"] == "x" and agencies["engagements"] == 1
    assert agencies["input_errors"] == 3  # two rows of "a" and the row without an id


def test_agency_summary_adds_up() -> None:
    cases = [case["data"] for case in load_cases()]
    engagements, payments = frames_from_inputs(
        [(i, f"agency-{i % 4}", data) for i, data in enumerate(cases)]
    )
    result = audit_tables(engagements, payments)
    by_agency = {r["agency_id"]: r for r in result.agencies.iter_rows(named=True)}
    for agency, rows in result.engagements.group_by("agency_id"):
        got = by_agency[agency[0]]
        assert got["engagements"] == rows.height
        assert got["excess_vnd"] == rows["excess_vnd"].sum()
        assert got["violations"] == rows["violation"].sum()
        assert got["engagements_with_violation"] == (rows["status"] == "violation").sum()
    violations = result.findings.filter(pl.col("status") == "violation").height
    assert result.agencies["violations"].sum() == violations


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_empty_tables(fmt: str) -> None:
    engagements, payments = frames_from_inputs([])
    result = audit_tables(engagements, payments)
    assert result.findings.height == 0 and result.errors.height == 0


# ------------------------------------------------------------------ command line and faults

CLI = "import sys; from fairpassage.cli import main; sys.exit(main(sys.argv[1:]))"


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", CLI, "check-fees", *args]


def _source(folder: Path, n: int, fmt: str = "parquet") -> Path:
    engagements, payments = synthetic(n, seed=5)
    folder.mkdir()
    write_table(engagements, folder / f"engagements.{fmt}")
    write_table(payments, folder / f"payments.{fmt}")
    return folder


def test_command_writes_the_tables_and_shows_progress(tmp_path: Path) -> None:
    source = _source(tmp_path / "in", 300, fmt="csv")
    out = tmp_path / "out"
    done = subprocess.run(
        _command("--batch", str(source), "--out", str(out), "--format", "csv"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "[100%] done" in done.stderr and "write findings" in done.stderr
    stats = json.loads(done.stdout)
    assert stats["checked"] == 300 and stats["single_path"] == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == "csv"
    findings = pl.read_csv(out / "findings.csv")
    assert findings.height == stats["findings"]
    assert set(findings["rule_id"]) >= {"VN-SERVICE-FEE-CAP", "PAYMENT-UNCLASSIFIED"}
    # a second run replaces the earlier result whole
    again = subprocess.run(
        _command("--batch", str(source), "--out", str(out)), capture_output=True, check=False
    )
    assert again.returncode == 0
    assert (out / "findings.parquet").is_file() and not (out / "findings.csv").exists()


def test_command_refuses_bad_arguments(tmp_path: Path) -> None:
    stranger = tmp_path / "mine"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("keep me", "utf-8")
    source = _source(tmp_path / "in", 5)
    for args, words in (
        (("--batch", str(source)), "--out"),
        (("--batch", str(tmp_path / "none"), "--out", str(tmp_path / "o")), "not a folder"),
        (("--batch", str(source), "--out", str(stranger)), "not a batch result"),
        ((), "--batch"),
    ):
        done = subprocess.run(_command(*args), capture_output=True, text=True, check=False)
        assert done.returncode == 2 and words in done.stderr, (args, done.stderr)
    assert (stranger / "notes.txt").read_text("utf-8") == "keep me"


def test_a_killed_batch_leaves_no_output_and_runs_again(tmp_path: Path) -> None:
    source = _source(tmp_path / "in", 150_000)
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command("--batch", str(source), "--out", str(out)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "write findings" in line:  # the result files are being written: kill now
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, seen
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    done = subprocess.run(
        _command("--batch", str(source), "--out", str(out)), capture_output=True, check=False
    )
    assert done.returncode == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "agencies.parquet",
        "engagements.parquet",
        "errors.parquet",
        "findings.parquet",
        "manifest.json",
    ]
    assert pl.read_parquet(out / "engagements.parquet").height == 150_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # leftovers removed


NEW_CATEGORIES = (
    "flight_to_japan",
    "flight_home",
    "air_ticket",
    "domestic_travel",
    "travel",
    "language_test",
    "skills_test",
    "housing_deposit",
    "job_change_fee",
    "support_fee",
    "supervision_fee",
    "service_fee",
    "brokerage",
    "selection_fee",
    "bribe",
    "deposit",
)
JAPANESE_PAYEES = (
    "japanese_side",
    "jp_supervising_organisation",
    "jp_placement_agency",
    "jp_support_organisation",
    "sending_organisation",
    "unknown",
)


def test_issue_14_inputs_agree_with_the_single_check_on_the_batch_path() -> None:
    """Every programme and stage on both sides of each date, with the categories and payees of
    issue 14 (fees of Japanese organisations, Japanese-side items, life-in-Japan costs) and
    payments of 0: the batch path itself, not the single check, gives the same findings."""
    inputs: list[dict[str, Any]] = []
    k = 0
    for programme, stages in STAGES.items():
        for stage in stages:
            for signed in ("2019-06-01", "2022-01-10", "2024-05-20", "2026-07-01", "2027-05-01"):
                payments = []
                for j, category in enumerate(NEW_CATEGORIES):
                    payee = JAPANESE_PAYEES[(j + k) % len(JAPANESE_PAYEES)]
                    amount = 0 if (j + k) % 5 == 0 else 1_000_000 * (j + 1)
                    payments.append(
                        {"category": category, "amount": amount, "currency": "VND", "payee": payee}
                    )
                k += 1
                inputs.append(
                    {
                        "programme": programme,
                        "stage": stage,
                        # answered: an unanswered stage-3 question goes to the single check
                        "same_sending_and_supervising": k % 2 == 0,
                        "contract_months": 36,
                        "monthly_basic_wage": {"amount": 180000, "currency": "JPY"},
                        "fx": {"JPY": 170},
                        "signed_on": signed,
                        "departs_on": signed,
                        "payments": payments,
                    }
                )
    stats = compare(inputs)
    assert stats["single_path"] == 0 and stats["batch_path"] == len(inputs)
