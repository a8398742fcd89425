"""`make loadtest`: Fair Passage under 20 people at once, on this machine, against its budget.

1. a throw-away PostgreSQL cluster on loopback (as the postgres user when run as root);
2. `fairpassage setup` (migrations, reference data, the demo agencies) and collectstatic;
3. gunicorn serving config.wsgi in production mode on 127.0.0.1;
4. locust, headless, for a bounded time and a bounded count of requests (the fee-check API,
   agency search, the home page, grievance submission);
5. p50/p95/max and errors per endpoint from locust's CSV, written to reports/loadtest/
   (report.md, p95.svg, summary.json) and printed beside the budget with the core count.

Everything started is stopped at the end. Exit status 1 when a budget is missed or any request
failed, 2 when the run itself could not be made.

    .venv/bin/python tools/loadtest/run.py [--users 20] [--duration 60] [--max-requests 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
ENDPOINTS = ("POST /api/fee-checks", "GET /api/agencies?q=", "GET /vi/", "POST /api/grievances")


class RunFailed(Exception):
    """The load test could not be run (not a missed budget)."""


def say(text: str) -> None:
    print(f"== {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_bin() -> Path:
    wanted = os.environ.get("PGBIN")
    if wanted:
        return Path(wanted)
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "initdb").exists():
        return preferred
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RunFailed("PostgreSQL is not installed (apt-get install postgresql)")
    return found[-1].parent


class Postgres:
    """A throw-away cluster in a temporary directory, listening on 127.0.0.1 only."""

    def __init__(self, workdir: Path) -> None:
        self.bin = pg_bin()
        self.dir = workdir / "pg"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def run(self, *command: str | Path) -> None:
        args = [str(c) for c in command]
        if self.as_root:
            args = ["runuser", "-u", "postgres", "--", *args]
        subprocess.run(args, cwd="/", check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    def start(self) -> str:
        self.dir.mkdir()
        if self.as_root:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.dir.parent, "postgres")
        self.run(self.bin / "initdb", "-D", self.dir / "data", "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=100"
        )
        self.run(self.bin / "pg_ctl", "-D", self.dir / "data", "-l", self.dir / "server.log",
                 "-w", "-o", options, "start")  # fmt: skip
        self.run(self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                 "fairpassage")  # fmt: skip
        version = subprocess.run(  # noqa: S603
            [str(self.bin / "postgres"), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        say(f"PostgreSQL ({version}) on 127.0.0.1:{self.port}")
        return f"postgres://postgres@127.0.0.1:{self.port}/fairpassage"

    def stop(self) -> None:
        if (self.dir / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "fast", "stop")


def app_environment(workdir: Path, database_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet  # noqa: PLC0415 - only for the throw-away keys

    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode("ascii"),
        "FIELD_HASH_KEY": secrets.token_urlsafe(32),
        "FAIRPASSAGE_VAR_DIR": str(workdir / "var"),
        "STATIC_ROOT": str(workdir / "static"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


DEMO_ONLY = """
from django.conf import settings
import django
django.setup()
from fairpassage.core.demo import demo_create
from fairpassage.registry.demo import demo_create as registry_demo_create
demo_create(actor=None, passwords_file=settings.VAR_DIR / "demo-users.json")
registry_demo_create()
"""


def prepare(env: dict[str, str]) -> list[str]:
    """Migrate, load reference data and the demo, collect static files; warnings."""
    warnings: list[str] = []
    say("fairpassage setup (migrations, reference data, demo agencies)")
    setup_env = {**env, "FAIRPASSAGE_ENV": "development", "DEBUG": "0"}
    setup = subprocess.run(  # noqa: S603
        [str(BIN / "fairpassage"), "--lang", "en", "setup"],
        cwd=ROOT,
        env=setup_env,
        check=False,
        capture_output=True,
        text=True,
    )
    if setup.returncode != 0:
        # Go on with what the load needs (the migrated schema, the demo agencies) and say so.
        reason = (setup.stderr.strip().splitlines() or ["(no message)"])[-1]
        warnings.append(f"`fairpassage setup` failed on PostgreSQL: {reason}")
        print(f"!! {warnings[-1]}\n!! loading the demo without it", file=sys.stderr)
        subprocess.run(  # noqa: S603
            [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=setup_env,
            check=True,
        )
        subprocess.run(  # noqa: S603
            [str(BIN / "python"), "-c", DEMO_ONLY],
            cwd=ROOT,
            env=setup_env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "FAIRPASSAGE_ENV": "production"},
        check=True,
    )
    return warnings


def request(
    url: str,
    body: dict[str, Any] | None = None,
    timeout: float = 10,
    source: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
) -> int:
    """One request from the given loopback address; its status."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=timeout, source_address=(source, 0)
    )
    data = json.dumps(body).encode() if body is not None else None
    sent = dict(headers or {})
    if data is not None:
        sent["Content-Type"] = "application/json"
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST" if data is not None else "GET", target, data, sent)
        response = connection.getresponse()
        response.read()
        return int(response.status)
    finally:
        connection.close()


