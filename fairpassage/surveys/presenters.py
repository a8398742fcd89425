"""Stored results laid out for pages and downloads: table rows and server-rendered SVG charts.

Only aggregates are read here (the result JSON); suppressed groups stay suppressed. Pages name
groups in the questionnaire's words (``labels``: "Nữ", not "sex = female"), one section per
breakdown; downloads keep the codes (``group_label``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from fairpassage.stats.messages import problem_text
from fairpassage.surveys.labels import breakdown_label, group_title

FIGURES = ("ratio_of_means", "mean_of_ratios", "median_ratio", "p80_ratio")
WIDTH = 600  # SVG units across both charts
BAR = 26  # SVG units per group row
LABEL_WIDTH = 210  # SVG units kept for the group labels
HEIGHT = 240  # the distribution chart


def group_label(by: dict[str, Any]) -> str:
    return ", ".join(f"{key} = {'—' if value is None else value}" for key, value in by.items())


def _sectioned(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each group with its label in words and, on the first group of each breakdown, the
    breakdown's title (``section``)."""
    out = []
    previous: list[str] | None = None
    for g in groups:
        columns = list((g.get("by") or {}).keys())
        section = breakdown_label(columns) if columns != previous else None
        previous = columns
        out.append({**g, "label": group_title(g.get("by") or {}), "section": section})
    return out


def table_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Overall first, then each group; each with its label and figures (or suppressed)."""
    overall = {"label": "", "overall": True, "section": None, **report.get("overall", {})}
    rows = [overall]
    rows += [{**g, "overall": False} for g in _sectioned(report.get("groups", []))]
    return rows


def descriptive_rows(descriptive: dict[str, Any]) -> list[dict[str, Any]]:
    """The descriptive table: everyone first, then each group in words, by breakdown."""
    overall = {**descriptive.get("overall", {}), "label": "", "section": None}
    return [overall, *_sectioned(descriptive.get("groups", []))]


def group_chart(report: dict[str, Any]) -> dict[str, Any]:
    """Horizontal bars of the ratio of means by group with the 95% interval as a whisker; each
    breakdown opens with its title on a line of its own."""
    shown = [g for g in _sectioned(report.get("groups", [])) if not g.get("suppressed")]
    highs = [g["ci95"]["ratio_of_means"][1] or g["ratio_of_means"] for g in shown]
    scale = max([h for h in highs if h is not None] or [1.0]) or 1.0
    span = WIDTH - LABEL_WIDTH - 10

    def x(value: float | None) -> float:
        return round(LABEL_WIDTH + span * max(value or 0.0, 0.0) / scale, 2)

    bars = []
    headings = []
    line = 0
    previous: list[str] | None = None
    for g in shown:
        columns = list(g["by"].keys())
        if columns != previous:
            headings.append({"text": breakdown_label(columns), "mid": BAR * line + BAR / 2})
            line += 1
            previous = columns
        low, high = g["ci95"]["ratio_of_means"]
        bars.append(
            {
                "label": g["label"],
                "value": g["ratio_of_means"],
                "y": BAR * line,
                "mid": BAR * line + BAR / 2,
                "x0": LABEL_WIDTH,
                "width": round(x(g["ratio_of_means"]) - LABEL_WIDTH, 2),
                "low": x(low) if low is not None else None,
                "high": x(high) if high is not None else None,
                "n": g["n"],
            }
        )
        line += 1
    suppressed = [g["label"] for g in _sectioned(report.get("groups", [])) if g.get("suppressed")]
    return {
        "bars": bars,
        "headings": headings,
        "height": BAR * line,
        "width": WIDTH,
        "suppressed": suppressed,
        "max": scale,
    }


def distribution_chart(bins: list[dict[str, Any]]) -> dict[str, Any]:
    """Vertical bars of the weighted share of workers per band of r (months of earnings)."""
    if not bins:
        return {"bars": [], "width": WIDTH, "height": HEIGHT, "tick_y": HEIGHT - 8}
    top = max([b.get("share") or 0.0 for b in bins] or [1.0]) or 1.0
    width = WIDTH / len(bins)
    plot = HEIGHT - 30
    bars = []
    for n, b in enumerate(bins):
        share = b.get("share") or 0.0
        height = round(plot * share / top, 2)
        bars.append(
            {
                "x": round(n * width + width * 0.1, 2),
                "w": round(width * 0.8, 2),
                "y": round(plot + 5 - height, 2),
                "h": height,
                "from": b["from"],
                "to": b["to"],
                "share": share,
                "suppressed": b.get("suppressed", False),
                "label_x": round(n * width + width / 2, 2),
            }
        )
    return {"bars": bars, "width": WIDTH, "height": HEIGHT, "tick_y": HEIGHT - 8}


def problems_text(problems: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [
        {
            **p,
            "message": problem_text(
                p["code"], lang, {"column": p["column"], **p.get("params", {})}
            ),
        }
        for p in problems
    ]


HEADER = [
    "group",
    "n",
    "suppressed",
    "ratio_of_means",
    "ratio_of_means_low",
    "ratio_of_means_high",
    "mean_of_ratios",
    "mean_of_ratios_low",
    "mean_of_ratios_high",
    "median_ratio",
    "median_ratio_low",
    "median_ratio_high",
    "p80_ratio",
    "p80_ratio_low",
    "p80_ratio_high",
    "share_zero_cost",
]


def export_rows(report: dict[str, Any]) -> list[list[Any]]:
    """Aggregates only, one row per cell; suppressed cells carry no figure."""
    rows: list[list[Any]] = [HEADER]
    for row in table_rows(report):
        label = "overall" if row["overall"] else group_label(row.get("by") or {})
        if row.get("suppressed"):
            rows.append([label, None, True] + [None] * (len(HEADER) - 3))
            continue
        line: list[Any] = [label, row.get("n"), False]
        for name in FIGURES[:1] + FIGURES[1:]:
            low, high = row["ci95"][name]
            line += [row[name], low, high]
        line.append(row.get("share_zero_cost"))
        rows.append(line)
    return rows


def as_csv(report: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(export_rows(report))
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(report: dict[str, Any], descriptive: dict[str, Any]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "sdg_10_7_1"
    for row in export_rows(report):
        sheet.append(row)
    table = book.create_sheet("descriptive")
    table.append(
        ["group", "n", "suppressed", "mean_pre_departure_cost", "share_borrowed", "mean_debt"]
    )
    for entry in [descriptive.get("overall", {}), *descriptive.get("groups", [])]:
        label = group_label(entry["by"]) if entry.get("by") else "overall"
        if entry.get("suppressed"):
            table.append([label, None, True])
            continue
        table.append(
            [
                label,
                entry.get("n"),
                False,
                entry.get("mean_pre_departure_cost"),
                entry.get("share_borrowed"),
                entry.get("mean_debt"),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
