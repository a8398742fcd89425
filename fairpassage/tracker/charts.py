"""The progress chart: one stacked bar per theme, drawn on the server as SVG."""

from __future__ import annotations

from typing import Any

from fairpassage.tracker.models import Status

# Colours by status (presentation attributes, so the chart needs no stylesheet or script).
# Each reaches at least 3:1 against white, as WCAG 2.1 asks of graphical objects.
COLOURS = {
    Status.NOT_STARTED.value: "#767676",
    Status.IN_PROGRESS.value: "#0b4f8a",
    Status.PARTLY_DONE.value: "#8a5a00",
    Status.DONE.value: "#1e6b35",
    Status.DROPPED.value: "#a4161a",
}
ROW = 28
BAR = 20
WIDTH = 100.0


def stacked_bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """SVG geometry for ``selectors.progress_by_theme`` rows: each bar spans the full width."""
    bars = []
    for index, row in enumerate(rows):
        total = sum(row["counts"].values())
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
                "y": index * ROW,
                "segments": segments,
            }
        )
    legend = [{"status": s, "label": Status(s).label, "colour": COLOURS[s]} for s in Status.values]
    return {
        "bars": bars,
        "height": max(len(bars) * ROW - (ROW - BAR), 0),
        "bar": BAR,
        "legend": legend,
    }