class Gunicorn:
    def __init__(self, workdir: Path, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "gunicorn.log"
        self.env = {**env, "FAIRPASSAGE_ENV": "production"}
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning",
            "--timeout", "60",
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RunFailed(
                    f"gunicorn stopped:\n{self.log.read_text(errors='replace')[-2000:]}"
                )
            try:
                if request(f"{self.url}/vi/", timeout=2) == 200:
                    say(f"gunicorn ({self.workers} workers) on {self.url}")
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RunFailed("gunicorn did not answer within 60 s")

    def warm_up(self, fee_check: dict[str, Any], grievance: dict[str, Any]) -> None:
        """Each worker imports its modules and reads its data files once, on every endpoint."""
        for n in range(self.workers * 3):
            source = f"127.0.200.{n + 1}"
            request(f"{self.url}/vi/", source=source)
            request(f"{self.url}/api/fee-checks", fee_check, source=source)
            request(f"{self.url}/api/agencies?q=sao+mai", source=source)
            request(
                f"{self.url}/api/grievances",
                grievance,
                source=source,
                headers={"Idempotency-Key": secrets.token_urlsafe(24)},
            )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


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


def run_locust(
    url: str, out: Path, users: int, duration: int, max_requests: int, wait: str
) -> None:
    say(f"locust: {users} users for {duration} s or {max_requests} requests, pauses of {wait} s")
    command = [
        str(BIN / "locust"),
        "-f", str(LOCUSTFILE),
        "--headless",
        "--users", str(users),
        "--spawn-rate", str(users),
        "--run-time", f"{duration}s",
        "--host", url,
        "--csv", str(out / "locust"),
        "--only-summary",
        "--stop-timeout", "10",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {
        **os.environ,
        "LOADTEST_MAX_REQUESTS": str(max_requests),
        "LOADTEST_WAIT": wait,
        "PYTHONPATH": str(ROOT),  # the locustfile takes the fee-check example from the tests
    }
    result = subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=duration + 120)  # noqa: S603
    if not (out / "locust_stats.csv").exists():
        raise RunFailed(f"locust wrote no statistics (exit status {result.returncode})")


def read_stats(out: Path, budget_ms: float) -> list[Endpoint]:
    with (out / "locust_stats.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}

    def number(row: dict[str, str], key: str) -> float:
        value = row.get(key, "") or "0"
        return float(value) if value != "N/A" else 0.0

    endpoints = []
    for name in ENDPOINTS:
        row = rows.get(name, {})
        endpoints.append(
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
        )
    return endpoints


def failures(out: Path) -> list[dict[str, str]]:
    path = out / "locust_failures.csv"
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def svg_chart(endpoints: Sequence[Endpoint], budget_ms: float) -> str:
    """Horizontal bars: p95 (and p50) per endpoint against the budget line."""
    width, left, right, row_h, top = 760, 200, 40, 38, 40
    scale_max = max([budget_ms * 1.25, *(e.p95 * 1.1 for e in endpoints)])
    plot = width - left - right

    def x(ms: float) -> float:
        return left + plot * ms / scale_max

    height = top + row_h * len(endpoints) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        "<title>p95 response time per endpoint against the budget</title>",
        f'<text x="{left}" y="22" font-weight="bold">p95 response time (ms); '
        f"dashed line: budget {budget_ms:g} ms</text>",
    ]
    for n, e in enumerate(endpoints):
        y = top + n * row_h
        colour = "#1b7f3b" if e.within else "#b3261e"
        parts += [
            f'<text x="{left - 8}" y="{y + 19}" text-anchor="end">{e.name}</text>',
            f'<rect x="{left}" y="{y + 4}" width="{x(e.p95) - left:.1f}" height="22" '
            f'fill="{colour}" opacity="0.85"/>',
            f'<rect x="{left}" y="{y + 12}" width="{x(e.p50) - left:.1f}" height="6" '
            'fill="#ffffff" opacity="0.7"/>',
            f'<text x="{x(e.p95) + 6:.1f}" y="{y + 19}">{e.p95:g} ms</text>',
        ]
    bx = x(budget_ms)
    parts += [
        f'<line x1="{bx:.1f}" y1="{top - 6}" x2="{bx:.1f}" y2="{height - 30}" stroke="#222" '
        'stroke-dasharray="6 4" stroke-width="1.5"/>',
        f'<text x="{bx:.1f}" y="{height - 12}" text-anchor="middle">{budget_ms:g} ms</text>',
        f'<text x="{left}" y="{height - 12}" fill="#555">white inner bar: p50</text>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def write_report(
    out: Path,
    endpoints: list[Endpoint],
    failed: list[dict[str, str]],
    settings: dict[str, Any],
) -> None:
    ok = all(e.within for e in endpoints)
    lines = [
        "# Load test",
        "",
        f"{settings['when']} · {settings['cores']} CPU cores · PostgreSQL on loopback · "
        f"gunicorn {settings['workers']} workers · locust {settings['users']} users "
        f"(pauses {settings['wait']} s) for {settings['duration']} s "
        f"(at most {settings['max_requests']} requests), on the same machine; "
        f"load average {settings['load_average_at_start']:g} before, "
        f"{settings['load_average_at_end']:g} after",
        "",
        f"Budget: p95 under {settings['budget_ms']:g} ms for each endpoint, no error. "
        f"Result: **{'met' if ok else 'missed'}**.",
        "",
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | budget |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for e in endpoints:
        lines.append(
            f"| `{e.name}` | {e.requests} | {e.failures} | {e.p50:g} | {e.p95:g} | {e.p99:g} "
            f"| {e.max:.0f} | {e.rps:.1f} | {'✓' if e.within else '✗'} p95 < {e.budget_ms:g} |"
        )
    lines += ["", "![p95 per endpoint](p95.svg)", ""]
    if settings["warnings"]:
        lines += ["## Warnings", "", *(f"- {w}" for w in settings["warnings"]), ""]
    if failed:
        lines += ["## Errors", "", "| endpoint | error | count |", "|---|---|---:|"]
        lines += [
            f"| `{f.get('Name', '')}` | {f.get('Error', '')[:200]} | {f.get('Occurrences', '')} |"
            for f in failed
        ]
        lines.append("")
    lines += [
        "Percentiles are locust's (rounded to two significant figures above 100 ms). The load",
        "generator runs on the same cores as the server and the database, so the figures are",
        "an upper bound of what the server alone would take.",
        "",
    ]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")
    (out / "p95.svg").write_text(svg_chart(endpoints, settings["budget_ms"]), encoding="utf-8")
    summary = {
        **settings,
        "met": ok,
        "endpoints": [asdict(e) | {"within": e.within} for e in endpoints],
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def print_figures(endpoints: list[Endpoint], cores: int, out: Path) -> None:
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"\nLoad test on {cores} CPU cores (report: {shown}/report.md)")
    print(
        f"{'endpoint':<24} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'max':>7}  budget"
    )
    for e in endpoints:
        mark = "✓" if e.within else "✗"
        print(
            f"{e.name:<24} {e.requests:>8} {e.failures:>6} {e.p50:>5g}ms {e.p95:>5g}ms "
            f"{e.max:>6.0f}ms  {mark} p95 < {e.budget_ms:g} ms, no error"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=20000, help="stop after this many")
    parser.add_argument("--wait", default="1,2", help="pause between actions, min,max seconds")
    parser.add_argument("--workers", type=int, default=min(4, 2 * (os.cpu_count() or 1)))
    parser.add_argument("--budget-ms", type=float, default=100.0)
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "loadtest")
    args = parser.parse_args(argv)

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("locust_*.csv"):
        stale.unlink()
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="fairpassage-loadtest-"))
    postgres = Postgres(workdir)
    server: Gunicorn | None = None
    warnings: list[str] = []
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    try:
        env = app_environment(workdir, postgres.start())
        warnings = prepare(env)
        server = Gunicorn(workdir, env, args.workers)
        server.start()
        sys.path[:0] = [str(Path(__file__).parent), str(ROOT)]
        from locustfile import FEE_CHECK, grievance_body  # noqa: PLC0415 - as in the load

        server.warm_up(FEE_CHECK, grievance_body())
        run_locust(server.url, out, args.users, args.duration, args.max_requests, args.wait)
        shutil.copy(server.log, out / "gunicorn.log")
    except (RunFailed, subprocess.CalledProcessError, OSError) as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.stop()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)

    endpoints = read_stats(out, args.budget_ms)
    failed = failures(out)
    settings = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": cores,
        "workers": args.workers,
        "users": args.users,
        "wait": args.wait,
        "duration": args.duration,
        "max_requests": args.max_requests,
        "budget_ms": args.budget_ms,
        "warnings": warnings,
        "load_average_at_start": round(load_before, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
    }
    write_report(out, endpoints, failed, settings)
    print_figures(endpoints, cores, out)
    print(
        f"load average (1 min) before {settings['load_average_at_start']:g}, "
        f"after {settings['load_average_at_end']:g}; {args.users} users, pauses {args.wait} s"
    )
    if failed:
        print("errors:", file=sys.stderr)
        for f in failed:
            print(f"  {f.get('Name')}: {f.get('Error')} x{f.get('Occurrences')}", file=sys.stderr)
    return 0 if all(e.within for e in endpoints) else 1


if __name__ == "__main__":
    raise SystemExit(main())
