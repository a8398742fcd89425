"""`make loadtest`: Fair Passage under 50 people at once, on one server and then on two servers
behind a load balancer, while a batch audit and a registry import run, against its budget.

1. a throw-away PostgreSQL cluster on loopback (as the postgres user when run as root), or the
   empty database of ``DATABASE_URL`` when it is set;
2. `fairpassage setup` (migrations, reference data, the demo agencies) and collectstatic; the
   tables of a batch audit (``--engagements``) and two registry lists (``--registry`` each);
3. one task worker (``manage.py db_worker``) for the whole run;
4. "one": one gunicorn server; locust (``--users`` for ``--duration`` s: the fee-check API, agency
   search, the home page, grievance submission and tracking) while a batch audit and a registry
   import run; then the search answers with the imported records on every server (how long after
   the import's end);
5. "two": a second gunicorn server and HAProxy in front of both (round robin, the PROXY protocol
   carrying the visitor's address); a rate limit counted across the servers and a session opened
   on one server used on the other; then the same load and background work as in "one";
6. per endpoint and topology p50/p95/max and errors from locust's CSV, written to ``--out``
   (report.md, p95.svg, summary.json) and printed beside the budget with the core count.

Everything started is stopped at the end. Exit status 1 when a budget is missed or any request
failed, 2 when the run itself could not be made.

    .venv/bin/python tools/loadtest/run.py [--users 50] [--duration 120] [--topology both]
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from report import Endpoint, failures, print_figures, read_stats, write_report
from topology import (
    Background,
    HAProxy,
    Worker,
    job,
    rate_limit_across,
    session_across,
)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


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
        [str(BIN / "python"), "-m", "fairpassage.cli", "--lang", "en", "setup"],
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
    def __init__(
        self, workdir: Path, env: dict[str, str], workers: int, name: str = "gunicorn"
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"{name}.log"
        self.env = {**env, "FAIRPASSAGE_ENV": "production"}
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # --proxy-protocol: behind HAProxy (send-proxy) the visitor's address is REMOTE_ADDR;
        # requests sent straight to the server, without the header, are served as they are.
        command = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning",
            "--timeout", "60",
            "--proxy-protocol", "--proxy-allow-from", "127.0.0.1",
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


def locust_bin() -> str:
    """The project's locust (the ``load`` extra), else one installed on the machine."""
    found = BIN / "locust"
    if found.exists():
        return str(found)
    other = shutil.which("locust")
    if other is None:
        raise RunFailed("locust is not installed (the project's `load` extra)")
    return other


