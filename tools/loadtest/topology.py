"""The two-server topology of the load test: HAProxy in front of two gunicorn servers, one task
worker, the background jobs, and the checks that only two servers can fail (rate limits counted
across them, a session opened on one used on the other).

HAProxy sends the PROXY protocol header to gunicorn (``--proxy-protocol``), so each server sees the
visitor's own address as ``REMOTE_ADDR`` (the rate limits count per address) without trusting a
header the visitor could write.
"""

from __future__ import annotations

import http.client
import http.cookies
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
JOBS = Path(__file__).with_name("jobs.py")


def haproxy_bin() -> str:
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(found).exists():
        raise OSError("HAProxy is not installed (apt-get install haproxy)")
    return found


class HAProxy:
    """Round robin over the servers, no stickiness: a visitor's next request may land on either."""

    def __init__(self, workdir: Path, port: int, servers: list[int]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.config = workdir / "haproxy.cfg"
        self.log = workdir / "haproxy.log"
        self.servers = servers
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        backends = "\n".join(
            f"    server app{n} 127.0.0.1:{port} send-proxy source 127.0.0.1"
            for n, port in enumerate(self.servers, start=1)
        )
        self.config.write_text(
            "global\n"
            "    maxconn 2000\n"
            "defaults\n"
            "    mode http\n"
            "    timeout connect 5s\n"
            "    timeout client 60s\n"
            "    timeout server 60s\n"
            "    option http-server-close\n"
            "frontend web\n"
            f"    bind 127.0.0.1:{self.port}\n"
            "    default_backend app\n"
            "backend app\n"
            "    balance roundrobin\n"
            f"{backends}\n",
            encoding="utf-8",
        )
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603
                [haproxy_bin(), "-db", "-f", str(self.config)], stdout=log, stderr=log
            )
        time.sleep(0.5)
        if self.proc.poll() is not None:
            raise OSError(f"haproxy stopped: {self.log.read_text(errors='replace')[-1500:]}")

    def stop(self) -> None:
        stop(self.proc)


class Worker:
    """One task worker (``manage.py db_worker``) of the database task queue."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.log = workdir / "worker.log"
        self.env = {**env, "FAIRPASSAGE_ENV": "production"}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603
                [str(BIN / "python"), "manage.py", "db_worker", "--no-reload",
                 "--interval", "0.5"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def stop(self) -> None:
        stop(self.proc)


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def job(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run a job of ``jobs.py`` to its end; its JSON answer."""
    done = subprocess.run(  # noqa: S603
        [str(BIN / "python"), str(JOBS), *args],
        cwd=ROOT, env={**env, "FAIRPASSAGE_ENV": "production"}, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise OSError(f"job {args[0]} failed: {done.stderr.strip()[-1500:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@dataclass
class Background:
    """A batch audit and a registry import started together; their outcome once both ended."""

    env: dict[str, str]
    audit_user: str
    tables: Path
    registry_csv: Path
    procs: dict[str, subprocess.Popen[str]] = field(default_factory=dict)
    started: float = 0.0
    outcome: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        env = {**self.env, "FAIRPASSAGE_ENV": "production"}
        self.started = time.monotonic()
        self.procs["audit"] = subprocess.Popen(  # noqa: S603
            [str(BIN / "python"), str(JOBS), "audit", self.audit_user, str(self.tables)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.procs["import"] = subprocess.Popen(  # noqa: S603
            [str(BIN / "python"), "-m", "fairpassage.cli", "agencies", "import",
             str(self.registry_csv)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def finish(self, timeout: float) -> dict[str, Any]:
        """Wait for both (at most ``timeout`` seconds from their start); what became of them."""
        deadline = self.started + timeout
        while any(p.poll() is None for p in self.procs.values()) and time.monotonic() < deadline:
            self.poll_ends()
            time.sleep(0.5)
        self.poll_ends()
        for name, proc in self.procs.items():
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
                self.outcome[name] = {"completed": False, "reason": "did not end in time"}
                continue
            out, err = proc.communicate()
            if name == "audit" and proc.returncode == 0:
                result = json.loads(out.strip().splitlines()[-1])
                self.outcome[name] = {"completed": result["status"] == "done", **result}
            else:
                self.outcome[name] = {
                    "completed": proc.returncode == 0,
                    "exit_status": proc.returncode,
                    "error": err.strip()[-500:] if proc.returncode else "",
                }
        return self.outcome

    def poll_ends(self) -> None:
        """Record when each job ended (called while the load runs)."""
        for name, proc in self.procs.items():
            key = f"{name}_ended_after_s"
            if proc.poll() is not None and key not in self.outcome:
                self.outcome[key] = round(time.monotonic() - self.started, 1)


# Checks of the two-server topology ------------------------------------------------------------


def _http(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
) -> tuple[int, dict[str, str], str]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=20, source_address=(source, 0)
    )
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, body, headers or {})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                jar = http.cookies.SimpleCookie(value)
                cookies.update({k: m.value for k, m in jar.items()})
        return response.status, cookies, text
    finally:
        conn.close()


def rate_limit_across(servers: list[str], *, limit: int, source: str) -> dict[str, Any]:
    """Look up a tracking code ``limit + 1`` times from one address, alternating the servers:
    exactly the last lookup must be refused (429), whichever server it lands on."""
    statuses = []
    for n in range(limit + 1):
        status, _c, _t = _http(
            f"{servers[n % len(servers)]}/api/grievances/track",
            method="POST",
            body=json.dumps({"code": "ABCD-EFGH-JKMN-PQRS"}).encode(),
            headers={"Content-Type": "application/json"},
            source=source,
        )
        statuses.append(status)
    refused = [n + 1 for n, s in enumerate(statuses) if s == 429]
    return {
        "limit": limit,
        "lookups": len(statuses),
        "first_refused": refused[0] if refused else None,
        "exact": refused == [limit + 1],
    }


def session_across(servers: list[str], *, username: str, password: str) -> dict[str, Any]:
    """Sign in on the first server; the second must know the session."""
    first, second = servers
    status, cookies, page = _http(f"{first}/vi/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        return {"survives": False, "reason": f"no sign-in form ({status})"}
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    status, more, _page = _http(
        f"{first}/vi/login/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies.get('csrftoken', '')}",
            "Referer": f"{first}/vi/login/",
        },
    )
    session = more.get("sessionid", "")
    if not session:
        return {"survives": False, "reason": f"sign-in did not open a session ({status})"}
    # Signed in but without a second factor yet: the enrolment page serves the session's user
    # and sends anyone else to the sign-in page.
    enrol = f"{second}/vi/account/second-factor/"
    known, _c, _page = _http(enrol, headers={"Cookie": f"sessionid={session}"})
    unknown, _c, _page = _http(enrol)
    return {
        "survives": known == 200 and unknown != 200,
        "signed_in_on": first,
        "used_on": second,
        "with_session": known,
        "without_session": unknown,
    }
