"""`fairpassage sdg1071`: the JSON report from CSV and XLSX; exit 2 naming the column or file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from fairpassage.cli import main

HEADER = ["id", "sex", "dest", "weight", "cost_usd", "earnings_usd"]
ROWS = [
    [1, "M", "JP", 100, 6000, 1200],
    [2, "F", "JP", 150, 7000, 1000],
    [3, "M", "JP", 120, 0, 1500],
    [4, "F", "TW", 80, 4000, 800],
    [6, "M", "JP", 60, 3000, None],
]


def write_csv(path: Path) -> Path:
    lines = [",".join(HEADER)] + [
        ",".join("" if v is None else str(v) for v in row) for row in ROWS
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def sdg(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--lang", "en", "sdg1071", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_report_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str], writer) -> None:
    source = writer(tmp_path / f"survey.{'csv' if writer is write_csv else 'xlsx'}")
    status, out, _err = sdg(
        capsys,
        str(source),
        "--cost",
        "cost_usd",
        "--earnings",
        "earnings_usd",
        "--weight",
        "weight",
        "--by",
        "sex,dest",
        "--min-cell",
        "2",
    )
    assert status == 0
    report = json.loads(out)
    overall = report["overall"]
    assert {
        "n",
        "excluded",
        "mean_of_ratios",
        "ratio_of_means",
        "median_ratio",
        "p80_ratio",
        "ci95",
    } <= set(overall)
    assert overall["n"] == 4 and overall["excluded"] == 1
    assert overall["ratio_of_means"] == pytest.approx(3.832685)
    assert set(overall["ci95"]) == {"mean_of_ratios", "ratio_of_means", "median_ratio", "p80_ratio"}
    by = [g["by"] for g in report["groups"]]
    assert by == [{"sex": "F"}, {"sex": "M"}, {"dest": "JP"}, {"dest": "TW"}]
    assert report["groups"][3] == {"by": {"dest": "TW"}, "suppressed": True}
    assert report["groups"][0]["n"] == 2
    assert report["excluded_rows"][0]["row"] == 6
    assert report["excluded_rows"][0]["reason"] == "earnings_missing"


def test_default_min_cell_is_five(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "s.csv")
    status, out, _ = sdg(
        capsys, str(source), "--cost", "cost_usd", "--earnings", "earnings_usd", "--by", "sex"
    )
    assert status == 0
    report = json.loads(out)
    assert report["min_cell"] == 5
    assert all(group["suppressed"] for group in report["groups"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--cost", "price", "--earnings", "earnings_usd"], 'no column "price"'),
        (["--cost", "cost_usd", "--earnings", "pay"], 'no column "pay"'),
        (["--cost", "cost_usd", "--earnings", "earnings_usd", "--weight", "wt"], '"wt"'),
        (["--cost", "cost_usd", "--earnings", "earnings_usd", "--by", "sex,region"], '"region"'),
    ],
)
def test_missing_column_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    source = write_csv(tmp_path / "s.csv")
    status, out, err = sdg(capsys, str(source), *args)
    assert status == 2 and out == ""
    assert needle in err and "s.csv" in err


def test_unreadable_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "broken.xlsx"
    fake.write_bytes(b"not a workbook")
    for path, needle in (
        (fake, "broken.xlsx"),
        (tmp_path / "absent.csv", "absent.csv"),
        (tmp_path / "notes.txt", "notes.txt"),
    ):
        if path.suffix == ".txt":
            path.write_text("x", encoding="utf-8")
        status, _out, err = sdg(capsys, str(path), "--cost", "c", "--earnings", "e")
        assert status == 2 and needle in err, err


def test_currency_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "m.csv"
    source.write_text(
        "cost,cur,earn\n26000000,VND,160000\n150000,JPY,160000\n500,EUR,160000\n", encoding="utf-8"
    )
    status, out, _ = sdg(
        capsys,
        str(source),
        "--cost",
        "cost",
        "--earnings",
        "earn",
        "--cost-currency",
        "cur",
        "--currency",
        "JPY",
        "--rate",
        "VND=0.006",
        "--min-cell",
        "1",
    )
    assert status == 0
    report = json.loads(out)
    assert report["overall"]["n"] == 2
    assert report["overall"]["ratio_of_means"] == pytest.approx((156000 + 150000) / 320000)
    assert report["excluded_rows"][0]["reason"] == "no_rate"
    assert "EUR" in report["excluded_rows"][0]["message"]
    status, _out, err = sdg(
        capsys, str(source), "--cost", "cost", "--earnings", "earn", "--cost-currency", "cur"
    )
    assert status == 2 and "--currency" in err
    status, _out, err = sdg(
        capsys,
        str(source),
        "--cost",
        "cost",
        "--earnings",
        "earn",
        "--currency",
        "JPY",
        "--rate",
        "VND=abc",
    )
    assert status == 2 and "VND=abc" in err
