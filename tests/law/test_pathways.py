"""Pathways data: the fields in force on dates, the TITP transition, and gaps or overlaps."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from fairpassage.law import pathways_on
from fairpassage.law.params import PARAMS_DIR, ParameterStore, default_store
from fairpassage.law.pathways import (
    ACTORS,
    ALL_PATHWAY_PARAMS,
    OPEN_STATUSES,
    PHASES,
    PROCEDURE,
    dated_list_problems,
)

D = dt.date
START, END = D(2019, 1, 1), D(2028, 12, 31)
PATHWAYS_DIR = PARAMS_DIR / "jp" / "pathways"


@pytest.mark.parametrize(
    ("day", "ssw", "ssw2"),
    [
        (D(2019, 3, 31), 0, 0),
        (D(2019, 4, 1), 14, 2),
        (D(2022, 5, 24), 14, 2),
        (D(2022, 5, 25), 12, 2),  # manufacturing fields merged
        (D(2023, 8, 30), 12, 2),
        (D(2023, 8, 31), 12, 11),  # SSW (ii) extended
        (D(2024, 9, 29), 12, 11),
        (D(2024, 9, 30), 16, 11),  # four fields of the March 2024 decision
        (D(2026, 6, 1), 16, 11),  # the three January 2026 fields: decided, not in force
    ],
)
def test_ssw_fields_in_force(day: dt.date, ssw: int, ssw2: int) -> None:
    counts = pathways_on(day, "en")["counts"]
    assert (counts["ssw_fields_in_force"], counts["ssw2_fields_in_force"]) == (ssw, ssw2)


def test_january_2026_fields_are_listed_as_decided() -> None:
    fields = pathways_on(D(2026, 2, 1), "en")["routes"]["ssw"]["fields"]
    assert len(fields) == 19
    decided = {f["code"] for f in fields if not f["in_force"]}
    assert decided == {"linen_supply", "logistics_warehousing", "resource_recycling"}
    assert all(f["ssw2"] is None for f in fields if f["code"] in decided)


def test_esd_and_the_titp_transition() -> None:
    before = pathways_on(D(2027, 3, 31), "vi")["routes"]
    assert before["esd"]["facts"]["status"] == "enacted"
    assert before["titp"]["facts"]["status"] == "open"
    start = pathways_on(D(2027, 4, 1), "vi")["routes"]
    assert start["esd"]["facts"]["status"] == "in_force"
    assert len(start["esd"]["fields"]) == 17
    assert start["titp"]["facts"]["new_plan_applications"] is False
    assert start["titp"]["facts"]["entry_deadline"] == "2027-06-30"
    assert start["esd"]["duties"]
    later = pathways_on(D(2027, 7, 1), "vi")["routes"]["titp"]["facts"]
    assert later["status"] == "closed_to_new_entrants" and later["continuing_trainees"] is True


def test_texts_follow_the_language() -> None:
    vi = pathways_on(D(2025, 1, 1), "vi")["routes"]["titp"]
    ja = pathways_on(D(2025, 1, 1), "ja")["routes"]["titp"]
    assert vi["facts"]["job_change"] != ja["facts"]["job_change"]
    assert vi["name"] == "thực tập sinh kỹ năng"
    assert all(b["reference"] for b in vi["basis"])


def test_no_gap_or_overlap_in_any_dated_pathways_list() -> None:
    assert dated_list_problems(default_store(), START, END) == []


class _StrictLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    duplicates = {str(k) for k in keys if keys.count(k) > 1}
    if duplicates:
        raise ValueError(f"duplicate keys {sorted(duplicates)} (two entries overlap)")
    return loader.construct_mapping(node, deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _no_duplicates,
)


def test_no_two_entries_on_one_date() -> None:
    for path in sorted(PATHWAYS_DIR.glob("*.yaml")):
        yaml.load(path.read_text("utf-8"), Loader=_StrictLoader)  # noqa: S506


def test_duplicate_date_keys_are_detected() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        yaml.load("values:\n  2020-01-01: 1\n  2020-01-01: 2\n", Loader=_StrictLoader)  # noqa: S506


def _copy_store(tmp_path: Path) -> Path:
    root = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, root)
    return root


def test_a_gap_is_detected(tmp_path: Path) -> None:
    root = _copy_store(tmp_path)
    path = root / "jp" / "pathways" / "titp.yaml"
    text = path.read_text("utf-8").replace("  2017-11-01:", "  2020-01-01:", 1)
    path.write_text(text, "utf-8")
    problems = dated_list_problems(ParameterStore(root), START, END)
    assert any("jp.pathways.titp: no known value on 2019-01-01" in p for p in problems)


def test_an_unknown_period_is_a_gap(tmp_path: Path) -> None:
    root = _copy_store(tmp_path)
    path = root / "jp" / "pathways" / "ssw_terms.yaml"
    raw = yaml.safe_load(path.read_text("utf-8"))
    raw["values"][D(2025, 1, 1)] = {
        "unknown": True,
        "reference": {"instrument": "x", "provision": "y", "url": None},
        "verification": "unverified",
    }
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    problems = dated_list_problems(ParameterStore(root), START, END)
    assert problems == ["jp.pathways.ssw_terms: no known value on 2025-01-01 (unknown)"]


def test_an_overlapping_or_incomplete_field_is_detected(tmp_path: Path) -> None:
    root = _copy_store(tmp_path)
    path = root / "jp" / "pathways" / "ssw_fields.yaml"
    raw = yaml.safe_load(path.read_text("utf-8"))
    fields = raw["values"][D(2024, 9, 30)]["value"]["fields"]
    fields.append(dict(fields[0]))
    del fields[1]["ssw2"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    problems = dated_list_problems(ParameterStore(root), START, END)
    assert any("twice (overlap)" in p for p in problems)
    assert any("has no ssw2" in p for p in problems)


def test_every_pathways_parameter_is_checked() -> None:
    ids = {p.id for p in default_store() if p.id.startswith("jp.pathways.")}
    assert ids == set(ALL_PATHWAY_PARAMS)


# The recruitment procedure


def _steps(day: dt.date, route: str, lang: str = "en") -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = pathways_on(day, lang)["routes"][route]["procedure"]
    return steps


def _ids(day: dt.date, route: str) -> list[str]:
    return [s["step"] for s in _steps(day, route)]


def test_titp_steps_run_from_the_licence_to_the_return() -> None:
    assert _ids(D(2025, 1, 1), "titp") == [
        "check_licence",
        "supply_contract_registered",
        "placement_contract",
        "pre_departure_training",
        "training_plan",
        "certificate_of_eligibility",
        "visa",
        "departure",
        "post_entry_course",
        "return_travel",
        "contract_liquidation",
        "pension_lump_sum",
    ]


@pytest.mark.parametrize("day", [D(2019, 6, 1), D(2022, 6, 1), D(2026, 7, 1), D(2028, 1, 1)])
def test_steps_are_in_phase_order(day: dt.date) -> None:
    for route in ("titp", "ssw", "esd"):
        phases = [PHASES.index(s["phase"]) for s in _steps(day, route)]
        assert phases == sorted(phases), route
        for step in _steps(day, route):
            assert step["who"] in ACTORS
            assert step["verification"] in ("verified", "secondary", "unverified")
            assert isinstance(step["what"], str) and step["basis"]


def test_ssw_confirmation_list_from_15_february_2021() -> None:
    assert "confirmation_list" not in _ids(D(2021, 2, 14), "ssw")
    ids = _ids(D(2021, 2, 15), "ssw")
    assert ids.index("confirmation_list") < ids.index("certificate_of_eligibility")
    assert "confirmation_list" not in _ids(D(2025, 1, 1), "titp")


def test_ssw_arrival_lists_the_support_and_japan_means_no_deposit() -> None:
    steps = {s["step"]: s for s in _steps(D(2025, 1, 1), "ssw", "vi")}
    assert "3 tháng" in steps["arrival_support"]["what"]
    assert "không phải ký quỹ" in steps["placement_contract"]["what"]
    assert steps["placement_contract"]["verification"] == "verified"
    assert steps["pension_lump_sum"]["verification"] == "unverified"


def _month_starts() -> list[dt.date]:
    return [D(y, m, 1) for y in range(START.year, END.year + 1) for m in range(1, 13)]


@pytest.mark.parametrize("route", ["titp", "ssw", "esd"])
def test_every_open_route_has_steps(route: str) -> None:
    boundaries = [D(2019, 4, 1), D(2021, 2, 15), D(2027, 3, 31), D(2027, 6, 30), D(2027, 7, 1)]
    for day in [*_month_starts(), *boundaries]:
        r = pathways_on(day, "en")["routes"][route]
        if r["facts"].get("status") in OPEN_STATUSES:
            assert r["procedure"], (route, day)
        else:
            assert r["procedure"] == [], (route, day)


def test_esd_procedure_only_from_its_start() -> None:
    assert _steps(D(2027, 3, 31), "esd") == []
    assert _ids(D(2027, 4, 1), "esd")[0] == "check_licence"
    assert _ids(D(2027, 4, 1), "esd")[-1] == "pension_lump_sum"


def test_titp_keeps_only_the_return_steps_after_june_2027() -> None:
    assert "visa" in _ids(D(2027, 6, 30), "titp")
    assert _ids(D(2027, 7, 1), "titp") == [
        "return_travel",
        "contract_liquidation",
        "pension_lump_sum",
    ]


def test_procedure_texts_follow_the_language() -> None:
    vi, ja = _steps(D(2025, 1, 1), "titp", "vi"), _steps(D(2025, 1, 1), "titp", "ja")
    assert [s["step"] for s in vi] == [s["step"] for s in ja]
    assert vi[0]["what"] != ja[0]["what"]
    basis = pathways_on(D(2025, 1, 1), "vi")["routes"]["titp"]["basis"]
    assert any(b["parameter"] == PROCEDURE and b["verification"] == "unverified" for b in basis)


def _procedure(root: Path) -> tuple[Path, Any]:
    path = root / "jp" / "pathways" / "procedure.yaml"
    return path, yaml.safe_load(path.read_text("utf-8"))


def test_a_gap_in_the_procedure_is_detected(tmp_path: Path) -> None:
    root = _copy_store(tmp_path)
    path = root / "jp" / "pathways" / "procedure.yaml"
    text = path.read_text("utf-8").replace("  2019-01-01:", "  2020-01-01:", 1)
    path.write_text(text, "utf-8")
    problems = dated_list_problems(ParameterStore(root), START, END)
    assert any(f"{PROCEDURE}: no known value on 2019-01-01" in p for p in problems)


def test_a_broken_procedure_is_detected(tmp_path: Path) -> None:
    root = _copy_store(tmp_path)
    path, raw = _procedure(root)
    entry = raw["values"][D(2022, 1, 1)]
    titp = entry["value"]["titp"]
    titp[0], titp[-1] = titp[-1], titp[0]  # the pension claim before the licence check
    entry["value"]["esd"] = [dict(titp[1])]  # ESD steps before ESD exists
    entry["value"]["ssw"] = []  # SSW open without steps
    entry["verification"] = "verified"  # stronger than its weakest step
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    problems = dated_list_problems(ParameterStore(root), START, END)
    assert any("procedure.titp" in p and "out of order" in p for p in problems)
    assert any("esd has steps on 2022-01-01 while it is not_enacted" in p for p in problems)
    assert any("ssw is open on 2022-01-01 but has no steps" in p for p in problems)
    assert any("entry is verified but a step is only unverified" in p for p in problems)
