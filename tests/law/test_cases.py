"""YAML cases: an engagement in, the expected findings out."""

from __future__ import annotations

from typing import Any

import pytest

from fairpassage.law import check_fees
from fairpassage.law.engagement import STAGES
from fairpassage.law.params import VERIFICATION_LEVELS
from tests.law.helpers import BOUNDARIES, case_id, load_cases, side_of

CASES = load_cases()
ALL_RULES = {f["rule"] for f in check_fees({**CASES[0]["data"]}, "en")["findings"]}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case(case: dict[str, Any]) -> None:
    report = check_fees(case["data"], "vi")
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        by_rule.setdefault(finding["rule"], []).append(finding)
    for rule, expected in case.get("expect", {}).items():
        found = by_rule.get(rule, [])
        assert len(found) == 1, f"{rule}: expected one finding, got {found}"
        finding = found[0]
        want = {"status": expected} if isinstance(expected, str) else expected
        for key, value in want.items():
            assert finding.get(key) == value, f"{rule}.{key}: {finding.get(key)!r} != {value!r}"
    for key, value in case.get("summary", {}).items():
        assert report["summary"][key] == value, f"summary.{key}"
    if "vn_dates" in case:
        assert report["evaluation_dates"]["vn"] == case["vn_dates"]
    for got, want_item in zip(report["items"], case.get("items", []), strict=False):
        for key, value in want_item.items():
            assert got[key] == value, f"item.{key}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case_is_the_same_in_every_language(case: dict[str, Any]) -> None:
    reports = {lang: check_fees(case["data"], lang) for lang in ("vi", "ja", "en")}
    shapes = {
        lang: [(f["rule"], f["status"], f["excess_vnd"]) for f in r["findings"]]
        for lang, r in reports.items()
    }
    assert shapes["vi"] == shapes["ja"] == shapes["en"]
    for lang, report in reports.items():
        assert set(report) >= {"rules_version", "law_date", "items", "findings", "summary"}
        for finding in report["findings"]:
            assert finding["message"].strip(), (lang, finding["rule"])
            assert "{" not in finding["message"], finding["message"]
            for basis in finding["basis"]:
                assert basis["verification"] in VERIFICATION_LEVELS
                assert basis["instrument"] and basis["provision"]
            if finding["status"] == "violation" and finding["rule"] != "JP-TITP-DEPOSIT-PENALTY":
                assert finding["basis"], finding["rule"]


def test_messages_name_the_amount_in_vietnamese_first() -> None:
    case = next(c for c in CASES if c["name"] == "signed and departed before Law 69")
    report = check_fees(case["data"])
    unclassified = next(f for f in report["findings"] if f["rule"] == "PAYMENT-UNCLASSIFIED")
    assert "1.000.000 đồng" in unclassified["message"]
    assert "abc" in unclassified["message"]


@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("rule", sorted(ALL_RULES))
def test_every_rule_is_covered_on_both_sides_of_each_date(rule: str, boundary: str) -> None:
    sides = {side_of(c, boundary) for c in CASES if rule in c.get("expect", {})}
    assert {"before", "after"} <= sides, f"{rule} lacks a case on one side of {boundary}"


def test_every_programme_and_stage_is_covered() -> None:
    seen = set()
    for case in CASES:
        programme = case["data"]["programme"]
        seen.add((programme, case["data"].get("stage") or STAGES[programme][0]))
    wanted = {(p, s) for p, stages in STAGES.items() for s in stages}
    assert wanted <= seen, wanted - seen
