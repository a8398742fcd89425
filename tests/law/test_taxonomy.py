"""The label classifier: measured precision and recall on the labelled sets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fairpassage.law.taxonomy import CATEGORIES, ILO_CLASS, classify, fold

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[tuple[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return [(r["label"], r["category"]) for r in csv.DictReader(fh)]


def measure(rows: list[tuple[str, str]]) -> tuple[float, float, list[str]]:
    """Precision over labels given a category; recall over labels that have one."""
    true_pos = predicted = relevant = 0
    errors: list[str] = []
    for label, truth in rows:
        guess = classify(label).category or "unknown"
        if guess != "unknown":
            predicted += 1
            true_pos += guess == truth
        if truth != "unknown":
            relevant += 1
        if guess != truth:
            errors.append(f"{label!r}: {truth} -> {guess}")
    return true_pos / predicted, true_pos / relevant, errors


def test_labelled_set_is_big_and_valid() -> None:
    rows = _rows("labels.csv")
    assert len(rows) >= 200
    assert {c for _, c in rows} <= set(CATEGORIES) | {"unknown"}
    assert set(CATEGORIES) <= {c for _, c in rows}


@pytest.mark.parametrize("name", ["labels.csv", "labels_holdout.csv"])
def test_precision_and_recall(name: str) -> None:
    precision, recall, errors = measure(_rows(name))
    print(f"\n{name}: precision={precision:.3f} recall={recall:.3f} errors={errors}")
    assert precision >= 0.95
    assert recall >= 0.90


def test_every_category_has_an_ilo_class() -> None:
    assert set(ILO_CLASS) == set(CATEGORIES)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Phí Dịch Vụ", "phi dich vu"),
        ("ĐẶT CỌC", "dat coc"),
        ("ｻｰﾋﾞｽ料", "さーびす料"),
        ("ＪＬＰＴ　Ｎ４", "jlpt n4"),
        ("ガイド", "がいど"),
        ("hoà / hòa", "hoa hoa"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("tien coc", "deposit"),
        ("Tiền đặt cọc", "deposit"),
        ("保証金", "deposit"),
        ("phí đào tạo tiếng Nhật", "language_training"),
        ("vé máy bay", "travel"),
        ("渡航費", "travel"),
        ("khám sức khỏe", "medical"),
        ("chi phi moi gioi", "brokerage"),
        ("tư cách lưu trú", "visa"),
        ("lưu trú", "accommodation"),
    ],
)
def test_examples_from_the_issue(label: str, category: str) -> None:
    assert classify(label).category == category


@pytest.mark.parametrize(
    "label", ["", "   ", "chi phí phát sinh", "vé máy bay + khám sức khỏe", "phí", "その他"]
)
def test_unsure_labels_are_unknown(label: str) -> None:
    assert classify(label).category is None
