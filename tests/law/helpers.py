"""Loading the YAML fee-check cases (input -> expected findings)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"
BOUNDARIES = ("2022-01-01", "2024-05-15", "2026-06-30", "2027-04-01")


def _shared() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASES_DIR / "_shared.yaml").read_text("utf-8"))
    return data


def load_cases() -> list[dict[str, Any]]:
    shared = _shared()
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        doc = yaml.safe_load(path.read_text("utf-8"))
        for case in doc["cases"]:
            data = copy.deepcopy(shared["defaults"])
            data.update(copy.deepcopy(case["input"]))
            if "programme" in case["input"] and "stage" not in case["input"]:
                data.pop("stage", None)
            if isinstance(data.get("payments"), str):
                data["payments"] = copy.deepcopy(shared["payment_sets"][data["payments"]])
            if data.get("conduct") is None:
                data.pop("conduct", None)
            cases.append({**case, "data": data, "file": path.name})
    return cases


def case_id(case: dict[str, Any]) -> str:
    return f"{case['file']}::{case['name']}"


def side_of(case: dict[str, Any], boundary: str) -> str | None:
    """'before' if every date of the case is before the boundary, 'after' if all on/after."""
    day = dt.date.fromisoformat(boundary)
    dates = [dt.date.fromisoformat(case["data"]["signed_on"])]
    if case["data"].get("departs_on"):
        dates.append(dt.date.fromisoformat(case["data"]["departs_on"]))
    if all(d < day for d in dates):
        return "before"
    if all(d >= day for d in dates):
        return "after"
    return None
