"""Rate limits count exactly across application servers (issue 17, item 6): two separate
processes hit the same limit at once, and the counts they get back are 1..N with no gap and no
repeat, because the count lives in the database, not in a process's memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from fairpassage.core.models import RateCounter

ROOT = Path(__file__).resolve().parents[2]
HITS = 25
SERVER = """
import json, os, sys
import django
django.setup()
from fairpassage.core.ratelimit import hits
print(json.dumps([hits(scope="form", key="203.0.113.9", window_seconds=3600)
                  for _ in range(int(sys.argv[1]))]))
"""


def _database_url() -> str:
    """The test database, as another process reaches it."""
    db: dict[str, Any] = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_count() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
    }
    servers = [
        subprocess.Popen(  # the test's own code, no input from outside
            [sys.executable, "-c", SERVER, str(HITS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    counts: list[int] = []
    for server in servers:
        out, err = server.communicate(timeout=180)
        assert server.returncode == 0, err
        counts += json.loads(out.strip().splitlines()[-1])
    assert sorted(counts) == list(range(1, 2 * HITS + 1))
    assert RateCounter.objects.get().hits == 2 * HITS
