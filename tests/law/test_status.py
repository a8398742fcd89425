"""``fairpassage law status``: the encoded law to read within a horizon (issue 14, item 8)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from fairpassage.cli import main
from fairpassage.law.status import law_status, status_text

TODAY = dt.date(2026, 12, 7)


def _lines(status: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {line["subject"]: line for line in status["lines"] if line["kind"] == kind}


def test_today_lists_the_unread_circular_09_annexes_with_what_to_read() -> None:
    status = law_status(TODAY, 365)
    unknown = _lines(status, "unknown")
    for pid in (
        "vn.service_fee.jp.other",
        "vn.service_fee.jp.titp3_same_organisations",
        "vn.jp_side_costs.categories",
        "vn.jp_side.ssw_dispatch_fee_min_months",
    ):
        assert unknown[pid]["since"] == "2026-06-30"
        assert "Circular 09/2026" in unknown[pid]["read"]["instrument"]
        assert unknown[pid]["read"]["url"]
    # the transitions are inferences, labelled so (item 9)
    unverified = _lines(status, "unverified")
    assert {"vn.transition.law69", "vn.transition.circular02_2024"} <= set(unverified)
    # the ESD cap comes in within the year and is only reported (item 8)
    esd = _lines(status, "secondary")["esd.sending_fee.cap_months"]
    assert esd["since"] == "2027-04-01" and "507M60000110004" in esd["read"]["instrument"]
    # minimum wages: FY2026 is secondary, two dates only planned, the table ends 2027-10-01
    assert set(_lines(status, "planned")) == {
        "jp.minimum_wage.regional.45",
        "jp.minimum_wage.regional.46",
    }
    ends = _lines(status, "table_ends")
    assert len(ends) == 47 and ends["jp.minimum_wage.regional.13"]["since"] == "2027-10-01"


def test_the_horizon_decides_what_is_listed() -> None:
    short = law_status(TODAY, 30)
    assert "esd.sending_fee.cap_months" not in _lines(short, "secondary")
    assert not _lines(short, "table_ends")
    before = law_status(dt.date(2026, 6, 1), 20)
    assert "vn.service_fee.jp.other" not in _lines(before, "unknown")
    after = law_status(dt.date(2026, 6, 1), 29)
    assert _lines(after, "unknown")["vn.service_fee.jp.other"]["since"] == "2026-06-30"


def test_text_names_every_line() -> None:
    status = law_status(TODAY, 365)
    text = status_text(status)
    assert text.count("\n") == len(status["lines"]) + 2
    assert "UNKNOWN    vn.service_fee.jp.other from 2026-06-30" in text


def test_the_command_prints_json_or_text_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["law", "status", "--on", "2026-12-07", "--horizon", "365", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["on"] == "2026-12-07" and data["counts"]["unknown"] >= 4
    assert main(["law", "status", "--on", "2030-01-01"]) == 0  # the calendar never fails it
    assert capsys.readouterr().out.startswith("Law status on 2030-01-01")
    assert main(["law", "status", "--on", "yesterday"]) == 2
    assert "--on" in capsys.readouterr().err
