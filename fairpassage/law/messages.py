"""Worker-facing messages in Vietnamese (first), Japanese and English.

The texts live in ``messages.yaml`` next to this module; this module loads, checks and renders
them. Legal terms should follow the product glossary (docs/i18n/glossary.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGS = ("vi", "ja", "en")
MESSAGES_FILE = Path(__file__).resolve().parent / "messages.yaml"

Table = dict[str, str]


class _Texts:
    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.help: Table = dict(raw["help"])
        self.help_jp: Table = dict(raw["help_jp"])
        self.programmes: dict[str, Table] = {k: dict(v) for k, v in raw["programmes"].items()}
        self.input_errors: dict[str, Table] = {k: dict(v) for k, v in raw["input_errors"].items()}
        self.findings: dict[str, Table] = {k: dict(v) for k, v in raw["findings"].items()}
        for group in (self.programmes, self.input_errors, self.findings):
            for key, table in group.items():
                missing = [lang for lang in LANGS if not table.get(lang)]
                if missing:
                    raise ValueError(f"messages.yaml: {key} lacks {missing}")


@lru_cache(maxsize=1)
def texts() -> _Texts:
    return _Texts(yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8")))


def programme_name(programme: str, lang: str) -> str:
    return texts().programmes[programme][lang]


def _format_int(n: int, sep: str) -> str:
    sign = "-" if n < 0 else ""
    return sign + f"{abs(n):,}".replace(",", sep)


def money_text(vnd: int | Decimal, lang: str) -> str:
    """Format whole dong the way each language writes it."""
    n = int(vnd)
    if lang == "vi":
        return f"{_format_int(n, '.')} đồng"
    if lang == "ja":
        return f"{_format_int(n, ',')}ドン"
    return f"VND {_format_int(n, ',')}"


def date_text(day: dt.date, lang: str) -> str:
    if lang == "vi":
        return day.strftime("%d/%m/%Y")
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def input_error_text(key: str, lang: str, params: Mapping[str, Any]) -> str:
    table = texts().input_errors.get(key)
    if table is None:
        return key
    template = table.get(lang) or table["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def finding_text(key: str, lang: str, params: Mapping[str, Any], *, unverified: bool) -> str:
    t = texts()
    table = t.findings.get(key) or t.findings["generic.not_applicable"]
    values = {**params, "help": t.help[lang], "help_jp": t.help_jp[lang]}
    text = (table.get(lang) or table["en"]).format(**values)
    if unverified:
        text += t.findings["unverified_suffix"][lang]
    return text
