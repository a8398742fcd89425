"""The progress chart: one stacked bar per theme, drawn on the server as SVG.

The drawing scales as a whole (no distortion), so the theme names above the bars stay legible
on a 360 px phone. Colours are presentation attributes: no stylesheet or script is needed.
"""

from __future__ import annotations

from typing import Any

from fairpassage.tracker.models import Status

# Each colour reaches at least 3:1 against white, as WCAG 2.1 asks of graphical objects.
COLOURS = {
    Status.NOT_STARTED.value: "#767676",
    Status.IN_PROGRESS.value: "#0b4f8a",
    Status.PARTLY_DONE.value: "#8a5a00",
    Status.DONE.value: "#1e6b35",
    Status.DROPPED.value: "#a4161a",
}
WIDTH = 320.0  # drawing units across
ROW = 46  # per theme: the name, then the bar
LABEL_BASELINE = 15
BAR_TOP = 20
BAR = 18


def stacked_bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """SVG geometry for ``selectors.progress_by_theme`` rows: each bar spans the full width."""
    bars = []
    for index, row in enumerate(rows):
        total = sum(row["counts"].values())
        y = index * ROW
        x = 0.0
        segments = []
        for status in Status.values:
            count = row["counts"].get(status, 0)
            if not count:
                continue
            width = round(WIDTH * count / total, 2)
            segments.append(
                {
                    "status": status,
                    "label": Status(status).label,
                    "count": count,
                    "x": round(x, 2),
                    "width": width,
                    "colour": COLOURS[status],
                }
            )
            x += width
        bars.append(
            {
                "theme": row["theme"],
                "label": row["label"],
                "total": total,
                "label_y": y + LABEL_BASELINE,
                "y": y + BAR_TOP,
                "segments": segments,
                "cells": [row["counts"].get(status, 0) for status in Status.values],
            }
        )
    legend = [{"status": s, "label": Status(s).label, "colour": COLOURS[s]} for s in Status.values]
    height = len(bars) * ROW - (ROW - BAR_TOP - BAR) if bars else 0
    return {"bars": bars, "height": height, "width": WIDTH, "bar": BAR, "legend": legend}
