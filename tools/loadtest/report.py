"""The load test's report: per-endpoint figures of each topology of the same run side by side,
the background work's outcome, the two-server checks, an SVG chart (report.md, p95.svg,
summary.json)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ENDPOINTS = (
    "POST /api/fee-checks",
    "GET /api/agencies?q=",
    "GET /vi/",
    "POST /api/grievances",
    "POST /api/grievances/track",
)
LABELS = {"one": "one server", "two": "two servers behind HAProxy"}
COLOURS = {"one": "#7a7a7a", "two": "#1b5e9b"}


@dataclass
class Endpoint:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    max: float
    rps: float
    budget_ms: float

    @property
    def within(self) -> bool:
        return self.requests > 0 and self.failures == 0 and self.p95 < self.budget_ms


def read_stats(path: Path, budget_ms: float) -> list[Endpoint]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}

    def number(row: dict[str, str], key: str) -> float:
        value = row.get(key, "") or "0"
        return float(value) if value != "N/A" else 0.0

    return [
        Endpoint(
            name=name,
            requests=int(number(row, "Request Count")),
            failures=int(number(row, "Failure Count")),
            p50=number(row, "50%"),
            p95=number(row, "95%"),
            p99=number(row, "99%"),
            max=number(row, "Max Response Time"),
            rps=number(row, "Requests/s"),
            budget_ms=budget_ms,
        )
        for name in ENDPOINTS
        for row in [rows.get(name, {})]
    ]


def failures(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def svg_chart(phases: dict[str, list[Endpoint]], budget_ms: float) -> str:
    """Grouped horizontal bars: the p95 of each endpoint per topology, the budget dashed."""
    width, left, right, bar_h, top = 820, 230, 70, 16, 56
    names = list(phases)
    group_h = bar_h * len(names) + 14
    values = [e.p95 for endpoints in phases.values() for e in endpoints]
    scale_max = max([budget_ms * 1.25, *(v * 1.1 for v in values)])
    plot = width - left - right

    def x(ms: float) -> float:
        return left + plot * ms / scale_max

    height = top + group_h * len(ENDPOINTS) + 56
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        "<title>p95 response time per endpoint, one server and two servers</title>",
        f'<text x="{left}" y="20" font-weight="bold">p95 response time (ms); dashed line: '
        f"budget {budget_ms:g} ms</text>",
    ]
    for n, name in enumerate(names):
        lx = left + n * 240
        parts += [
            f'<rect x="{lx}" y="30" width="12" height="12" fill="{COLOURS.get(name, "#444")}"/>',
            f'<text x="{lx + 18}" y="41">{LABELS.get(name, name)}</text>',
        ]
    for row, endpoint in enumerate(ENDPOINTS):
        y0 = top + row * group_h
        parts.append(
            f'<text x="{left - 8}" y="{y0 + group_h / 2 + 2:.0f}" text-anchor="end">'
            f"{endpoint}</text>"
        )
        for n, name in enumerate(names):
            e = next(e for e in phases[name] if e.name == endpoint)
            y = y0 + n * bar_h
            colour = COLOURS.get(name, "#444")
            mark = "✓" if e.within else "✗"
            errors = "" if e.failures == 0 else f", {e.failures} errors"
            parts += [
                f'<rect x="{left}" y="{y}" width="{max(1.0, x(e.p95) - left):.1f}" '
                f'height="{bar_h - 3}" fill="{colour}"/>',
                f'<text x="{x(e.p95) + 5:.1f}" y="{y + bar_h - 5}" font-size="11">'
                f"{e.p95:g} ms {mark}{errors}</text>",
            ]
    bx = x(budget_ms)
    parts += [
        f'<line x1="{bx:.1f}" y1="{top - 6}" x2="{bx:.1f}" y2="{height - 46}" stroke="#222" '
        'stroke-dasharray="6 4" stroke-width="1.5"/>',
        f'<text x="{bx:.1f}" y="{height - 28}" text-anchor="middle">{budget_ms:g} ms</text>',
        f'<text x="{width - right}" y="{height - 12}" fill="#555" text-anchor="end">'
        "✓ within the budget, ✗ missed or errors</text>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _background_lines(name: str, outcome: dict[str, Any]) -> list[str]:
    audit, imp = outcome.get("audit", {}), outcome.get("import", {})
    fresh = outcome.get("new_records", {})
    return [
        f"- **{LABELS.get(name, name)}**: batch audit of {outcome.get('engagements', '?'):,} "
        f"engagements {'completed' if audit.get('completed') else 'NOT completed'} "
        f"({audit.get('status', audit.get('reason', '?'))}, {audit.get('seconds', '?')} s, "
        f"runner {audit.get('runner', '?')}); registry import of "
        f"{outcome.get('registry_rows', 0):,} organisations "
        f"{'completed' if imp.get('completed') else 'NOT completed'} after "
        f"{outcome.get('import_ended_after_s', '?')} s; every server answered with the new "
        f"records {fresh.get('seconds', '?')} s after the import's end "
        f"({'within' if fresh.get('within') else 'NOT within'} 60 s).",
    ]


def write_report(
    out: Path,
    phases: dict[str, list[Endpoint]],
    failed: dict[str, list[dict[str, str]]],
    background: dict[str, dict[str, Any]],
    checks: dict[str, Any],
    settings: dict[str, Any],
) -> bool:
    """Write report.md, p95.svg and summary.json; whether every budget was met."""
    met = (
        all(e.within for endpoints in phases.values() for e in endpoints)
        and all(
            o.get("audit", {}).get("completed") and o.get("import", {}).get("completed")
            for o in background.values()
        )
        and all(c.get("exact", c.get("survives", True)) for c in checks.values())
    )
    names = list(phases)
    head = " | ".join(f"{LABELS[n]}: requests · errors · p50 · p95 · max ms" for n in names)
    lines = [
        "# Load test: one server, then two servers behind a load balancer",
        "",
        f"{settings['when']} · {settings['cores']} CPU cores · PostgreSQL on loopback · "
        f"gunicorn {settings['workers']} workers per server · one task worker (`manage.py "
        f"db_worker`) · locust {settings['users']} users (pauses {settings['wait']} s) for "
        f"{settings['duration']} s per topology, on the same machine; load average "
        f"{settings['load_average_at_start']:g} before, {settings['load_average_at_end']:g} after.",
        "",
        f"Budget: p95 under {settings['budget_ms']:g} ms for every endpoint, no error, the batch "
        "audit and the registry import complete, rate limits counted exactly across the "
        "servers, a session opened on one server valid on the other. "
        f"Result: **{'met' if met else 'missed'}**.",
        "",
        f"| endpoint | {head} |",
        "|---|" + "---|" * len(names),
    ]
    for endpoint in ENDPOINTS:
        cells = []
        for name in names:
            e = next(e for e in phases[name] if e.name == endpoint)
            cells.append(
                f"{e.requests} · {e.failures} · {e.p50:g} · **{e.p95:g}** · {e.max:.0f} "
                f"{'✓' if e.within else '✗'}"
            )
        lines.append(f"| `{endpoint}` | " + " | ".join(cells) + " |")
    lines += ["", "![p95 per endpoint, one and two servers](p95.svg)", "", "## Background work", ""]
    for name in names:
        lines += _background_lines(name, background.get(name, {}))
    lines += ["", "## Two-server checks", ""]
    rate = checks.get("rate_limit", {})
    session = checks.get("session", {})
    lines += [
        f"- Rate limit: {rate.get('lookups', '?')} tracking-code lookups from one address, "
        f"alternating the two servers, limit {rate.get('limit', '?')} an hour: the first refused "
        f"was number {rate.get('first_refused')} "
        f"({'exact' if rate.get('exact') else 'NOT exact'}).",
        "- Session: signed in on one server, the other "
        f"{'knew' if session.get('survives') else 'did NOT know'} the session (database sessions).",
        "",
    ]
    if settings["warnings"]:
        lines += ["## Warnings", "", *(f"- {w}" for w in settings["warnings"]), ""]
    for name, rows in failed.items():
        if rows:
            lines += [f"## Errors ({LABELS.get(name, name)})", "", "| endpoint | error | count |"]
            lines += ["|---|---|---:|"]
            lines += [
                f"| `{f.get('Name', '')}` | {f.get('Error', '')[:200]} "
                f"| {f.get('Occurrences', '')} |"
                for f in rows
            ]
            lines.append("")
    lines += [
        "Percentiles are locust's (rounded to two significant figures above 100 ms). The load",
        "generator, the database, the worker and the background jobs share the same cores as",
        "the servers, so the figures are an upper bound of what the servers alone would take.",
        "",
    ]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")
    (out / "p95.svg").write_text(svg_chart(phases, settings["budget_ms"]), encoding="utf-8")
    summary = {
        **settings,
        "met": met,
        "phases": {
            name: [asdict(e) | {"within": e.within} for e in endpoints]
            for name, endpoints in phases.items()
        },
        "background": background,
        "checks": checks,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return met


def print_figures(phases: dict[str, Sequence[Endpoint]], cores: int, out: Path) -> None:
    print(f"\nLoad test on {cores} CPU cores (report: {out}/report.md)")
    for name, endpoints in phases.items():
        print(f"-- {LABELS.get(name, name)}")
        print(f"{'endpoint':<28} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'max':>7}")
        for e in endpoints:
            mark = "✓" if e.within else "✗"
            print(
                f"{e.name:<28} {e.requests:>8} {e.failures:>6} {e.p50:>5g}ms {e.p95:>5g}ms "
                f"{e.max:>6.0f}ms  {mark} p95 < {e.budget_ms:g} ms, no error"
            )
