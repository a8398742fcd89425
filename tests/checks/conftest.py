"""The issue's example engagement, as a worker would send it."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from pypdf import PdfReader

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
