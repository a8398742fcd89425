"""What 20 people at once do on Fair Passage: check fees, look up agencies, open the home page,
file a grievance. Run by ``tools/loadtest/run.py`` (``make loadtest``), or by hand::

    PYTHONPATH=. locust -f tools/loadtest/locustfile.py --host http://127.0.0.1:8000

Each simulated person comes from an address of their own on the loopback network (127.x.y.z),
and every grievance from a new one: the public rate limits count per address, and real traffic
comes from many people, not from one address. Environment:

- ``LOADTEST_WAIT``: seconds a person pauses between actions, ``min,max`` (default ``1,2``);
- ``LOADTEST_MAX_REQUESTS``: stop after this many requests in all (default: no limit).
"""

from __future__ import annotations

import copy
import os
import random
import secrets
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from requests.adapters import HTTPAdapter

from tests.checks.conftest import EXAMPLE

# The fee-check example of the test suite (a TITP contract with a lawful fee and a deposit).
FEE_CHECK: dict[str, Any] = EXAMPLE
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
STATEMENTS = (
    "Công ty thu phí dịch vụ cao hơn hợp đồng và giữ hộ chiếu của tôi.",
    "Nghiệp đoàn không trả lương làm thêm giờ trong ba tháng.",
    "Tôi phải đặt cọc 30 triệu đồng trước khi xuất cảnh.",
)


def grievance_body() -> dict[str, Any]:
    return {
        "where_now": random.choice(("VN", "JP")),  # noqa: S311
        "categories": ["fees_debt"],
        "stage": "before_departure",
        "statement": random.choice(STATEMENTS),  # noqa: S311
        "contact": "",
    }


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
        self.client.post(
            "/api/grievances",
            json=grievance_body(),
            headers={"Idempotency-Key": secrets.token_urlsafe(24)},
            name="POST /api/grievances",
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
