"""Texts of the survey statistics in Vietnamese, Japanese and English (``messages.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGS = ("vi", "ja", "en")
MESSAGES_FILE = Path(__file__).resolve().parent / "messages.yaml"


@lru_cache(maxsize=1)
def _texts() -> dict[str, dict[str, dict[str, str]]]:
    raw = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    texts: dict[str, dict[str, dict[str, str]]] = {}
    for section in ("reasons", "problems", "method", "input_errors"):
        texts[section] = {key: dict(table) for key, table in raw[section].items()}
        for key, table in texts[section].items():
            missing = [lang for lang in LANGS if not table.get(lang)]
            if missing:
                raise ValueError(f"stats messages.yaml: {key} lacks {missing}")
    return texts


def reason_codes() -> frozenset[str]:
    return frozenset(_texts()["reasons"])


def _render(section: str, key: str, lang: str, params: Mapping[str, Any]) -> str:
    table = _texts()[section].get(key)
    if table is None:
        return key
    template = table.get(lang) or table["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def reason_text(key: str, lang: str, params: Mapping[str, Any]) -> str:
    """Why a row was left out of the indicator."""
    return _render("reasons", key, lang, params)


def input_error_text(key: str, lang: str, params: Mapping[str, Any]) -> str:
    """Why a file or an option cannot be used."""
    return _render("input_errors", key, lang, params)


def problem_text(key: str, lang: str, params: Mapping[str, Any]) -> str:
    """Why an import cannot use a row."""
    return _render("problems", key, lang, params)


def method_notes(
    lang: str, params: Mapping[str, Any], *, exclude_zero_cost: bool = False
) -> dict[str, str]:
    """Every choice behind the figures, in the reader's language."""
    notes = {key: _render("method", key, lang, params) for key in _texts()["method"]}
    if exclude_zero_cost:
        notes["zero_cost"] = notes["zero_cost_excluded"]
    del notes["zero_cost_excluded"]
    return notes