def run_locust(
    url: str,
    out: Path,
    prefix: str,
    args: argparse.Namespace,
    fee_check: Path,
    background: Background,
    watch: NewRecords,
) -> None:
    say(f"locust: {args.users} users for {args.duration} s against {url}, pauses {args.wait} s")
    command = [
        locust_bin(),
        "-f", str(LOCUSTFILE),
        "--headless",
        "--users", str(args.users),
        "--spawn-rate", str(args.users),
        "--run-time", f"{args.duration}s",
        "--host", url,
        "--csv", str(out / prefix),
        "--only-summary",
        "--stop-timeout", "10",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {
        **os.environ,
        "LOADTEST_MAX_REQUESTS": str(args.max_requests),
        "LOADTEST_WAIT": args.wait,
        "LOADTEST_FEE_CHECK": str(fee_check),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + args.duration + 120
    while proc.poll() is None:
        background.poll_ends()
        watch.step()
        if time.monotonic() > deadline:
            proc.kill()
            break
        time.sleep(0.5)
    background.poll_ends()
    if not (out / f"{prefix}_stats.csv").exists():
        raise RunFailed(f"locust wrote no statistics (exit status {proc.returncode})")


class NewRecords:
    """Once the import has ended, search each server for the last organisation of the imported
    list (every 0.5 s, while the load runs and after) until all answer with it; the seconds
    from the import's end (budget 60 s)."""

    def __init__(self, urls: list[str], csv_path: Path, background: Background) -> None:
        with csv_path.open(encoding="utf-8", newline="") as handle:
            *_rows, last = list(csv.DictReader(handle))
        self.name = last["name"]
        self.query = urllib.parse.urlencode({"q": last["licence_number"]})
        self.pending = set(urls)
        self.servers = len(urls)
        self.background = background
        self.seen_after: float | None = None
        self.next_at = 0.0

    def step(self) -> None:
        ended = self.background.outcome.get("import_ended_after_s")
        if ended is None or not self.pending or time.monotonic() < self.next_at:
            return
        self.next_at = time.monotonic() + 0.5
        for url in sorted(self.pending):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                # A new loopback address each time: the search's rate limit counts per address.
                source = f"127.77.{secrets.randbelow(250) + 1}.{secrets.randbelow(250) + 1}"
                found = fetch_json(f"{url}/api/agencies?{self.query}", source=source)
                if found and found[0]["name"] == self.name:
                    self.pending.discard(url)
        if not self.pending:
            self.seen_after = time.monotonic() - (self.background.started + ended)

    def wait(self, limit: float = 600) -> dict[str, Any]:
        give_up = time.monotonic() + limit
        while self.pending and time.monotonic() < give_up:
            self.step()
            time.sleep(0.1)
        if self.seen_after is None:
            return {"seconds": None, "within": False, "servers": self.servers}
        seconds = round(self.seen_after, 1)
        return {"seconds": seconds, "within": seconds <= 60, "servers": self.servers}


def fetch_json(url: str, source: str = "127.0.0.1") -> Any:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


@dataclass
class Run:
    """What the phases share: the environment, the prepared files, the worker."""

    args: argparse.Namespace
    workdir: Path
    env: dict[str, str]
    out: Path
    user: dict[str, str]
    fee_check: Path
    tables: Path
    engagements: int


def phase(run: Run, name: str, servers: list[Gunicorn], front: str, registry_csv: Path,
          rows: int) -> tuple[dict[str, Any], Background]:  # fmt: skip
    """Load through ``front`` while a batch audit and a registry import run."""
    from bodies import grievance_body  # noqa: PLC0415 - as in the load

    fee = json.loads(run.fee_check.read_text(encoding="utf-8"))
    for server in servers:
        server.warm_up(fee, grievance_body())
    background = Background(run.env, run.user["username"], run.tables, registry_csv)
    background.start()
    say(f"{name}: batch audit of {run.engagements:,} engagements and import of {rows:,} started")
    watch = NewRecords([s.url for s in servers], registry_csv, background)
    run_locust(front, run.out, name, run.args, run.fee_check, background, watch)
    outcome = background.finish(timeout=run.args.background_timeout)
    outcome |= {"engagements": run.engagements, "registry_rows": rows}
    if outcome["import"].get("completed"):
        outcome["new_records"] = watch.wait()
    say(f"{name}: {json.dumps(outcome)}")
    return outcome, background


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load per topology")
    parser.add_argument("--max-requests", type=int, default=200000, help="stop after this many")
    parser.add_argument("--wait", default="1,2", help="pause between actions, min,max seconds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--topology", choices=("one", "two", "both"), default="both")
    parser.add_argument("--engagements", type=int, default=100_000, help="of the batch audit")
    parser.add_argument("--registry", type=int, default=20_000, help="organisations imported")
    parser.add_argument("--background-timeout", type=float, default=900)
    parser.add_argument("--budget-ms", type=float, default=100.0)
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "loadtest")
    args = parser.parse_args(argv)

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*_stats*.csv"):
        stale.unlink()
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="fairpassage-loadtest-"))
    postgres = Postgres(workdir)
    started: list[Gunicorn | HAProxy | Worker] = []
    warnings: list[str] = []
    phases: dict[str, list[Endpoint]] = {}
    background: dict[str, dict[str, Any]] = {}
    checks: dict[str, Any] = {}
    topologies = ["one", "two"] if args.topology == "both" else [args.topology]
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    try:
        database = os.environ.get("DATABASE_URL") or postgres.start()
        env = app_environment(workdir, database)
        warnings = prepare(env)
        sys.path[:0] = [str(Path(__file__).parent), str(ROOT)]
        from tests.checks.conftest import EXAMPLE  # noqa: PLC0415 - the load's fee check

        fee_check = workdir / "fee-check.json"
        fee_check.write_text(json.dumps(EXAMPLE), encoding="utf-8")
        say(f"tables of {args.engagements:,} engagements, registry lists of {args.registry:,}")
        tables = workdir / "tables"
        counted = job(env, "tables", str(args.engagements), str(tables))
        lists = {}
        for n, name in enumerate(topologies):
            lists[name] = workdir / f"registry-{name}.csv"
            job(env, "registry", str(args.registry), str(101 + n), str(lists[name]))
        run = Run(args, workdir, env, out, job(env, "audit-user"), fee_check, tables,
                  counted["engagements"])  # fmt: skip
        subprocess.run(  # noqa: S603
            [str(BIN / "python"), "-m", "fairpassage.cli", "agencies", "build-index"],
            cwd=ROOT, env={**env, "FAIRPASSAGE_ENV": "production"}, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        worker = Worker(workdir, env)
        worker.start()
        started.append(worker)
        first = Gunicorn(workdir, env, args.workers, name="gunicorn-1")
        first.start()
        started.append(first)
        if "one" in topologies:
            background["one"], _bg = phase(run, "one", [first], first.url, lists["one"],
                                           args.registry)  # fmt: skip
            phases["one"] = read_stats(out / "one_stats.csv", args.budget_ms)
        if "two" in topologies:
            second = Gunicorn(workdir, env, args.workers, name="gunicorn-2")
            second.start()
            started.append(second)
            proxy = HAProxy(workdir, free_port(), [first.port, second.port])
            proxy.start()
            started.append(proxy)
            say(f"HAProxy on {proxy.url} over {first.url} and {second.url}")
            checks["rate_limit"] = rate_limit_across(
                [first.url, second.url], limit=60, source="127.0.99.1"
            )
            checks["session"] = session_across(
                [first.url, second.url], username=run.user["username"],
                password=run.user["password"],
            )  # fmt: skip
            say(f"checks: {json.dumps(checks)}")
            background["two"], _bg = phase(run, "two", [first, second], proxy.url, lists["two"],
                                           args.registry)  # fmt: skip
            phases["two"] = read_stats(out / "two_stats.csv", args.budget_ms)
        for item in started:
            if isinstance(item, (Gunicorn, Worker)):
                shutil.copy(item.log, out / item.log.name)
    except (RunFailed, subprocess.CalledProcessError, OSError) as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 2
    finally:
        for item in reversed(started):
            item.stop()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)

    settings = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": cores,
        "workers": args.workers,
        "users": args.users,
        "wait": args.wait,
        "duration": args.duration,
        "max_requests": args.max_requests,
        "budget_ms": args.budget_ms,
        "engagements": args.engagements,
        "registry": args.registry,
        "warnings": warnings,
        "load_average_at_start": round(load_before, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
    }
    failed = {name: failures(out / f"{name}_failures.csv") for name in phases}
    met = write_report(out, phases, failed, background, checks, settings)
    print_figures(phases, cores, out)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
