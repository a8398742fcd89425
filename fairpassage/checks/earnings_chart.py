"""The debt balance of an earnings plan as an SVG chart drawn on the server (no script):
months along the bottom, amounts up the side, the end of the contract as a dashed line."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

#: Drawing area (SVG units): the plot sits inside the margins that hold the axis labels.
WIDTH, HEIGHT = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 34


def _unit(currency: str) -> tuple[int, str]:
    """The amount step of the side axis and its name (whole millions of dong, thousands of
    yen), so the labels stay short on a phone."""
    if currency == "VND":
        return 1_000_000, _("million dong")
    if currency == "JPY":
        return 1_000, _("thousand yen")
    return 1, currency


def _month_ticks(months: int) -> list[int]:
    step = 6 if months <= 24 else 12 if months <= 72 else 24
    return list(range(0, months + 1, step))


def debt_chart(plan: dict[str, Any]) -> dict[str, Any] | None:
    """Everything the template draws: the balance line, the ticks of both axes, the contract's
    end. Numbers are written with a dot whatever the page's language (SVG syntax)."""
    debt = plan.get("debt") or {}
    schedule = debt.get("schedule") or []
    if not schedule:
        return None
    balances = [schedule[0]["opening"], *[row["closing"] for row in schedule]]
    top = max(balances) or 1
    months = len(schedule)
    span_x = max(months, int(debt.get("contract_months") or 0), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(month: float) -> float:
        return round(LEFT + plot_w * month / span_x, 1)

    def y(amount: float) -> float:
        return round(TOP + plot_h - plot_h * amount / top, 1)

    step, unit_name = _unit(str(debt.get("currency") or ""))
    y_ticks = [
        {"y": y(value), "label": number_format(round(value / step), use_l10n=True)}
        for value in (0, top / 2, top)
    ]
    x_ticks = [{"x": x(m), "label": str(m)} for m in _month_ticks(span_x)]
    contract = debt.get("contract_months")
    return {
        "points": " ".join(f"{x(i)},{y(b)}" for i, b in enumerate(balances)),
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "base": TOP + plot_h,
        "top_y": TOP,
        "label_y": TOP + plot_h + 14,
        "caption_y": HEIGHT - 3,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "unit_name": unit_name,
        "contract_x": x(contract) if contract else None,
        "contract": contract,
        "top": top,
        "months": months,
        "last": schedule[-1],
    }
