"""Cited emergency numbers (``emergency.yaml``), in the visitor's language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SOURCE = Path(__file__).resolve().parent / "emergency.yaml"


@lru_cache(maxsize=1)
def _load() -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = yaml.safe_load(SOURCE.read_text("utf-8"))
    return data


def emergency_contacts(*, language: str) -> list[dict[str, Any]]:
    """Every country's numbers: ``[{country, number, label, url}]``, Japan first."""
    lang = language if language in ("vi", "ja", "en") else "en"
    return [
        {
            "country": country,
            "number": item["number"],
            "label": item["label"][lang],
            "url": item["source"]["url"],
        }
        for country, items in _load().items()
        for item in items
    ]
