"""Parameter files: format, dated lookup, unknown periods, the rules version."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from fairpassage.law.params import (
    PARAMS_DIR,
    ParameterFileError,
    ParameterStore,
    default_store,
    parse_parameter,
    rules_version,
)

D = dt.date


def test_every_file_loads_and_is_cited() -> None:
    store = default_store()
    assert len(store) >= 20
    for param in store:
        assert param.entries
        for entry in param.entries:
            assert entry.reference.instrument
            assert entry.reference.provision
            if entry.unknown:
                assert entry.verification != "verified"


def test_folders() -> None:
    assert {p.name for p in PARAMS_DIR.iterdir() if p.is_dir()} == {"vn", "jp", "ilo", "esd"}


def test_value_on_follows_dates() -> None:
    store = default_store()
    pid = "vn.service_fee.jp.titp3_same_organisations"
    assert store.value_on(pid, D(2022, 1, 31)).state == "not_in_force"
    assert store.value_on(pid, D(2024, 5, 14)).state == "unknown"
    known = store.value_on(pid, D(2024, 5, 15))
    assert known.known
    assert known.value == {"months_per_12_months": 0.0, "max_months": 0.0}
    assert known.verification == "verified"
    assert store.value_on(pid, D(2026, 6, 29)).known
    after = store.value_on(pid, D(2026, 6, 30))
    assert after.state == "unknown"
    assert after.value is None
    assert after.reference is not None
    assert "09/2026" in after.reference.instrument


def test_null_means_no_value_in_force() -> None:
    r = default_store().value_on("vn.service_fee.jp.other", D(2025, 1, 1))
    assert r.known
    assert r.value is None


def test_general_cap_numbers() -> None:
    store = default_store()
    day = D(2025, 1, 1)
    assert store.value_on("vn.service_fee.months_per_12_months", day).value == 1.0
    assert store.value_on("vn.service_fee.max_months", day).value == 3.0
    assert store.value_on("vn.service_fee.long_contract_months", day).value == 36
    assert store.value_on("vn.fund.worker_contribution_vnd", day).value == 100000


def test_rules_version_is_stable_and_tracks_content(tmp_path: Path) -> None:
    assert rules_version() == default_store().version == ParameterStore().version
    copy = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, copy)
    assert ParameterStore(copy).version == rules_version()
    target = copy / "vn" / "fund_worker_contribution.yaml"
    target.write_text(target.read_text("utf-8").replace("100000", "200000"), "utf-8")
    assert ParameterStore(copy).version != rules_version()


def _minimal() -> dict[str, Any]:
    return {
        "id": "x.y",
        "description": {"en": "e", "vi": "v", "ja": "j"},
        "unit": "vnd",
        "values": {
            D(2022, 1, 1): {
                "value": 1,
                "reference": {"instrument": "I", "provision": "P", "url": None},
                "verification": "verified",
            }
        },
    }


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("unit"),
        lambda d: d["description"].pop("ja"),
        lambda d: d["values"][D(2022, 1, 1)].update(verification="maybe"),
        lambda d: d["values"][D(2022, 1, 1)].pop("value"),
        lambda d: d["values"][D(2022, 1, 1)].update(unknown=True),
        lambda d: d["values"][D(2022, 1, 1)]["reference"].pop("provision"),
        lambda d: d["values"].update({"2023": d["values"][D(2022, 1, 1)]}),
    ],
)
def test_invalid_files_are_refused(breakage: Any) -> None:
    data = _minimal()
    parse_parameter(data, "ok.yaml")
    breakage(data)
    with pytest.raises(ParameterFileError):
        parse_parameter(data, "bad.yaml")


def test_unknown_entry_format() -> None:
    data = _minimal()
    data["values"][D(2023, 1, 1)] = {
        "unknown": True,
        "reference": {"instrument": "I2", "provision": "P2", "url": None},
        "verification": "unverified",
    }
    param = parse_parameter(yaml.safe_load(yaml.safe_dump(data)), "u.yaml")
    assert param.value_on(D(2023, 6, 1)).state == "unknown"
    assert param.value_on(D(2022, 6, 1)).value == 1


def test_catalogue_lists_every_value() -> None:
    catalogue = default_store().catalogue()
    assert any(v["unknown"] for p in catalogue for v in p["values"])
    assert all(p["description"]["vi"] for p in catalogue)
