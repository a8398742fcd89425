"""What people at once do on Fair Passage: check fees, look up agencies, open the home page,
file a grievance and follow it with its tracking code. Run by ``tools/loadtest/run.py``
(``make loadtest``), or by hand::

    PYTHONPATH=. locust -f tools/loadtest/locustfile.py --host http://127.0.0.1:8000

Each simulated person comes from an address of their own on the loopback network (127.x.y.z),
and every grievance from a new one: the public rate limits count per address, and real traffic
comes from many people, not from one address. Environment:

- ``LOADTEST_WAIT``: seconds a person pauses between actions, ``min,max`` (default ``1,2``);
- ``LOADTEST_MAX_REQUESTS``: stop after this many requests in all (default: no limit);
- ``LOADTEST_FEE_CHECK``: a JSON file with the fee-check body (default: the test suite's example,
  which needs the project's environment; the runner writes the file, so that a locust installed
  apart from the project runs this file too).
"""

from __future__ import annotations

import copy
import json
import os
import random
import secrets
from typing import Any

import gevent
from bodies import grievance_body  # beside this file (locust puts its folder on the path)
from locust import HttpUser, between, events, task
from locust.env import Environment
from requests.adapters import HTTPAdapter


def _fee_check() -> dict[str, Any]:
    """The fee-check example of the test suite (a TITP contract with a lawful fee and a deposit)."""
    path = os.environ.get("LOADTEST_FEE_CHECK")
    if path:
        with open(path, encoding="utf-8") as handle:  # noqa: PTH123 - no pathlib needed
            return dict(json.load(handle))
    from tests.checks.conftest import EXAMPLE  # noqa: PLC0415 - the project's environment

    return EXAMPLE


FEE_CHECK: dict[str, Any] = _fee_check()
# How people type agency names: with and without accents, part of a licence number, Japanese.
AGENCY_QUERIES = (
    "sao mai",
    "Nhân lực Sao Mai",
    "thang long",
    "bien xanh",
    "901/LĐTBXH",
    "さくら",
    "ミライ",
    "xuat khau lao dong",
)


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one chosen local address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def loopback_address() -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"  # noqa: S311


def _wait() -> tuple[float, float]:
    low, _, high = os.environ.get("LOADTEST_WAIT", "1,2").partition(",")
    return float(low), float(high or low)


class Visitor(HttpUser):
    wait_time = between(*_wait())

    def on_start(self) -> None:
        self.codes: list[str] = []
        self.new_address()

    def new_address(self) -> None:
        adapter = SourceAddressAdapter(loopback_address())
        self.client.mount("http://", adapter)

    @task(3)
    def fee_check(self) -> None:
        self.client.post(
            "/api/fee-checks", json=copy.deepcopy(FEE_CHECK), name="POST /api/fee-checks"
        )

    @task(3)
    def agency_search(self) -> None:
        self.client.get(
            "/api/agencies",
            params={"q": random.choice(AGENCY_QUERIES)},  # noqa: S311
            name="GET /api/agencies?q=",
        )

    @task(3)
    def home_page(self) -> None:
        self.client.get("/vi/", name="GET /vi/")

    @task(1)
    def grievance(self) -> None:
        self.new_address()  # a new person files each grievance
        response = self.client.post(
            "/api/grievances",
            json=grievance_body(),
            headers={"Idempotency-Key": secrets.token_urlsafe(24)},
            name="POST /api/grievances",
        )
        if response.status_code == 201:
            self.codes.append(response.json()["tracking_code"])

    @task(1)
    def tracking(self) -> None:
        if not self.codes:
            return
        self.client.post(
            "/api/grievances/track",
            json={"code": random.choice(self.codes)},  # noqa: S311
            name="POST /api/grievances/track",
        )


_limit = int(os.environ.get("LOADTEST_MAX_REQUESTS", "0") or 0)
_state: dict[str, Any] = {"count": 0, "environment": None, "stopping": False}


@events.init.add_listener
def _remember_environment(environment: Environment, **_kwargs: Any) -> None:
    _state["environment"] = environment


@events.request.add_listener
def _stop_after_the_bounded_count(**_kwargs: Any) -> None:
    _state["count"] += 1
    environment = _state["environment"]
    if not _limit or _state["count"] < _limit or _state["stopping"] or environment is None:
        return
    _state["stopping"] = True
    if environment.runner is not None:
        gevent.spawn(environment.runner.quit)  # not from inside a user's own greenlet
