"""SVG charts keep a dot in their numbers on Vietnamese pages (36,92 is no SVG number)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from fairpassage.surveys.presenters import distribution_chart
from fairpassage.web.templatetags.svg import svgnum

ROOT = Path(__file__).resolve().parents[2] / "fairpassage"
# ``points`` is left out: its pairs are written "x,y" by SVG syntax, and it is built in Python.
GEOMETRY = "x|y|x1|x2|y1|y2|cx|cy|r|width|height|viewBox|transform"
ATTRIBUTE = re.compile(rf'\s({GEOMETRY})="([^"]*)"')
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")


def _attributes_with_commas(html: str) -> list[str]:
    return [
        f'{name}="{value}"'
        for block in SVG.findall(html)
        for name, value in ATTRIBUTE.findall(block)
        if "," in value
    ]


def test_every_number_in_an_svg_template_attribute_is_written_locale_free() -> None:
    loose = []
    for path in ROOT.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for block in SVG.findall(text):
            for name, value in ATTRIBUTE.findall(block):
                for expression in PLACEHOLDER.findall(value):
                    if "svgnum" not in expression and "unlocalize" not in expression:
                        loose.append(f"{path.relative_to(ROOT)}: {name}={{{{{expression}}}}}")
    assert loose == []


@pytest.mark.parametrize("language", ["vi", "ja", "en"])
def test_the_grievance_chart_keeps_dots_in_every_language(language: str) -> None:
    chart = {
        "height": 44.5,
        "rows": [{"y": 0, "text_y": 15.25, "w": 36.92, "label": "Phí", "count": 7}],
    }
    with translation.override(language):
        html = render_to_string(
            "cases/_chart.html", {"b": chart, "title": "t", "stats": {"suppress_below": 5}}
        )
    assert 'width="36.92"' in html
    assert _attributes_with_commas(html) == []


def test_the_survey_charts_keep_dots_in_vietnamese() -> None:
    bins: list[dict[str, Any]] = [
        {"from": 0.0, "to": 3.3, "share": 0.333, "suppressed": False},
        {"from": 3.3, "to": None, "share": 0.667, "suppressed": False},
    ]
    chart = {
        "bars": [
            {
                "label": "Nam",
                "value": 1.25,
                "y": 0,
                "mid": 13.5,
                "x0": 120,
                "width": 80.75,
                "low": 150.5,
                "high": 210.25,
                "n": 40,
            }
        ],
        "height": 27,
        "width": 400,
        "suppressed": [],
    }
    with translation.override("vi"):
        html = render_to_string(
            "surveys/_charts.html", {"chart": chart, "distribution": distribution_chart(bins)}
        )
    assert 'width="80.75"' in html
    assert _attributes_with_commas(html) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [(36.92, "36.92"), (1234567.891, "1234567.89"), (40, "40"), (-0.001, "0"), (None, "0")],
)
def test_svgnum_writes_a_plain_dotted_number(value: object, expected: str) -> None:
    with translation.override("vi"):
        assert svgnum(value) == expected
