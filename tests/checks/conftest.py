"""The issue's example engagement, as a worker would send it; the parameters with the ESD cap
taken as verified (two ceilings over one fee); the text of a PDF."""

from __future__ import annotations

import copy
import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from fairpassage.law.params import PARAMS_DIR, ParameterStore

EXAMPLE: dict[str, Any] = {
    "programme": "titp",
    "stage": "titp1",
    "prior": "none",
    "same_sending_and_supervising": False,
    "contract_months": 36,
    "monthly_basic_wage": {"amount": 180000, "currency": "JPY"},
    "signed_on": "2025-06-01",
    "departs_on": "2025-09-01",
    "payments": [
        {
            "label": "Phí dịch vụ",
            "category": "service_fee",
            "amount": 120000000,
            "currency": "VND",
            "paid_on": "2025-06-10",
            "payee": "sending_organisation",
        },
        {"label": "tien coc", "amount": 30000000, "currency": "VND"},
    ],
    "conduct": {"passport_held": False, "penalty_contract": False, "forced_savings": False},
    "fx": {"JPY": 170.0, "USD": 25400.0},
}


@pytest.fixture
def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def pdf_text_and_fonts(data: bytes) -> tuple[str, set[str]]:
    """The text of every page and the names of the fonts embedded in the PDF."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(font.get("/BaseFont")))
    return text, fonts


@pytest.fixture
def verified_esd_cap(tmp_path: Path) -> ParameterStore:
    """The parameters as shipped, with the reported ESD cap taken as verified and in force
    from 2022: two ceilings (Vietnamese and Japanese) then cover the same service fee."""
    root = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, root)
    path = root / "esd" / "esd_sending_fee_cap.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(iter(data["values"].values()))
    data["values"] = {dt.date(2022, 1, 1): {**entry, "verification": "verified"}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return ParameterStore(root)
